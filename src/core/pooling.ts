/**
 * Pooling token vectors into one vector per sequence, and assembling pair feature vectors.
 * Hidden states come as row-major `[rows, length, dim]` Float32Arrays with an attention mask `[rows, length]`.
 */
import type { Pooling, SbertParts } from './recipe';

/** Hidden states of one batch for one layer: `data.length === rows * length * dim`. */
export interface HiddenStates {
  data: Float32Array;
  rows: number;
  length: number;
  dim: number;
}

/** Output width of a pooling for hidden size `dim`. */
export function pooledDimension(pooling: Pooling, dim: number): number {
  return pooling === 'mean-max' ? 2 * dim : dim;
}

/**
 * Pools row `row` of `states` into `out` (starting at `offset`) using the tokens whose mask is non-zero.
 * A row with no unmasked tokens (cannot happen with [CLS]/[SEP], but can in origin mode with empty text)
 * pools to zeros rather than NaN. Sums are done in float64 so long sequences lose no precision.
 */
export function poolRow(
  states: HiddenStates,
  mask: ArrayLike<bigint | number>,
  row: number,
  pooling: Pooling,
  out: Float32Array,
  offset: number,
): void {
  const { data, length, dim } = states;
  if (data.length !== states.rows * length * dim) {
    throw new RangeError(
      `hidden states hold ${data.length} values, expected ${states.rows}×${length}×${dim}`,
    );
  }
  const base = row * length * dim;
  let firstToken = -1;
  let lastToken = -1;
  let count = 0;
  for (let t = 0; t < length; t++) {
    if (Number(mask[row * length + t]) !== 0) {
      if (firstToken < 0) firstToken = t;
      lastToken = t;
      count++;
    }
  }
  if (count === 0) {
    out.fill(0, offset, offset + pooledDimension(pooling, dim));
    return;
  }
  if (pooling === 'first' || pooling === 'last') {
    const t = pooling === 'first' ? firstToken : lastToken;
    out.set(data.subarray(base + t * dim, base + (t + 1) * dim), offset);
    return;
  }
  if (pooling === 'mean' || pooling === 'mean-max') {
    const sums = new Float64Array(dim);
    for (let t = 0; t < length; t++) {
      if (Number(mask[row * length + t]) === 0) continue;
      const at = base + t * dim;
      for (let d = 0; d < dim; d++) sums[d] = sums[d] + data[at + d];
    }
    for (let d = 0; d < dim; d++) out[offset + d] = sums[d] / count;
  }
  if (pooling === 'max' || pooling === 'mean-max') {
    const at0 = offset + (pooling === 'mean-max' ? dim : 0);
    out.fill(-Infinity, at0, at0 + dim);
    for (let t = 0; t < length; t++) {
      if (Number(mask[row * length + t]) === 0) continue;
      const at = base + t * dim;
      for (let d = 0; d < dim; d++) {
        const value = data[at + d];
        if (value > out[at0 + d]) out[at0 + d] = value;
      }
    }
  }
}

/** Divides `v[offset, offset+dim)` by its L2 norm in place; a zero vector stays zero. */
export function normalizeInPlace(v: Float32Array, offset: number, dim: number): void {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += v[offset + d] ** 2;
  const norm = Math.sqrt(sum);
  if (norm === 0) return;
  for (let d = 0; d < dim; d++) v[offset + d] = v[offset + d] / norm;
}

/**
 * Writes the sentence-transformers pair features of u and v (each `dim` long) into `out` at `offset`:
 * the enabled parts of [u, v, |u−v|, u∘v], in that order.
 */
export function combineSentenceVectors(
  u: Float32Array,
  v: Float32Array,
  parts: SbertParts,
  out: Float32Array,
  offset: number,
): void {
  const dim = u.length;
  let at = offset;
  if (parts.u) {
    out.set(u, at);
    at += dim;
  }
  if (parts.v) {
    out.set(v, at);
    at += dim;
  }
  if (parts.absDiff) {
    for (let d = 0; d < dim; d++) out[at + d] = Math.abs(u[d] - v[d]);
    at += dim;
  }
  if (parts.product) {
    for (let d = 0; d < dim; d++) out[at + d] = u[d] * v[d];
  }
}
