/**
 * Feature standardisation, computed like scikit-learn 1.2.1 `StandardScaler()` on float32 input:
 * float64 mean and population variance (ddof = 0, two-pass with a correction term), scale = √variance, and
 * scale 1 for (near-)constant features, so standardised features match sklearn's to float32 rounding.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, assertMatrix, type Matrix } from './matrix';

/**
 * A fitted scaler: `z = (x − mean) / scale`, per feature. Plain arrays so it serialises as JSON.
 * Invariant: `mean.length === scale.length === dim`, every `scale[j] > 0`.
 */
export interface StandardScaler {
  /** Per-feature mean of the rows it was fitted on. */
  mean: number[];
  /** Per-feature standard deviation (ddof = 0), or 1 where the feature is constant. */
  scale: number[];
  /** Feature dimension. */
  dim: number;
}

/**
 * Fits a scaler on the given rows (use the training rows only, so no test information leaks in).
 *
 * A feature counts as constant — and gets scale 1, so it maps to 0 instead of dividing by ~0 — when its
 * variance is at most `n·ε·var + (n·mean·ε)²` (ε = 2.2e-16, n = rows), sklearn's `_is_constant_feature` test.
 *
 * @throws InputError `input.empty` for no rows, `input.dimension` / `input.not-finite` for a bad matrix.
 */
export function fitStandardScaler(x: Matrix): StandardScaler {
  assertFiniteMatrix(x, 'features to standardise');
  const { rows, dim, data } = x;
  if (rows === 0) throw new InputError('input.empty', 'Standardisation needs at least one row to fit on.');
  const sum = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    for (let j = 0; j < dim; j++) sum[j] += data[offset + j];
  }
  const mean = new Float64Array(dim);
  for (let j = 0; j < dim; j++) mean[j] = sum[j] / rows;
  // Corrected two-pass variance: Σ(x − m)² − (Σ(x − m))² / n, as sklearn's _incremental_mean_and_var.
  const correction = new Float64Array(dim);
  const squares = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    for (let j = 0; j < dim; j++) {
      const d = data[offset + j] - mean[j];
      correction[j] += d;
      squares[j] += d * d;
    }
  }
  const eps = Number.EPSILON;
  const scale = new Array<number>(dim);
  for (let j = 0; j < dim; j++) {
    const variance = (squares[j] - (correction[j] * correction[j]) / rows) / rows;
    const upperBound = rows * eps * variance + (rows * mean[j] * eps) ** 2;
    scale[j] = variance <= upperBound ? 1 : Math.sqrt(variance);
  }
  return { mean: Array.from(mean), scale, dim };
}

/**
 * Applies a fitted scaler to any matrix with the same dimension; returns a new matrix, the input is not
 * changed. Each value is computed as sklearn does on float32 input: `fround(fround(x − mean) / scale)`.
 *
 * @throws InputError `input.dimension` when `x.dim !== scaler.dim`.
 */
export function applyStandardScaler(scaler: StandardScaler, x: Matrix): Matrix {
  assertMatrix(x, 'features to standardise');
  if (x.dim !== scaler.dim) {
    throw new InputError(
      'input.dimension',
      `The features have ${x.dim} dimensions but the scaler was fitted on ${scaler.dim}.`,
    );
  }
  const { rows, dim, data } = x;
  const out = new Float32Array(rows * dim);
  const mean = Float64Array.from(scaler.mean);
  const scale = Float64Array.from(scaler.scale);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    for (let j = 0; j < dim; j++) out[offset + j] = Math.fround(data[offset + j] - mean[j]) / scale[j];
  }
  return { data: out, rows, dim };
}
