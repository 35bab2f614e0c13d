/**
 * Dense row-major matrices of 32-bit floats: the one shape in which features travel through Pairscope
 * (embeddings, pair features, standardised features). Helpers here never copy unless their name says so.
 */
import { InputError } from './errors';

/**
 * A dense row-major matrix: element (i, j) lives at `data[i * dim + j]`.
 *
 * Invariant (checked by {@link assertMatrix}): `rows` and `dim` are non-negative integers and
 * `data.length === rows * dim`. A matrix with `rows === 0` is valid (and empty).
 */
export interface Matrix {
  /** Row-major values, length `rows * dim`. */
  data: Float32Array;
  /** Number of rows (samples, pairs). */
  rows: number;
  /** Number of columns (feature dimension). */
  dim: number;
}

/**
 * Checks the {@link Matrix} invariant.
 *
 * @param m - the matrix to check.
 * @param what - how to name the matrix in the error message, e.g. `'training features'`.
 * @throws InputError `input.dimension` when `rows`/`dim` are not non-negative integers or when
 *   `data.length !== rows * dim`.
 */
export function assertMatrix(m: Matrix, what = 'matrix'): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.dim) || m.dim < 0) {
    throw new InputError(
      'input.dimension',
      `The ${what} has an invalid shape (rows ${m.rows}, dim ${m.dim}); both must be non-negative integers.`,
    );
  }
  if (m.data.length !== m.rows * m.dim) {
    throw new InputError(
      'input.dimension',
      `The ${what} holds ${m.data.length} values but rows × dim = ${m.rows} × ${m.dim} = ${m.rows * m.dim}.`,
    );
  }
}

/** Allocates a zero-filled `rows × dim` matrix. */
export function createMatrix(rows: number, dim: number): Matrix {
  const m: Matrix = { data: new Float32Array(rows * dim), rows, dim };
  assertMatrix(m);
  return m;
}

/**
 * Builds a matrix by copying rows given as arrays (values are rounded to float32).
 *
 * @param rowValues - the rows; all must have the same length. An empty list gives a `0 × dim` matrix
 *   where `dim` is `dimIfEmpty` (default 0).
 * @throws InputError `input.dimension` when the rows differ in length.
 */
export function matrixFromRows(rowValues: readonly ArrayLike<number>[], dimIfEmpty = 0): Matrix {
  const rows = rowValues.length;
  const dim = rows === 0 ? dimIfEmpty : rowValues[0].length;
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const row = rowValues[i];
    if (row.length !== dim) {
      throw new InputError('input.dimension', `Row ${i} has ${row.length} values; row 0 has ${dim}.`);
    }
    for (let j = 0; j < dim; j++) data[i * dim + j] = row[j];
  }
  return { data, rows, dim };
}

/**
 * A view (no copy) of row `i`: writes to the view write to the matrix.
 *
 * @throws InputError `input.dimension` when `i` is not an integer in `[0, rows)`.
 */
export function getRow(m: Matrix, i: number): Float32Array {
  if (!Number.isInteger(i) || i < 0 || i >= m.rows) {
    throw new InputError('input.dimension', `Row ${i} does not exist in a matrix of ${m.rows} rows.`);
  }
  return m.data.subarray(i * m.dim, (i + 1) * m.dim);
}

/**
 * Copies the given rows, in the given order (repeats allowed), into a new matrix.
 *
 * @throws InputError `input.dimension` when an index is out of range.
 */
export function selectRows(m: Matrix, indices: readonly number[]): Matrix {
  const { dim } = m;
  const data = new Float32Array(indices.length * dim);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= m.rows) {
      throw new InputError('input.dimension', `Row ${i} does not exist in a matrix of ${m.rows} rows.`);
    }
    data.set(m.data.subarray(i * dim, (i + 1) * dim), r * dim);
  }
  return { data, rows: indices.length, dim };
}

/** The first `[row, column]` holding NaN or ±Infinity, or `null` when every value is finite. */
export function findNonFinite(m: Matrix): [row: number, column: number] | null {
  const { data, dim } = m;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) return [Math.floor(k / dim), k % dim];
  }
  return null;
}

/**
 * Checks the shape invariant and that every value is finite.
 *
 * @param what - how to name the matrix in messages, e.g. `'training features'`.
 * @throws InputError `input.dimension` (bad shape) or `input.not-finite` naming the first bad row and column
 *   (0-based).
 */
export function assertFiniteMatrix(m: Matrix, what = 'matrix'): void {
  assertMatrix(m, what);
  const bad = findNonFinite(m);
  if (bad !== null) {
    const [row, column] = bad;
    const value = m.data[row * m.dim + column];
    throw new InputError(
      'input.not-finite',
      `Row ${row} of the ${what} has the value ${value} in column ${column}; every feature must be a finite ` +
        'number. Check that row’s text and the embedding that produced it.',
    );
  }
}

/** Copies a matrix into a new row-major float64 array (used by the trainers for exact arithmetic). */
export function toFloat64(m: Matrix): Float64Array {
  return Float64Array.from(m.data);
}

/**
 * Checks a labelled training set before any classifier sees it.
 *
 * @param x - features, one row per pair; `y` - class id per row; `nClasses` - number of classes (≥ 2).
 * @param classNames - optional display names per class id, used in messages.
 * @throws InputError `input.empty` (no rows), `input.dimension` (rows ≠ labels, or bad shape),
 *   `input.not-finite` (naming the row), `input.label` (an id outside `[0, nClasses)`), `input.option`
 *   (`nClasses < 2`), `input.single-class` (every row has the same label).
 */
export function assertTrainingSet(
  x: Matrix,
  y: readonly number[],
  nClasses: number,
  classNames?: readonly string[],
): void {
  assertMatrix(x, 'training features');
  if (x.rows === 0) throw new InputError('input.empty', 'There are no training pairs.');
  if (y.length !== x.rows) {
    throw new InputError(
      'input.dimension',
      `There are ${x.rows} training feature rows but ${y.length} labels; they must pair up one to one.`,
    );
  }
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new InputError(
      'input.option',
      `A classifier needs at least 2 classes; got nClasses = ${nClasses}.`,
    );
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= nClasses) {
      throw new InputError(
        'input.label',
        `Training label ${i} is ${v}; class ids run from 0 to ${nClasses - 1}.`,
      );
    }
  }
  assertFiniteMatrix(x, 'training features');
  const first = y[0];
  if (y.every((v) => v === first)) {
    const name = classNames?.[first] ?? String(first);
    throw new InputError(
      'input.single-class',
      `All ${y.length} training pairs have the label ${name}; a classifier needs at least two classes. ` +
        'Add pairs of another class.',
    );
  }
}
