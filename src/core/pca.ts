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
   * (scikit-learn's randomized solver uses 4–7); each costs two passes of matrix products over the data.
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
const TARGET_WORK_PER_CHUNK = 1e8;

/**
 * Orthonormalises the columns of a `dim × l` row-major matrix in place: modified Gram–Schmidt applied
 * twice ("twice is enough" for orthogonality to rounding). A column that vanishes (the data has lower rank
 * than `l`) is replaced by a fresh random direction orthogonal to the others, so the basis stays full.
 */
function orthonormalizeColumns(q: Float64Array, dim: number, l: number, random: Random): void {
  for (let c = 0; c < l; c++) {
    let original = 0;
    for (let d = 0; d < dim; d++) original += q[d * l + c] ** 2;
    original = Math.sqrt(original);
    for (let attempt = 0; ; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < c; p++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += q[d * l + p] * q[d * l + c];
          for (let d = 0; d < dim; d++) q[d * l + c] -= dot * q[d * l + p];
        }
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += q[d * l + c] ** 2;
      norm = Math.sqrt(norm);
      // 1e-10 of the column's size before projection: what is left is rounding noise, not a direction.
      if (norm > 1e-10 * original && norm > 0) {
        for (let d = 0; d < dim; d++) q[d * l + c] /= norm;
        break;
      }
      if (attempt > 10) throw new Error('PCA could not complete an orthonormal basis.');
      for (let d = 0; d < dim; d++) q[d * l + c] = randomNormal(random);
      original = 0;
      for (let d = 0; d < dim; d++) original += q[d * l + c] ** 2;
      original = Math.sqrt(original);
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
 * PCA as a generator: yields {@link PcaProgress} after each chunk of rows of each pass over the data and
 * returns the {@link PcaResult}. Stop iterating to cancel. Deterministic for a given generator state.
 *
 * Passes: `nIter` subspace iterations (`Z = Xcᵀ·(Xc·Q)`, then orthonormalise), one Rayleigh–Ritz pass, one
 * projection pass. Arithmetic is float64; results are rounded to float32.
 *
 * @throws InputError `input.too-few` for fewer than 2 rows, `input.dimension` / `input.not-finite` for a
 *   bad matrix, `input.option` for a bad `nComponents`, `nIter` or `oversample`.
 */
export function* pcaSteps(x: Matrix, options: PcaOptions): Generator<PcaProgress, PcaResult, void> {
  assertFiniteMatrix(x, 'vectors for PCA');
  const { data, rows, dim } = x;
  const { nComponents: k, random, nIter = 4, oversample = 10 } = options;
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

  const chunkRows = Math.max(1, Math.round(TARGET_WORK_PER_CHUNK / (2 * dim * l)));
  const total = (nIter + 2) * rows;
  let done = 0;
  const centred = new Float64Array(dim);
  const t = new Float64Array(l);
  /** Centres row i into `centred` and sets `t = centred · Q` (length l). */
  const projectRow = (i: number, q: Float64Array, width: number): void => {
    const offset = i * dim;
    t.fill(0);
    for (let d = 0; d < dim; d++) {
      const v = data[offset + d] - mean[d];
      centred[d] = v;
      const row = d * width;
      for (let c = 0; c < width; c++) t[c] += v * q[row + c];
    }
  };

  let q = new Float64Array(dim * l);
  for (let e = 0; e < q.length; e++) q[e] = randomNormal(random);
  orthonormalizeColumns(q, dim, l, random);

  for (let iter = 0; iter < nIter; iter++) {
    const z = new Float64Array(dim * l);
    for (let i = 0; i < rows; i++) {
      projectRow(i, q, l);
      for (let d = 0; d < dim; d++) {
        const v = centred[d];
        const row = d * l;
        for (let c = 0; c < l; c++) z[row + c] += v * t[c];
      }
      if ((i + 1) % chunkRows === 0 || i === rows - 1) {
        done = iter * rows + i + 1;
        yield { done, total };
      }
    }
    orthonormalizeColumns(z, dim, l, random);
    q = z;
  }

  // Rayleigh–Ritz: B = Qᵀ C Q = Σ tᵢ tᵢᵀ / (rows − 1), then rotate Q by B's eigenvectors.
  const b = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    projectRow(i, q, l);
    for (let r = 0; r < l; r++) {
      const tr = t[r];
      for (let c = r; c < l; c++) b[r * l + c] += tr * t[c];
    }
    if ((i + 1) % chunkRows === 0 || i === rows - 1) {
      done = nIter * rows + i + 1;
      yield { done, total };
    }
  }
  for (let r = 0; r < l; r++) {
    for (let c = r; c < l; c++) {
      b[r * l + c] /= rows - 1;
      b[c * l + r] = b[r * l + c];
    }
  }
  const eigen = symmetricEigen(b, l);
  // W = Q · V[:, :k], as a dim × k row-major matrix; then fix signs.
  const w = new Float64Array(dim * k);
  for (let d = 0; d < dim; d++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = 0; r < l; r++) s += q[d * l + r] * eigen.vectors[r * l + c];
      w[d * k + c] = s;
    }
  }
  for (let c = 0; c < k; c++) {
    let largest = 0;
    for (let d = 0; d < dim; d++) if (Math.abs(w[d * k + c]) > Math.abs(largest)) largest = w[d * k + c];
    if (largest < 0) for (let d = 0; d < dim; d++) w[d * k + c] = -w[d * k + c];
  }

  const projected = new Float32Array(rows * k);
  const tk = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    tk.fill(0);
    for (let d = 0; d < dim; d++) {
      const v = data[offset + d] - mean[d];
      const row = d * k;
      for (let c = 0; c < k; c++) tk[c] += v * w[row + c];
    }
    projected.set(tk, i * k);
    if ((i + 1) % chunkRows === 0 || i === rows - 1) {
      done = (nIter + 1) * rows + i + 1;
      yield { done, total };
    }
  }

  const components = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) for (let d = 0; d < dim; d++) components[c * dim + d] = w[d * k + c];
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    // Rounding can leave tiny negative eigenvalues for directions with no variance.
    explainedVariance[c] = Math.max(0, eigen.values[c]);
    explainedVarianceRatio[c] = totalVariance > 0 ? explainedVariance[c] / totalVariance : 0;
  }
  return {
    projected: { data: projected, rows, dim: k },
    components,
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
