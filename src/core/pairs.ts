/**
 * Sentence pairs as the user gives them. Pasted text and files are read by `formats.ts`.
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

/** Throws a clear InputError when there is nothing to embed. */
export function assertHasPairs(pairs: readonly Pair[]): void {
  if (pairs.length === 0) {
    throw new InputError(
      'input.empty',
      'No sentence pairs to embed: paste one pair per line as "premise<TAB>hypothesis<TAB>optional label".',
    );
  }
}

/**
 * Finds duplicate pairs (same premise and same hypothesis after trimming) in one pass. Keyed by premise first,
 * so no joined key string is built per pair; a premise seen twice switches to a hypothesis → first pair map.
 *
 * @returns per pair the index of the first pair with the same texts, or -1 when the pair is unique (the
 *   first pair of a group points at itself).
 */
export function findDuplicates(pairs: readonly Pair[]): Int32Array {
  const duplicateOf = new Int32Array(pairs.length).fill(-1);
  const byPremise = new Map<string, number | Map<string, number>>();
  for (let i = 0; i < pairs.length; i++) {
    const premise = pairs[i].premise.trim();
    const hypothesis = pairs[i].hypothesis.trim();
    const entry = byPremise.get(premise);
    let first = -1;
    if (entry === undefined) byPremise.set(premise, i);
    else if (typeof entry === 'number') {
      const other = pairs[entry].hypothesis.trim();
      if (other === hypothesis) first = entry;
      else
        byPremise.set(
          premise,
          new Map([
            [other, entry],
            [hypothesis, i],
          ]),
        );
    } else {
      const f = entry.get(hypothesis);
      if (f === undefined) entry.set(hypothesis, i);
      else first = f;
    }
    if (first >= 0) {
      duplicateOf[first] = first;
      duplicateOf[i] = first;
    }
  }
  return duplicateOf;
}
