/**
 * Sentence pairs as the user gives them, and the parser for pasted text.
 *
 * Paste format (one pair per line): `premise TAB hypothesis [TAB label]`. Lines that are empty or start
 * with `#` are ignored. A header line (`premise\thypothesis…` or `sentence1\tsentence2…`) is recognised and
 * skipped. Nothing is silently dropped: every line that is not a pair is reported with its line number.
 */
import { InputError } from './errors';

/** One premise/hypothesis pair. `label` is the raw gold label as written, or null when unlabelled. */
export interface Pair {
  /** Stable id: the 1-based line number for pasted text, or the id the file gave. */
  id: string;
  premise: string;
  hypothesis: string;
  label: string | null;
}

/** A line that could not be read as a pair. `line` is 1-based. */
export interface ParseIssue {
  line: number;
  message: string;
  text: string;
}

export interface ParsePairsResult {
  pairs: Pair[];
  issues: ParseIssue[];
}

const HEADER_NAMES = new Set(['premise', 'sentence1', 'sentence_a', 'text_a', 'sentence 1']);

/**
 * Parses pasted TSV text into pairs. Valid lines are kept even when other lines have issues; the issues say
 * which line, what is wrong and what to do. CRLF and a leading BOM are accepted.
 */
export function parsePairsText(text: string): ParsePairsResult {
  const pairs: Pair[] = [];
  const issues: ParseIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const cells = raw.split('\t');
    if (
      pairs.length === 0 &&
      issues.length === 0 &&
      HEADER_NAMES.has((cells[0] ?? '').trim().toLowerCase())
    ) {
      return;
    }
    if (cells.length < 2) {
      issues.push({
        line: lineNo,
        text: raw,
        message: `line ${lineNo}: no hypothesis column — separate premise and hypothesis with a TAB character.`,
      });
      return;
    }
    if (cells.length > 3) {
      issues.push({
        line: lineNo,
        text: raw,
        message: `line ${lineNo}: ${cells.length} columns — expected premise, hypothesis and an optional label; remove the extra TAB characters.`,
      });
      return;
    }
    const premise = (cells[0] ?? '').trim();
    const hypothesis = (cells[1] ?? '').trim();
    if (premise === '' && hypothesis === '') {
      issues.push({
        line: lineNo,
        text: raw,
        message: `line ${lineNo}: premise and hypothesis are both empty.`,
      });
      return;
    }
    const label = cells.length === 3 ? (cells[2] ?? '').trim() : '';
    pairs.push({ id: String(lineNo), premise, hypothesis, label: label === '' ? null : label });
  });
  return { pairs, issues };
}

/** Throws a clear InputError when there is nothing to embed. */
export function assertHasPairs(pairs: readonly Pair[]): void {
  if (pairs.length === 0) {
    throw new InputError(
      'input.empty',
      'No sentence pairs to embed: paste one pair per line as "premise<TAB>hypothesis<TAB>optional label".',
    );
  }
}
