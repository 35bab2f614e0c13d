import { describe, expect, it } from 'vitest';
import { stratifiedKFold, stratifiedSplit } from '../../../src/core/split';

function countBy(labels: readonly number[], rows: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of rows) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}

const isAscending = (a: readonly number[]): boolean => a.every((v, i) => i === 0 || a[i - 1] < v);

describe('stratifiedSplit', () => {
  // 10 × class 0, 5 × class 1, 2 × class 2, 1 × class 3, interleaved.
  const labels = [0, 1, 0, 2, 0, 1, 0, 0, 1, 3, 0, 0, 1, 0, 2, 0, 1, 0];

  it('takes round(fraction × n) per class, keeping 1 in train and (n ≥ 2) 1 in test', () => {
    const { train, test } = stratifiedSplit(labels, 0.3, 42);
    const t = countBy(labels, test);
    // class 0: round(3.0) = 3; class 1: round(1.5) = 2; class 2: round(0.6) = 1; class 3 (1 row): 0
    expect([t.get(0), t.get(1), t.get(2), t.get(3) ?? 0]).toEqual([3, 2, 1, 0]);
    expect(train.length + test.length).toBe(labels.length);
    expect(countBy(labels, train).get(3)).toBe(1);
  });

  it('clamps: a tiny fraction still tests 1 per class, a large one still trains 1', () => {
    const small = countBy(labels, stratifiedSplit(labels, 0.01, 1).test);
    expect([small.get(0), small.get(1), small.get(2)]).toEqual([1, 1, 1]);
    const large = countBy(labels, stratifiedSplit(labels, 0.99, 1).train);
    expect([large.get(0), large.get(1), large.get(2), large.get(3)]).toEqual([1, 1, 1, 1]);
  });

  it('returns sorted, disjoint, covering index lists', () => {
    const { train, test } = stratifiedSplit(labels, 0.25, 3);
    expect(isAscending(train) && isAscending(test)).toBe(true);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const many = Array.from({ length: 200 }, (_, i) => i % 3);
    expect(stratifiedSplit(many, 0.2, 7)).toEqual(stratifiedSplit(many, 0.2, 7));
    expect(stratifiedSplit(many, 0.2, 7).test).not.toEqual(stratifiedSplit(many, 0.2, 8).test);
  });

  it('rejects bad input', () => {
    expect(() => stratifiedSplit([0], 0.5, 0)).toThrow(expect.objectContaining({ code: 'input.too-few' }));
    expect(() => stratifiedSplit([0, 1], 1, 0)).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => stratifiedSplit([0, 1], 0, 0)).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => stratifiedSplit([0, -1], 0.5, 0)).toThrow(expect.objectContaining({ code: 'input.label' }));
  });
});

describe('stratifiedKFold', () => {
  const labels = [...Array.from({ length: 11 }, () => 0), ...Array.from({ length: 7 }, () => 1), 2, 2, 2];

  it('puts every row in exactly one test fold, train = the rest', () => {
    const folds = stratifiedKFold(labels, 3, 5);
    expect(folds).toHaveLength(3);
    const seen = new Array<number>(labels.length).fill(0);
    for (const { train, test } of folds) {
      for (const i of test) seen[i]++;
      expect(isAscending(train) && isAscending(test)).toBe(true);
      expect(train.length + test.length).toBe(labels.length);
      expect(train.some((i) => test.includes(i))).toBe(false);
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('balances classes and fold sizes to within 1', () => {
    const folds = stratifiedKFold(labels, 3, 5);
    for (const c of [0, 1, 2]) {
      const perFold = folds.map((f) => countBy(labels, f.test).get(c) ?? 0);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    const sizes = folds.map((f) => f.test.length);
    expect(sizes).toEqual([7, 7, 7]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(stratifiedKFold(labels, 3, 1)).toEqual(stratifiedKFold(labels, 3, 1));
    expect(stratifiedKFold(labels, 3, 1)[0].test).not.toEqual(stratifiedKFold(labels, 3, 2)[0].test);
  });

  it('explains a class smaller than k', () => {
    expect(() => stratifiedKFold(labels, 4, 0)).toThrow(
      'Class 2 has 3 rows, fewer than the 4 folds; use at most 3 folds or add rows of that class.',
    );
    expect(() => stratifiedKFold([0], 2, 0)).toThrow(expect.objectContaining({ code: 'input.too-few' }));
    expect(() => stratifiedKFold([0, 0, 1, 1], 1, 0)).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });
});
