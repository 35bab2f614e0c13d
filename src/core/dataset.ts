/**
 * Labelled pair files for evaluation (`npm run eval`, tests): JSONL or TSV text → `Pair[]`.
 *
 * Pure: the caller reads the file and passes its text. Unlike the paste parser in `pairs.ts`, which keeps the
 * good lines and lists the bad ones, a dataset is all or nothing: the first line that is not a pair throws an
 * `InputError` naming the file and the 1-based line, because an evaluation on a silently shortened file would
 * report numbers for data nobody chose.
 *
 * - JSONL: one object per line with `premise` / `hypothesis` (or `sentence1` / `sentence2`) strings and an
 *   optional `label` (or `gold_label`) that is a string, a number or null; an `id` string or number is kept.
 * - TSV: `premise TAB hypothesis [TAB label]`, or any columns under a header line that names the premise,
 *   hypothesis and (optionally) label columns (`premise`/`sentence1`/`sentence_a`/`text_a`,
 *   `hypothesis`/`sentence2`/`sentence_b`/`text_b`, `label`/`gold_label`), as in GLUE and MultiNLI files.
 *   Cells are not unquoted (NLI TSVs are written without quoting and contain quote characters).
 *
 * Both: a leading BOM and CRLF line ends are accepted, blank lines are skipped, labels are returned raw
 * (normalise them with `inferLabelScheme` from `labels.ts`); an empty label is `null` (unlabelled).
 */
import { InputError } from './errors';
import type { Pair } from './pairs';

/** File formats {@link parseDataset} reads. */
export type DatasetFormat = 'jsonl' | 'tsv';

/** Options of {@link parseDataset}. */
export interface ParseDatasetOptions {
  /** The format; absent or `'auto'`: JSONL when the first non-blank line starts with `{`, else TSV. */
  format?: DatasetFormat | 'auto';
  /** How messages name the input, e.g. the file name. Default `'input'`. */
  name?: string;
}

const PREMISE_COLUMNS = ['premise', 'sentence1', 'sentence_a', 'text_a'];
const HYPOTHESIS_COLUMNS = ['hypothesis', 'sentence2', 'sentence_b', 'text_b'];
const LABEL_COLUMNS = ['label', 'gold_label'];

/**
 * Reads a JSONL or TSV dataset.
 *
 * @param text - the whole file as text.
 * @returns the pairs in file order; `id` is the row's `id` field (JSONL) or else its 1-based line number.
 * @throws InputError `input.line` naming the file and line of the first row that is not a pair (invalid
 *   JSON, missing or non-string premise/hypothesis, wrong column count, both sentences empty), and
 *   `input.empty` when the file holds no pairs.
 */
export function parseDataset(text: string, options: ParseDatasetOptions = {}): Pair[] {
  const name = options.name ?? 'input';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstLine = lines.find((line) => line.trim() !== '') ?? '';
  const format =
    options.format === undefined || options.format === 'auto'
      ? firstLine.trimStart().startsWith('{')
        ? 'jsonl'
        : 'tsv'
      : options.format;
  const pairs = format === 'jsonl' ? parseJsonl(lines, name) : parseTsv(lines, name);
  if (pairs.length === 0) {
    throw new InputError(
      'input.empty',
      `${name} holds no sentence pairs: write one pair per line, as JSONL objects with premise, hypothesis and label, or as premise<TAB>hypothesis<TAB>label.`,
    );
  }
  return pairs;
}

function lineError(name: string, lineNo: number, message: string): InputError {
  return new InputError('input.line', `${name} line ${lineNo}: ${message}`);
}

function rawLabel(value: string): string | null {
  return value.trim() === '' ? null : value;
}

function checkNotBothEmpty(premise: string, hypothesis: string, name: string, lineNo: number): void {
  if (premise.trim() === '' && hypothesis.trim() === '') {
    throw lineError(name, lineNo, 'premise and hypothesis are both empty.');
  }
}

function parseJsonl(lines: readonly string[], name: string): Pair[] {
  const pairs: Pair[] = [];
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      const hint = line.trimStart().startsWith('[')
        ? ' The file looks like a JSON array; write one object per line (JSONL).'
        : ' Each line must be one JSON object with premise, hypothesis and label.';
      throw lineError(name, lineNo, `not valid JSON (${(error as Error).message}).${hint}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw lineError(
        name,
        lineNo,
        'expected a JSON object such as {"premise": "…", "hypothesis": "…", "label": "entailment"}.',
      );
    }
    const record = row as Record<string, unknown>;
    const field = (keys: readonly string[]): [key: string, value: unknown] | null => {
      const key = keys.find((k) => Object.hasOwn(record, k));
      return key === undefined ? null : [key, record[key]];
    };
    const text = (keys: readonly string[], role: string): string => {
      const found = field(keys);
      if (found === null) {
        throw lineError(
          name,
          lineNo,
          `no ${role} field: expected one of ${keys.join(', ')}; the object has ${Object.keys(record).join(', ') || 'no fields'}.`,
        );
      }
      if (typeof found[1] !== 'string') {
        throw lineError(name, lineNo, `the ${found[0]} field is ${JSON.stringify(found[1])}, not a string.`);
      }
      return found[1];
    };
    const premise = text(PREMISE_COLUMNS, 'premise');
    const hypothesis = text(HYPOTHESIS_COLUMNS, 'hypothesis');
    checkNotBothEmpty(premise, hypothesis, name, lineNo);
    const labelField = field(LABEL_COLUMNS);
    let label: string | null = null;
    if (labelField !== null) {
      const value = labelField[1];
      if (typeof value === 'string') label = rawLabel(value);
      else if (typeof value === 'number' && Number.isFinite(value)) label = String(value);
      else if (value !== null) {
        throw lineError(
          name,
          lineNo,
          `the ${labelField[0]} field is ${JSON.stringify(value)}; a label must be a string, a number or null.`,
        );
      }
    }
    const id = record.id;
    pairs.push({
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(lineNo),
      premise,
      hypothesis,
      label,
    });
  });
  return pairs;
}

interface TsvColumns {
  premise: number;
  hypothesis: number;
  label: number | null;
  /** Cells per row the header announces; null without a header (2 or 3 cells). */
  width: number | null;
}

function readHeader(cells: readonly string[]): TsvColumns | null {
  const names = cells.map((c) => c.trim().toLowerCase());
  const find = (candidates: readonly string[]): number => names.findIndex((n) => candidates.includes(n));
  const premise = find(PREMISE_COLUMNS);
  const hypothesis = find(HYPOTHESIS_COLUMNS);
  if (premise < 0 || hypothesis < 0) return null;
  const label = find(LABEL_COLUMNS);
  return { premise, hypothesis, label: label < 0 ? null : label, width: cells.length };
}

function parseTsv(lines: readonly string[], name: string): Pair[] {
  const pairs: Pair[] = [];
  let columns: TsvColumns | undefined;
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    const cells = line.split('\t');
    if (columns === undefined) {
      const header = readHeader(cells);
      columns = header ?? { premise: 0, hypothesis: 1, label: 2, width: null };
      if (header !== null) return;
    }
    if (columns.width === null) {
      if (cells.length < 2) {
        throw lineError(
          name,
          lineNo,
          'no TAB character: write premise<TAB>hypothesis<TAB>label, or start the file with a header line naming the columns.',
        );
      }
      if (cells.length > 3) {
        throw lineError(
          name,
          lineNo,
          `${cells.length} columns; without a header line rows must be premise, hypothesis and an optional label. Add a header line (premise, hypothesis, label) to read wider files.`,
        );
      }
    } else if (cells.length !== columns.width) {
      throw lineError(
        name,
        lineNo,
        `${cells.length} columns but the header has ${columns.width}; a TAB inside a sentence or a missing cell breaks the row.`,
      );
    }
    const premise = cells[columns.premise] ?? '';
    const hypothesis = cells[columns.hypothesis] ?? '';
    checkNotBothEmpty(premise, hypothesis, name, lineNo);
    const label = columns.label === null ? null : rawLabel(cells[columns.label] ?? '');
    pairs.push({ id: String(lineNo), premise, hypothesis, label });
  });
  return pairs;
}
