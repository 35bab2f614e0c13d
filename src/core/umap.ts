/**
 * UMAP on typed arrays (McInnes, Healy & Melville 2018, as umap-learn 0.5 behaves): the fuzzy simplicial
 * set of a k-nearest-neighbour graph, the `a`, `b` curve of the low-dimensional similarity, and the
 * stochastic gradient descent that lays the graph out in 2-D, one epoch per {@link LayoutOptimizer.step}.
 *
 * Everything is flat typed arrays (no per-row objects or Maps), so building the graph of 10 000 rows takes
 * tens of milliseconds, where umap-js 1.4.0's sparse-matrix code takes seconds.
 */
import { InputError } from './errors';
import type { KnnResult } from './neighbors';
import type { Random } from './random';

/**
 * Smooth-kNN binary search: stop when the sum of memberships is within this of its target (umap-learn's
 * `SMOOTH_K_TOLERANCE`).
 */
const SMOOTH_K_TOLERANCE = 1e-5;
/** Smooth-kNN binary search: at most this many halvings (umap-learn's `n_iter`; 2⁻⁶⁴ is below float64). */
const SMOOTH_K_ITERATIONS = 64;
/**
 * A row's bandwidth σ is kept at least this fraction of its mean neighbour distance (umap-learn's
 * `MIN_K_DIST_SCALE`), so a row whose neighbours all sit at ρ does not get σ → 0.
 */
const MIN_K_DIST_SCALE = 1e-3;
/** Gradients are clipped to ±4 per coordinate (umap-learn's `clip`), which keeps early epochs stable. */
const GRADIENT_CLIP = 4;
/** Keeps the repulsive gradient `2γb / ((ε + d²)(1 + a d²ᵇ))` finite as d → 0 (umap-learn's ε). */
const REPULSION_EPSILON = 0.001;

/** The σ and ρ of each row found by {@link smoothKnnDistances}. */
export interface SmoothKnn {
  /**
   * Per-row bandwidth σᵢ > 0, in input distance units (vanishingly small when every distance in the data is
   * 0; every membership is then 1).
   */
  sigmas: Float64Array;
  /** Per-row distance to the nearest neighbour at a non-zero distance, ρᵢ ≥ 0 (0 if there is none). */
  rhos: Float64Array;
}

/**
 * Per-row ρ and σ of UMAP's local metric (umap-learn's `smooth_knn_dist` with `local_connectivity` 1 and
 * bandwidth 1): ρᵢ is the distance to the nearest neighbour at a distance > 0, and σᵢ solves
 * `Σⱼ exp(−max(0, dᵢⱼ − ρᵢ) / σᵢ) = log₂(k + 1)` over the row's k neighbours by bisection. The target counts
 * the row itself among its `k + 1` neighbours, as umap-learn's `n_neighbors` does.
 *
 * @param knn - the neighbours of each row, without the row itself (as {@link KnnResult} is), nearest first.
 */
export function smoothKnnDistances(knn: KnnResult): SmoothKnn {
  const { rows, k, distances } = knn;
  const target = Math.log2(k + 1);
  const sigmas = new Float64Array(rows);
  const rhos = new Float64Array(rows);
  let meanAll = 0;
  for (let e = 0; e < distances.length; e++) meanAll += distances[e];
  meanAll = distances.length > 0 ? meanAll / distances.length : 0;

  for (let i = 0; i < rows; i++) {
    const base = i * k;
    let rho = 0;
    let meanRow = 0;
    for (let s = 0; s < k; s++) {
      const d = distances[base + s];
      meanRow += d;
      // Nearest first, so the first non-zero distance is the smallest one.
      if (rho === 0 && d > 0) rho = d;
    }
    meanRow /= k;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let iter = 0; iter < SMOOTH_K_ITERATIONS; iter++) {
      let sum = 0;
      for (let s = 0; s < k; s++) {
        const d = distances[base + s] - rho;
        sum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? meanRow : meanAll);
    sigmas[i] = Math.max(mid, floor);
    rhos[i] = rho;
  }
  return { sigmas, rhos };
}

/**
 * A symmetric weighted graph as a list of directed edges sorted by `head`, then `tail`: each undirected
 * edge {i, j} appears twice, as (i, j) and (j, i), with the same weight. No self-loops, no zero weights.
 */
export interface FuzzyGraph {
  /** Number of vertices (rows). */
  rows: number;
  /** Source vertex of each edge. */
  head: Int32Array;
  /** Target vertex of each edge. */
  tail: Int32Array;
  /** Membership strength of each edge, in (0, 1]. */
  weight: Float64Array;
}

/**
 * UMAP's fuzzy simplicial set of a kNN graph (umap-learn's `fuzzy_simplicial_set` with
 * `set_op_mix_ratio` 1): directed memberships `wᵢⱼ = exp(−max(0, dᵢⱼ − ρᵢ) / σᵢ)` (1 when σᵢ = 0), then the
 * fuzzy union `wᵢⱼ + wⱼᵢ − wᵢⱼ·wⱼᵢ`, which is symmetric and stays in [0, 1].
 *
 * Cost: `O(rows · k²)` (each edge looks for its reverse among the k neighbours of its target).
 *
 * @param knn - neighbours without the row itself; every row's list must hold distinct indices.
 */
export function fuzzySimplicialSet(knn: KnnResult): FuzzyGraph {
  const { rows, k, indices, distances } = knn;
  const { sigmas, rhos } = smoothKnnDistances(knn);
  const member = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < k; s++) {
      const e = i * k + s;
      const d = distances[e] - rhos[i];
      member[e] = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-d / sigmas[i]);
    }
  }
  // Each directed kNN edge (i, j) yields (i, j) with the union weight; when j does not list i, it also
  // yields the reverse (j, i), which no kNN edge of j would produce.
  // At most two directed edges per kNN edge.
  const pairs = new Int32Array(4 * rows * k);
  const weights = new Float64Array(2 * rows * k);
  let nEdges = 0;
  const emit = (i: number, j: number, w: number): void => {
    pairs[2 * nEdges] = i;
    pairs[2 * nEdges + 1] = j;
    weights[nEdges++] = w;
  };
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < k; s++) {
      const e = i * k + s;
      const j = indices[e];
      if (j === i) continue;
      const w = member[e];
      let reverse = -1;
      for (let t = 0; t < k; t++) {
        if (indices[j * k + t] === i) {
          reverse = j * k + t;
          break;
        }
      }
      const wr = reverse < 0 ? 0 : member[reverse];
      const union = w + wr - w * wr;
      if (union <= 0) continue;
      emit(i, j, union);
      if (reverse < 0) emit(j, i, union);
    }
  }
  // Sort by (head, tail): a counting sort by head, then each head's few tails by insertion sort.
  const start = new Int32Array(rows + 1);
  for (let e = 0; e < nEdges; e++) start[pairs[2 * e] + 1]++;
  for (let i = 0; i < rows; i++) start[i + 1] += start[i];
  const fill = start.slice(0, rows);
  const head = new Int32Array(nEdges);
  const tail = new Int32Array(nEdges);
  const weight = new Float64Array(nEdges);
  for (let e = 0; e < nEdges; e++) {
    const at = fill[pairs[2 * e]]++;
    head[at] = pairs[2 * e];
    tail[at] = pairs[2 * e + 1];
    weight[at] = weights[e];
  }
  for (let i = 0; i < rows; i++) {
    for (let a = start[i] + 1; a < start[i + 1]; a++) {
      const t = tail[a];
      const w = weight[a];
      let b = a - 1;
      for (; b >= start[i] && tail[b] > t; b--) {
        tail[b + 1] = tail[b];
        weight[b + 1] = weight[b];
      }
      tail[b + 1] = t;
      weight[b + 1] = w;
    }
  }
  return { rows, head, tail, weight };
}

/** Parameters of the low-dimensional similarity `1 / (1 + a·d^(2b))`. */
export interface CurveParams {
  a: number;
  b: number;
}

/**
 * Fits `a`, `b` so that `1 / (1 + a·x^(2b))` matches, in least squares on 300 points of [0, 3·spread],
 * the target `1` for `x < minDist` and `exp(−(x − minDist) / spread)` beyond (umap-learn's
 * `find_ab_params`). Levenberg–Marquardt with the analytic Jacobian; for minDist 0.1 and spread 1 it gives
 * umap-learn's a ≈ 1.577, b ≈ 0.895.
 *
 * @throws InputError `input.option` unless `spread > 0` and `0 ≤ minDist ≤ spread`.
 */
export function findAbParams(spread: number, minDist: number): CurveParams {
  if (!(spread > 0) || !Number.isFinite(spread) || !(minDist >= 0) || minDist > spread) {
    throw new InputError(
      'input.option',
      `UMAP needs spread > 0 and 0 ≤ minDist ≤ spread; got spread ${spread}, minDist ${minDist}.`,
    );
  }
  const n = 300;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    xs[p] = (3 * spread * p) / (n - 1);
    ys[p] = xs[p] < minDist ? 1 : Math.exp(-(xs[p] - minDist) / spread);
  }
  const residuals = (a: number, b: number): number => {
    let sum = 0;
    for (let p = 0; p < n; p++) {
      const r = 1 / (1 + a * Math.pow(xs[p], 2 * b)) - ys[p];
      sum += r * r;
    }
    return sum;
  };
  let a = 1;
  let b = 1;
  let cost = residuals(a, b);
  let lambda = 1e-3;
  for (let iter = 0; iter < 200; iter++) {
    // Normal equations JᵀJ δ = −Jᵀr of the 2-parameter problem.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let p = 0; p < n; p++) {
      const x = xs[p];
      if (x === 0) continue; // f(0) = 1 for every a, b > 0: no residual, no gradient.
      const x2b = Math.pow(x, 2 * b);
      const f = 1 / (1 + a * x2b);
      const r = f - ys[p];
      const dfda = -x2b * f * f;
      const dfdb = -a * x2b * 2 * Math.log(x) * f * f;
      jaa += dfda * dfda;
      jab += dfda * dfdb;
      jbb += dfdb * dfdb;
      ga += dfda * r;
      gb += dfdb * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const maa = jaa * (1 + lambda);
      const mbb = jbb * (1 + lambda);
      const det = maa * mbb - jab * jab;
      const da = (-ga * mbb + gb * jab) / det;
      const db = (-gb * maa + ga * jab) / det;
      const na = a + da;
      const nb = b + db;
      const nextCost = na > 0 && nb > 0 ? residuals(na, nb) : Infinity;
      if (nextCost < cost) {
        improved = true;
        const change = Math.abs(da) + Math.abs(db);
        a = na;
        b = nb;
        cost = nextCost;
        lambda = Math.max(lambda / 10, 1e-12);
        if (change < 1e-12) return { a, b };
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return { a, b };
}

/** Settings of a {@link LayoutOptimizer}. */
export interface LayoutOptions {
  /** Epochs to run, ≥ 1. */
  nEpochs: number;
  /** Curve parameters from {@link findAbParams}. */
  curve: CurveParams;
  /** The job's generator (`createRandom(seed)`); it seeds the negative sampling. */
  random: Random;
  /** Initial learning rate, decayed linearly to 0 over the epochs. Default 1 (umap-learn's). */
  learningRate?: number;
  /** Negative samples per positive sample. Default 5 (umap-learn's). */
  negativeSampleRate?: number;
  /** Weight γ of the repulsive term. Default 1 (umap-learn's). */
  repulsionStrength?: number;
}

/**
 * Gradient coefficients as functions of the squared distance d², tabulated on the bit pattern of d² as a
 * float32: `2^TABLE_BITS` cells per octave from 2^{@link TABLE_MIN_OCTAVE} to 2^{@link TABLE_MAX_OCTAVE},
 * linear within a cell (the interpolation weight is the low mantissa bits). The coefficients are close to
 * power laws in d², so interpolating over 1/128 of an octave stays within 1e-4 of the exact value,
 * relative (measured: 4e-5 at minDist 0.1, spread 1; under 9e-5 for minDist 0–1, spread 0.2–3), far below
 * the noise of stochastic gradient descent; and a lookup costs a few nanoseconds where `Math.pow` costs
 * about 50 in V8. Outside the table (d < 2.4e-4 or d > 4096) the coefficients are computed exactly.
 */
const TABLE_BITS = 7;
const TABLE_MIN_OCTAVE = -24;
const TABLE_MAX_OCTAVE = 24;
const TABLE_SHIFT = 23 - TABLE_BITS;
const TABLE_FRACTION = 1 / (1 << TABLE_SHIFT);
const TABLE_CELLS = (TABLE_MAX_OCTAVE - TABLE_MIN_OCTAVE) << TABLE_BITS;
/** Float32 bit pattern of 2^TABLE_MIN_OCTAVE, shifted like a lookup: the index of the table's first cell. */
const TABLE_BASE = (127 + TABLE_MIN_OCTAVE) << TABLE_BITS;

/** Attractive coefficient `−2ab·d^(2(b−1)) / (1 + a·d^(2b))` at squared distance `d2 > 0`. */
function attraction(d2: number, a: number, b: number): number {
  const pb = Math.pow(d2, b);
  return (-2 * a * b * pb) / d2 / (a * pb + 1);
}

/** Repulsive coefficient `2γb / ((ε + d²)(1 + a·d^(2b)))` at squared distance `d2 > 0`. */
function repulsion(d2: number, a: number, b: number, gamma: number): number {
  return (2 * gamma * b) / ((REPULSION_EPSILON + d2) * (a * Math.pow(d2, b) + 1));
}

/** Draws a nonzero 32-bit seed for the optimiser's inner generator from the job's generator. */
function seedFrom(random: Random): number {
  return Math.floor(random() * 0xffffffff) + 1;
}

/**
 * UMAP's layout optimisation in 2-D (umap-learn's `optimize_layout_euclidean`), one epoch per
 * {@link step} so the caller can report progress and stop between epochs.
 *
 * Edges lighter than `max weight / nEpochs` are dropped (they would be sampled less than once). Each kept
 * edge is sampled `nEpochs · w / wmax` times over the run, evenly spaced; each sample pulls both ends
 * together and pushes its head away from `negativeSampleRate` uniformly drawn vertices. Gradients are
 * clipped to ±4 per coordinate; the learning rate falls linearly from its initial value towards 0.
 *
 * Negative samples are drawn by an inline xorshift32 generator seeded from the job's generator (as
 * umap-learn inlines its Tausworthe generator): a function call per draw would cost as much as the
 * gradient itself.
 */
export class LayoutOptimizer {
  /** The layout, `rows × 2` row-major, updated in place by {@link step}. */
  readonly embedding: Float64Array;
  /** Epochs to run in total. */
  readonly nEpochs: number;
  /** Epochs run so far, in `[0, nEpochs]`. */
  epoch = 0;
  private readonly rows: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly epochsPerSample: Float64Array;
  private readonly epochsPerNegativeSample: Float64Array;
  private readonly nextSample: Float64Array;
  private readonly nextNegativeSample: Float64Array;
  private readonly a: number;
  private readonly b: number;
  private readonly gamma: number;
  private readonly initialAlpha: number;
  private readonly attractionTable: Float32Array;
  private readonly repulsionTable: Float32Array;
  private state: number;

  /**
   * @param graph - a {@link FuzzyGraph} (not modified).
   * @param initial - the starting layout, `graph.rows × 2` row-major (copied).
   * @throws InputError `input.option` for a bad epoch count or a layout of the wrong size.
   */
  constructor(graph: FuzzyGraph, initial: ArrayLike<number>, options: LayoutOptions) {
    const { nEpochs, curve } = options;
    if (!Number.isInteger(nEpochs) || nEpochs < 1) {
      throw new InputError('input.option', `UMAP needs a whole number of epochs ≥ 1; got ${nEpochs}.`);
    }
    if (initial.length !== graph.rows * 2) {
      throw new InputError(
        'input.option',
        `The initial layout holds ${initial.length} values; ${graph.rows} rows × 2 needs ${graph.rows * 2}.`,
      );
    }
    this.rows = graph.rows;
    this.nEpochs = nEpochs;
    this.embedding = Float64Array.from(initial);
    this.a = curve.a;
    this.b = curve.b;
    this.gamma = options.repulsionStrength ?? 1;
    this.initialAlpha = options.learningRate ?? 1;
    this.state = seedFrom(options.random);
    const negativeRate = options.negativeSampleRate ?? 5;

    this.attractionTable = new Float32Array(TABLE_CELLS + 1);
    this.repulsionTable = new Float32Array(TABLE_CELLS + 1);
    for (let c = 0; c <= TABLE_CELLS; c++) {
      // The cell's left edge: exponent from the high bits, mantissa 1 + j / 2^TABLE_BITS from the low ones.
      const d2 =
        Math.pow(2, TABLE_MIN_OCTAVE + (c >> TABLE_BITS)) *
        (1 + (c & ((1 << TABLE_BITS) - 1)) / (1 << TABLE_BITS));
      this.attractionTable[c] = attraction(d2, this.a, this.b);
      this.repulsionTable[c] = repulsion(d2, this.a, this.b, this.gamma);
    }

    let maxWeight = 0;
    for (const w of graph.weight) if (w > maxWeight) maxWeight = w;
    const threshold = maxWeight / nEpochs;
    let kept = 0;
    for (const w of graph.weight) if (w >= threshold && w > 0) kept++;
    this.head = new Int32Array(kept);
    this.tail = new Int32Array(kept);
    this.epochsPerSample = new Float64Array(kept);
    this.epochsPerNegativeSample = new Float64Array(kept);
    let e = 0;
    for (let g = 0; g < graph.weight.length; g++) {
      const w = graph.weight[g];
      if (!(w >= threshold && w > 0)) continue;
      this.head[e] = graph.head[g];
      this.tail[e] = graph.tail[g];
      this.epochsPerSample[e] = maxWeight / w;
      this.epochsPerNegativeSample[e] = negativeRate > 0 ? maxWeight / w / negativeRate : Infinity;
      e++;
    }
    this.nextSample = this.epochsPerSample.slice();
    this.nextNegativeSample = this.epochsPerNegativeSample.slice();
  }

  /** Number of edges kept for sampling (each undirected edge counts twice). */
  get edges(): number {
    return this.head.length;
  }

  /**
   * Runs one epoch. Returns `false` (and does nothing) once all {@link nEpochs} have run.
   *
   * Epoch `n` (0-based) samples the edges whose next sample falls at or before `n + 1` epochs, with
   * learning rate `α₀ · (1 − n / nEpochs)`; so the heaviest edges are sampled in every epoch, including
   * the first (umap-learn's loop starts its schedule one epoch later and leaves its first epoch idle).
   */
  step(): boolean {
    if (this.epoch >= this.nEpochs) return false;
    const { embedding: y, head, tail, epochsPerSample, epochsPerNegativeSample, a, b, gamma } = this;
    const { nextSample, nextNegativeSample, rows, attractionTable, repulsionTable } = this;
    const now = this.epoch + 1;
    const alpha = this.initialAlpha * (1 - this.epoch / this.nEpochs);
    // Float32 bit patterns of d², for the table lookups (same-size views: no store-forwarding stalls).
    const bitsF = new Float32Array(1);
    const bitsI = new Int32Array(bitsF.buffer);
    const lowMask = (1 << TABLE_SHIFT) - 1;
    let state = this.state;
    const rowsOver2To32 = rows / 4294967296;
    const nEdges = head.length;
    for (let e = 0; e < nEdges; e++) {
      if (nextSample[e] > now) continue;
      const j = head[e];
      const k = tail[e];
      const jx = 2 * j;
      const kx = 2 * k;
      let cx = y[jx];
      let cy = y[jx + 1];
      let dx = cx - y[kx];
      let dy = cy - y[kx + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        bitsF[0] = d2;
        const bits = bitsI[0];
        const cell = (bits >> TABLE_SHIFT) - TABLE_BASE;
        const coefficient =
          cell >= 0 && cell < TABLE_CELLS
            ? attractionTable[cell] +
              (bits & lowMask) * TABLE_FRACTION * (attractionTable[cell + 1] - attractionTable[cell])
            : attraction(d2, a, b);
        let gx = coefficient * dx;
        let gy = coefficient * dy;
        gx = gx > GRADIENT_CLIP ? GRADIENT_CLIP : gx < -GRADIENT_CLIP ? -GRADIENT_CLIP : gx;
        gy = gy > GRADIENT_CLIP ? GRADIENT_CLIP : gy < -GRADIENT_CLIP ? -GRADIENT_CLIP : gy;
        cx += gx * alpha;
        cy += gy * alpha;
        y[kx] -= gx * alpha;
        y[kx + 1] -= gy * alpha;
      }
      nextSample[e] += epochsPerSample[e];

      const nNegative = Math.floor((now - nextNegativeSample[e]) / epochsPerNegativeSample[e]);
      for (let p = 0; p < nNegative; p++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        // ⌊u · rows / 2³²⌋ for u uniform in [0, 2³²): a multiply instead of an integer division.
        const m = ((state >>> 0) * rowsOver2To32) | 0;
        if (m === j) continue;
        const mx = 2 * m;
        dx = cx - y[mx];
        dy = cy - y[mx + 1];
        d2 = dx * dx + dy * dy;
        // Coincident points push nothing (umap-learn's choice): the direction is undefined.
        if (d2 <= 0) continue;
        bitsF[0] = d2;
        const bits = bitsI[0];
        const cell = (bits >> TABLE_SHIFT) - TABLE_BASE;
        const coefficient =
          cell >= 0 && cell < TABLE_CELLS
            ? repulsionTable[cell] +
              (bits & lowMask) * TABLE_FRACTION * (repulsionTable[cell + 1] - repulsionTable[cell])
            : repulsion(d2, a, b, gamma);
        let gx = coefficient * dx;
        let gy = coefficient * dy;
        gx = gx > GRADIENT_CLIP ? GRADIENT_CLIP : gx < -GRADIENT_CLIP ? -GRADIENT_CLIP : gx;
        gy = gy > GRADIENT_CLIP ? GRADIENT_CLIP : gy < -GRADIENT_CLIP ? -GRADIENT_CLIP : gy;
        cx += gx * alpha;
        cy += gy * alpha;
      }
      if (nNegative > 0) nextNegativeSample[e] += nNegative * epochsPerNegativeSample[e];
      y[jx] = cx;
      y[jx + 1] = cy;
    }
    this.state = state;
    this.epoch++;
    return true;
  }
}
