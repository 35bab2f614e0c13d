/** Gold labels of the embedded pairs as class ids, through the core label scheme. */
import type { LabelScheme } from '../core/labels';
import { inferLabelScheme } from '../core/labels';
import type { Pair } from '../core/pairs';

export interface PairLabels {
  scheme: LabelScheme;
  /** Class id per pair, null when unlabelled. */
  labels: (number | null)[];
}

/** Orders the user can choose for digit labels (index = digit). */
export const NUMERIC_ORDERS: readonly (readonly string[])[] = [
  ['entailment', 'neutral', 'contradiction'],
  ['contradiction', 'neutral', 'entailment'],
  ['entailment', 'contradiction', 'neutral'],
  ['entailment', 'not_entailment'],
  ['not_entailment', 'entailment'],
];

/**
 * Infers the classes from the pairs' raw labels (missing label = unlabelled). `numericOrder` says how digit
 * labels read (default: SNLI/GLUE order); an order that does not fit the digits present is ignored.
 */
export function pairLabels(
  pairs: readonly Pair[],
  numericOrder: readonly string[] | null = null,
): PairLabels {
  const raw = pairs.map((p) => p.label ?? '');
  let scheme;
  try {
    scheme = inferLabelScheme(raw, numericOrder ? { numericOrder } : {});
  } catch {
    scheme = inferLabelScheme(raw);
  }
  const index = new Map(scheme.classes.map((c, k) => [c, k]));
  const labels = raw.map((r) => {
    const name = scheme.mapping[r];
    return name === null || name === undefined ? null : (index.get(name) ?? null);
  });
  return { scheme, labels };
}
