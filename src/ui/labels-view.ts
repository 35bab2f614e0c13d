/** Gold labels of the embedded pairs as class ids, through the core label scheme. */
import type { LabelScheme } from '../core/labels';
import { inferLabelScheme } from '../core/labels';
import type { Pair } from '../core/pairs';

export interface PairLabels {
  scheme: LabelScheme;
  /** Class id per pair, null when unlabelled. */
  labels: (number | null)[];
}

/** Infers the classes from the pairs' raw labels (missing label = unlabelled). */
export function pairLabels(pairs: readonly Pair[]): PairLabels {
  const raw = pairs.map((p) => p.label ?? '');
  const scheme = inferLabelScheme(raw);
  const index = new Map(scheme.classes.map((c, k) => [c, k]));
  const labels = raw.map((r) => {
    const name = scheme.mapping[r];
    return name === null || name === undefined ? null : (index.get(name) ?? null);
  });
  return { scheme, labels };
}
