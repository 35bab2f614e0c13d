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
