/**
 * Seeded, stratified train/test splits and k-fold cross-validation folds. All results are row indices
 * sorted ascending; the same labels and seed always give the same split.
 */
import { InputError } from './errors';
import { createRandom, shuffleInPlace, type Random } from './random';

/** A split of row indices; `train` and `test` are disjoint, sorted ascending, and cover the rows used. */
export interface SplitResult {
  train: number[];
  test: number[];
}

function assertLabels(labels: readonly number[]): void {
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0) {
      throw new InputError('input.label', `Label ${i} is ${label}; class ids must be non-negative integers.`);
    }
  });
}

/** Row indices per class id, in ascending class order; each list ascending. */
function groupByClass(labels: readonly number[]): [label: number, rows: number[]][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const rows = groups.get(label);
    if (rows === undefined) groups.set(label, [i]);
    else rows.push(i);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]);
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Splits rows into train and test, class by class.
 *
 * For a class with `n` rows: `nTest = Math.round(testFraction × n)` (halves round up), then clamped so that
 * at least 1 row stays in train and, when `n ≥ 2`, at least 1 row goes to test; a class with a single row
 * goes to train only. Classes are visited in ascending id order; each class's rows are shuffled with one
 * generator seeded by `seed`, and the first `nTest` go to test.
 *
 * @param labels - class id per row (non-negative integers; ids need not be contiguous).
 * @param testFraction - share of each class for test, strictly between 0 and 1.
 * @param seed - seed of the shuffle (see `createRandom`).
 * @throws InputError `input.too-few` for fewer than 2 rows, `input.option` for a fraction outside (0, 1),
 *   `input.label` for a label that is not a non-negative integer.
 */
export function stratifiedSplit(labels: readonly number[], testFraction: number, seed: number): SplitResult {
  if (labels.length < 2) {
    throw new InputError('input.too-few', `A train/test split needs at least 2 rows; got ${labels.length}.`);
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InputError(
      'input.option',
      `The test fraction must be between 0 and 1 (exclusive); got ${testFraction}.`,
    );
  }
  assertLabels(labels);
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const [, rows] of groupByClass(labels)) {
    const n = rows.length;
    const nTest = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(testFraction * n)));
    shuffleInPlace(rows, random);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: train.sort(ascending), test: test.sort(ascending) };
}

/**
 * Stratified k-fold cross-validation: every row is in exactly one test fold, and each class is spread over
 * the folds as evenly as possible (its count per fold differs by at most 1).
 *
 * Classes are visited in ascending id order; each class's rows are shuffled (one generator seeded by `seed`)
 * and dealt round-robin to the folds, the dealing continuing from where the previous class stopped, so fold
 * sizes also differ by at most 1.
 *
 * @param labels - class id per row (non-negative integers).
 * @param k - number of folds, an integer ≥ 2.
 * @returns `k` splits; `test` of fold f and `train` = all other rows, both sorted ascending.
 * @throws InputError `input.too-few` when there are fewer than 2 rows or a class has fewer than `k` rows
 *   (it could not appear in every fold), `input.option` for a bad `k`, `input.label` for a bad label.
 */
export function stratifiedKFold(labels: readonly number[], k: number, seed: number): SplitResult[] {
  if (labels.length < 2) {
    throw new InputError('input.too-few', `Cross-validation needs at least 2 rows; got ${labels.length}.`);
  }
  if (!Number.isInteger(k) || k < 2) {
    throw new InputError('input.option', `The number of folds must be an integer of at least 2; got ${k}.`);
  }
  assertLabels(labels);
  const groups = groupByClass(labels);
  for (const [label, rows] of groups) {
    if (rows.length < k) {
      throw new InputError(
        'input.too-few',
        `Class ${label} has ${rows.length} row${rows.length === 1 ? '' : 's'}, fewer than the ${k} folds; ` +
          `use at most ${rows.length} folds or add rows of that class.`,
      );
    }
  }
  const random: Random = createRandom(seed);
  const foldOf = new Array<number>(labels.length);
  let next = 0;
  for (const [, rows] of groups) {
    shuffleInPlace(rows, random);
    for (const row of rows) {
      foldOf[row] = next;
      next = (next + 1) % k;
    }
  }
  return Array.from({ length: k }, (_, fold) => {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((f, row) => (f === fold ? test : train).push(row));
    return { train, test };
  });
}
