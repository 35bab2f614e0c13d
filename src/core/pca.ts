/**
 * Principal component analysis by randomized subspace iteration (Halko, Martinsson & Tropp 2011,
 * algorithm 4.4 with Rayleigh–Ritz): the top components of the covariance without ever forming it, so the
 * cost is `O(rows · dim · (k + oversample))` per pass instead of `O(rows · dim²)`. Used to shrink
 * embeddings (e.g. 384 → 50 dimensions) before the kNN search of the UMAP projection.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, type Matrix } from './matrix';
import { randomNormal, type Random } from './random';

/** What {@link pca} computes. */
export interface PcaOptions {
  /** Number of components to keep, an integer in `[1, dim]`. */
  nComponents: number;
  /** The job's seeded generator (from `createRandom(seed)`); it draws the random start subspace. */
  random: Random;
  /**
   * Subspace (power) iterations; more sharpen the components when the spectrum decays slowly. Default 4
   * (scikit-learn's randomized solver uses 4–7); each is one pass over the data (two matrix products).
   */
  nIter?: number;
  /** Extra directions carried through the iterations for accuracy (Halko et al. suggest 5–10). Default 10. */
  oversample?: number;
}

/** A fitted PCA and the projected rows. */
export interface PcaResult {
  /** The centred rows projected on the components: `rows × nComponents`, row-major. */
  projected: Matrix;
  /**
   * Unit-length principal axes, `nComponents × dim` row-major, by decreasing variance. The sign of each is
   * fixed so that its largest-magnitude entry is positive.
   */
  components: Float32Array;
  /** Per-feature mean that was subtracted (length `dim`). */
  mean: Float32Array;
  /** Variance along each component (sample variance, divisor `rows − 1`). */
  explainedVariance: Float64Array;
  /** `explainedVariance` divided by the total variance of the data (each in [0, 1], sum ≤ 1). */
  explainedVarianceRatio: Float64Array;
}

/** Progress of {@link pcaSteps}: `done` of `total` rows processed, summed over all passes over the data. */
export interface PcaProgress {
  done: number;
  total: number;
}

/** Aim for about this many multiply-adds between progress reports (≈ 0.1 s in V8). */
const TARGET_WORK_PER_CHUNK = 2e8;
/** Rows per block of the matrix products. */
const BLOCK_ROWS = 64;
/** Default subspace iterations (see {@link PcaOptions.nIter}). */
export const DEFAULT_PCA_ITERATIONS = 4;
/** Default oversampling (see {@link PcaOptions.oversample}). */
export const DEFAULT_PCA_OVERSAMPLE = 10;

/**
 * Orthonormalises the rows of an `l × dim` row-major matrix in place: modified Gram–Schmidt applied twice
 * ("twice is enough" for orthogonality to rounding). A row that vanishes (the data has lower rank than `l`)
 * is replaced by a fresh random direction orthogonal to the others, so the basis stays full.
 */
function orthonormalizeRows(q: Float64Array, l: number, dim: number, random: Random): void {
  const norm = (r: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += q[r * dim + d] ** 2;
    return Math.sqrt(s);
  };
  for (let r = 0; r < l; r++) {
    const row = r * dim;
    for (let attempt = 0; ; attempt++) {
      const before = norm(r);
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < r; p++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += q[p * dim + d] * q[row + d];
          for (let d = 0; d < dim; d++) q[row + d] -= dot * q[p * dim + d];
        }
      }
      const after = norm(r);
      // Below 1e-10 of the row's size before projection, what is left is rounding noise, not a direction.
      if (after > 1e-10 * before && after > 0) {
        for (let d = 0; d < dim; d++) q[row + d] /= after;
        break;
      }
      // A random vector in dim ≥ l dimensions is independent of r < l others with probability 1.
      if (attempt > 10) throw new Error('PCA could not complete an orthonormal basis.');
      for (let d = 0; d < dim; d++) q[row + d] = randomNormal(random);
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric `n × n` matrix (row-major, overwritten) by cyclic Jacobi
 * rotations. Returns eigenvalues in decreasing order and the matching eigenvectors as columns of an
 * `n × n` row-major matrix.
 */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/**
 * `c (+)= a · bᵀ` for row-major float64 blocks: `a` is `m × len`, `b` is `n × len`, `c` is `m × n`. Every
 * entry is a dot product of two contiguous rows, computed 2 × 4 at a time in registers (8 dot products share
 * 6 loads per step; about 4× faster in V8 than accumulating into memory one product at a time).
 */
function gemmNT(
  a: Float64Array,
  m: number,
  b: Float64Array,
  n: number,
  len: number,
  c: Float64Array,
  accumulate: boolean,
): void {
  const put = (i: number, j: number, v: number): void => {
    if (accumulate) c[i * n + j] += v;
    else c[i * n + j] = v;
  };
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let d00 = 0;
      let d01 = 0;
      let d02 = 0;
      let d03 = 0;
      let d10 = 0;
      let d11 = 0;
      let d12 = 0;
      let d13 = 0;
      for (let t = 0; t < len; t++) {
        const u0 = a[a0 + t];
        const u1 = a[a1 + t];
        const v0 = b[b0 + t];
        const v1 = b[b1 + t];
        const v2 = b[b2 + t];
        const v3 = b[b3 + t];
        d00 += u0 * v0;
        d01 += u0 * v1;
        d02 += u0 * v2;
        d03 += u0 * v3;
        d10 += u1 * v0;
        d11 += u1 * v1;
        d12 += u1 * v2;
        d13 += u1 * v3;
      }
      put(i, j, d00);
      put(i, j + 1, d01);
      put(i, j + 2, d02);
      put(i, j + 3, d03);
      put(i + 1, j, d10);
      put(i + 1, j + 1, d11);
      put(i + 1, j + 2, d12);
      put(i + 1, j + 3, d13);
    }
    for (; j < n; j++) {
      const bj = j * len;
      let d0 = 0;
      let d1 = 0;
      for (let t = 0; t < len; t++) {
        d0 += a[a0 + t] * b[bj + t];
        d1 += a[a1 + t] * b[bj + t];
      }
      put(i, j, d0);
      put(i + 1, j, d1);
    }
  }
  for (; i < m; i++) {
    const ai = i * len;
    for (let j = 0; j < n; j++) {
      const bj = j * len;
      let d = 0;
      for (let t = 0; t < len; t++) d += a[ai + t] * b[bj + t];
      put(i, j, d);
    }
  }
}

/** Transposes a row-major `rows × cols` float64 matrix into `out` (`cols × rows`). */
function transposeInto(src: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
}

/**
 * PCA as a generator: yields {@link PcaProgress} after each block of rows of each pass over the data and
 * returns the {@link PcaResult}. Stop iterating to cancel. Deterministic for a given generator state.
 *
 * Passes: `nIter` subspace iterations (`Z = Xcᵀ·(Xc·Q)`, then orthonormalise), one Rayleigh–Ritz pass, one
 * projection pass; each works on blocks of centred rows with {@link gemmNT}. Arithmetic is float64; results
 * are rounded to float32.
 *
 * @throws InputError `input.too-few` for fewer than 2 rows, `input.dimension` / `input.not-finite` for a
 *   bad matrix, `input.option` for a bad `nComponents`, `nIter` or `oversample`.
 */
export function* pcaSteps(x: Matrix, options: PcaOptions): Generator<PcaProgress, PcaResult, void> {
  assertFiniteMatrix(x, 'vectors for PCA');
  const { data, rows, dim } = x;
  const {
    nComponents: k,
    random,
    nIter = DEFAULT_PCA_ITERATIONS,
    oversample = DEFAULT_PCA_OVERSAMPLE,
  } = options;
  if (rows < 2) {
    throw new InputError(
      'input.too-few',
      `PCA needs at least 2 rows; there ${rows === 1 ? 'is 1' : 'are 0'}.`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > dim) {
    throw new InputError(
      'input.option',
      `The number of PCA components must be a whole number from 1 to the dimension ${dim}; got ${k}.`,
    );
  }
  if (!Number.isInteger(nIter) || nIter < 0) {
    throw new InputError('input.option', `PCA iterations must be a whole number ≥ 0; got ${nIter}.`);
  }
  if (!Number.isInteger(oversample) || oversample < 0) {
    throw new InputError('input.option', `PCA oversampling must be a whole number ≥ 0; got ${oversample}.`);
  }
  const l = Math.min(dim, k + oversample);

  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) mean[d] += data[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= rows;
  let totalVariance = 0;
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < dim; d++) totalVariance += (data[i * dim + d] - mean[d]) ** 2;
  }
  totalVariance /= rows - 1;

  // Row blocks: 64 rows keep the dim × 64 transposed block in cache for dim up to a few thousand.
  const blockRows = Math.min(rows, BLOCK_ROWS);
  const xb = new Float64Array(blockRows * dim);
  const xbT = new Float64Array(dim * blockRows);
  const tb = new Float64Array(blockRows * l);
  const tbT = new Float64Array(l * blockRows);
  /** Centres rows [start, start + count) into `xb` (count × dim). */
  const loadBlock = (start: number, count: number): void => {
    for (let b = 0; b < count; b++) {
      const src = (start + b) * dim;
      const dst = b * dim;
      for (let d = 0; d < dim; d++) xb[dst + d] = data[src + d] - mean[d];
    }
  };
  const total = (nIter + 2) * rows;
  const reportEvery = Math.max(1, Math.round(TARGET_WORK_PER_CHUNK / (2 * dim * l)));
  let sinceReport = 0;

  // The basis is kept as rows: qT is l × dim, each row a unit vector.
  let qT = new Float64Array(l * dim);
  for (let e = 0; e < qT.length; e++) qT[e] = randomNormal(random);
  orthonormalizeRows(qT, l, dim, random);

  for (let iter = 0; iter < nIter; iter++) {
    const zT = new Float64Array(l * dim);
    for (let start = 0; start < rows; start += blockRows) {
      const count = Math.min(blockRows, rows - start);
      loadBlock(start, count);
      gemmNT(xb, count, qT, l, dim, tb, false); // T = Xb · Q          (count × l)
      transposeInto(xb, count, dim, xbT);
      transposeInto(tb, count, l, tbT);
      gemmNT(tbT, l, xbT, dim, count, zT, true); // Zᵀ += Tᵀ · Xb     (l × dim)
      sinceReport += count;
      if (sinceReport >= reportEvery || start + count === rows) {
        sinceReport = 0;
        yield { done: iter * rows + start + count, total };
      }
    }
    orthonormalizeRows(zT, l, dim, random);
    qT = zT;
  }

  // Rayleigh–Ritz: B = Qᵀ C Q = Σ tᵢ tᵢᵀ / (rows − 1), then rotate the basis by B's eigenvectors.
  const b = new Float64Array(l * l);
  for (let start = 0; start < rows; start += blockRows) {
    const count = Math.min(blockRows, rows - start);
    loadBlock(start, count);
    gemmNT(xb, count, qT, l, dim, tb, false);
    transposeInto(tb, count, l, tbT);
    gemmNT(tbT, l, tbT, l, count, b, true);
    sinceReport += count;
    if (sinceReport >= reportEvery || start + count === rows) {
      sinceReport = 0;
      yield { done: nIter * rows + start + count, total };
    }
  }
  for (let e = 0; e < b.length; e++) b[e] /= rows - 1;
  const eigen = symmetricEigen(b, l);
  // Wᵀ = V[:, :k]ᵀ · Qᵀ (k × dim); then fix signs.
  const wT = new Float64Array(k * dim);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < l; r++) {
      const v = eigen.vectors[r * l + c];
      for (let d = 0; d < dim; d++) wT[c * dim + d] += v * qT[r * dim + d];
    }
    let largest = 0;
    for (let d = 0; d < dim; d++)
      if (Math.abs(wT[c * dim + d]) > Math.abs(largest)) largest = wT[c * dim + d];
    if (largest < 0) for (let d = 0; d < dim; d++) wT[c * dim + d] = -wT[c * dim + d];
  }

  const projected = new Float32Array(rows * k);
  const yb = new Float64Array(blockRows * k);
  for (let start = 0; start < rows; start += blockRows) {
    const count = Math.min(blockRows, rows - start);
    loadBlock(start, count);
    gemmNT(xb, count, wT, k, dim, yb, false);
    projected.set(yb.subarray(0, count * k), start * k);
    sinceReport += count;
    if (sinceReport >= reportEvery || start + count === rows) {
      sinceReport = 0;
      yield { done: (nIter + 1) * rows + start + count, total };
    }
  }

  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    // Rounding can leave tiny negative eigenvalues for directions with no variance.
    explainedVariance[c] = Math.max(0, eigen.values[c]);
    explainedVarianceRatio[c] = totalVariance > 0 ? explainedVariance[c] / totalVariance : 0;
  }
  return {
    projected: { data: projected, rows, dim: k },
    components: Float32Array.from(wT),
    mean: Float32Array.from(mean),
    explainedVariance,
    explainedVarianceRatio,
  };
}

/** PCA without progress reports; see {@link pcaSteps}. */
export function pca(x: Matrix, options: PcaOptions): PcaResult {
  const steps = pcaSteps(x, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
