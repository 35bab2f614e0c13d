/**
 * UMAP projection of a {@link Matrix} into 2-D, as a generator so a worker can report progress and cancel
 * between steps (TensorBoard projector's `initializeFit` → `step()` → `getEmbedding()` pattern).
 *
 * Pipeline, all on typed arrays:
 * 1. neighbours: exact k nearest, by {@link knnAllSteps} (WebAssembly SIMD where available); or, with PCA
 *    ({@link UmapOptions.pcaDims}, default 50), three times as many candidates found on the reduced rows,
 *    re-ranked by their exact distance on the full rows ({@link refineNeighborsSteps});
 * 2. UMAP's fuzzy graph and a start from the first two principal components (`./umap`);
 * 3. the epochs of stochastic gradient descent ({@link LayoutOptimizer}), reported every few epochs.
 *
 * Replaces umap-js 1.4.0, which spends seconds at 10 000 rows in its Map-based sparse matrices and in
 * `Math.pow`; `bench/umap.ts` compares the two (time, kNN recall and trustworthiness of the layout).
 */
import { UMAP } from 'umap-js';
import { InputError } from './errors';
import { assertFiniteMatrix, assertMatrix, type Matrix } from './matrix';
import { knnAllSteps, refineNeighborsSteps, type KnnResult, type Metric } from './neighbors';
import { pca, pcaSteps } from './pca';
import { createRandom, randomNormal, type Random } from './random';
import { findAbParams, fuzzySimplicialSet, LayoutOptimizer } from './umap';

/** Settings of {@link projectUmap}. */
export interface UmapOptions {
  /**
   * Size of the local neighbourhood, counting the point itself (umap-learn's and umap-js's convention);
   * an integer ≥ 2. Clamped to `rows − 1` for small inputs. Default 15.
   */
  nNeighbors: number;
  /** Minimum distance between points in the layout, in [0, spread]. Default 0.1. */
  minDist: number;
  /** Scale of the layout, > 0. Default 1. */
  spread: number;
  /**
   * Optimisation epochs, a positive integer, or `null` for umap-js's default by row count (500 up to
   * 2 500 rows, 400 up to 5 000, 300 up to 7 500, else 200).
   */
  nEpochs: number | null;
  /** How neighbours are found in the input space. Default `'cosine'` (sentence embeddings). */
  distance: Metric;
  /** Seed of the one generator behind PCA, the initial layout's noise and negative sampling (integer). */
  seed: number;
  /**
   * Speed up the neighbour search with PCA to this many dimensions (an integer ≥ 1), or `null` to search
   * on the full vectors. Ignored when it is not below the input dimension; capped at the row count. The
   * reduced rows (L2-normalised first under cosine, where squared euclidean distance is twice the cosine
   * distance) only propose three times as many candidates as needed; the neighbours kept are
   * the nearest candidates by exact distance on the full vectors. Default 50: 2–3× faster at 10 000 × 384
   * than the full search, keeping 99.6 % of its neighbours (`bench/umap.ts`).
   */
  pcaDims: number | null;
  /**
   * What builds the fuzzy graph and lays it out, from the same neighbours: `'pairscope'`, this project's
   * typed-array UMAP (`./umap`, started from the first two principal components), or `'umap-js'`, umap-js
   * 1.4.0 handed the neighbours with `setPrecomputedKNN` (uniform random start; several times slower,
   * kept as the reference the first is measured against). Default `'pairscope'`.
   */
  engine: UmapEngine;
}

/** The implementations behind {@link UmapOptions.engine}. */
export type UmapEngine = 'pairscope' | 'umap-js';

/**
 * Defaults of {@link UmapOptions}: umap-learn's defaults (15 neighbours, minDist 0.1, spread 1) with the
 * cosine distance, umap-js's epoch schedule, seed 0 and PCA to 50 dimensions for the neighbour search.
 */
export const DEFAULT_UMAP_OPTIONS: Readonly<UmapOptions> = Object.freeze({
  nNeighbors: 15,
  minDist: 0.1,
  spread: 1,
  nEpochs: null,
  distance: 'cosine',
  seed: 0,
  pcaDims: 50,
  engine: 'pairscope',
});

/** Stage of a projection. */
export type UmapPhase = 'pca' | 'neighbors' | 'epochs';

/**
 * Progress of {@link projectUmap}. Units of `done` / `total` depend on the phase: rows processed summed over
 * passes (`'pca'`), pairwise distance evaluations (`'neighbors'`), epochs (`'epochs'`). Within a phase
 * `done` only grows and its last report has `done === total`.
 */
export interface UmapProgress {
  phase: UmapPhase;
  done: number;
  total: number;
  /**
   * The layout so far, `rows × 2` row-major; present on some `'epochs'` reports (every
   * {@link SNAPSHOT_EVERY_EPOCHS} epochs). A fresh copy each time, free to transfer.
   */
  coordinates?: Float32Array;
}

/** What {@link projectUmap} returns. */
export interface UmapResult {
  /** The layout, `rows × 2` row-major, in UMAP's arbitrary units. */
  coordinates: Float32Array;
  /** The neighbourhood size actually used (after clamping to `rows − 1`). */
  nNeighborsUsed: number;
  /** The PCA dimension actually used, or `null` when no reduction was done. */
  pcaDimsUsed: number | null;
  /** Epochs run. */
  epochs: number;
}

/** An `'epochs'` progress report every this many epochs (about 20–100 reports per run). */
export const PROGRESS_EVERY_EPOCHS = 5;
/** Intermediate coordinates every this many epochs: enough to animate, few enough to copy cheaply. */
export const SNAPSHOT_EVERY_EPOCHS = 50;

/**
 * With PCA, each row's neighbours are chosen among this many times `nNeighbors − 1` candidates found on the
 * reduced rows, by their exact distance on the full rows. 3 keeps 99.6 % of the exact neighbours on the
 * benchmark's 384-d mixture with PCA to 50 dimensions (2 keeps 98 %, 1, i.e. no re-ranking, 86 %), for a
 * refinement that costs about a tenth of the search.
 */
const CANDIDATE_FACTOR = 3;
/**
 * Subspace iterations of the PCA before the neighbour search (the PCA module's default is 4). The
 * candidates are re-ranked on the full rows, so a rougher basis loses nothing measurable (99.8 % of the exact
 * neighbours with 1, 2 or 4 iterations on the benchmark at 10 000 rows), and each iteration saved is two
 * passes over the data.
 */
const PCA_ITERATIONS = 1;
/** Subspace iterations of the 2-component PCA behind the initial layout: a rough start is enough. */
const INIT_PCA_ITERATIONS = 2;

/** umap-js 1.4.0's epoch count when none is given (its `getNEpochs`). */
function defaultEpochs(rows: number): number {
  if (rows <= 2500) return 500;
  if (rows <= 5000) return 400;
  if (rows <= 7500) return 300;
  return 200;
}

function validateOptions(o: UmapOptions): void {
  const fail = (message: string): never => {
    throw new InputError('input.option', message);
  };
  if (!Number.isInteger(o.nNeighbors) || o.nNeighbors < 2) {
    fail(`UMAP nNeighbors must be a whole number ≥ 2; got ${o.nNeighbors}.`);
  }
  if (!Number.isFinite(o.spread) || o.spread <= 0) fail(`UMAP spread must be > 0; got ${o.spread}.`);
  if (!Number.isFinite(o.minDist) || o.minDist < 0 || o.minDist > o.spread) {
    fail(`UMAP minDist must be between 0 and spread (${o.spread}); got ${o.minDist}.`);
  }
  if (o.nEpochs !== null && (!Number.isInteger(o.nEpochs) || o.nEpochs < 1)) {
    fail(`UMAP nEpochs must be a whole number ≥ 1, or null for the default; got ${o.nEpochs}.`);
  }
  if (o.distance !== 'cosine' && o.distance !== 'euclidean') {
    fail(`Unknown distance "${String(o.distance)}"; use "cosine" or "euclidean".`);
  }
  if (!Number.isInteger(o.seed)) fail(`The seed must be a whole number; got ${o.seed}.`);
  if (o.pcaDims !== null && (!Number.isInteger(o.pcaDims) || o.pcaDims < 1)) {
    fail(`PCA dimensions must be a whole number ≥ 1, or null for none; got ${o.pcaDims}.`);
  }
  if (o.engine !== 'pairscope' && o.engine !== 'umap-js') {
    fail(`Unknown UMAP engine "${String(o.engine)}"; use "pairscope" or "umap-js".`);
  }
}

/** Copies rows with unit L2 norm (all-zero rows stay zero). */
function normalizeRows(x: Matrix): Matrix {
  const { data, rows, dim } = x;
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[offset + d] * data[offset + d];
    const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[offset + d] = data[offset + d] * scale;
  }
  return { data: out, rows, dim };
}

/**
 * umap-learn's scale for an initial layout: each axis mapped to [0, 10], plus Gaussian noise of std 1e-4 so
 * that duplicate rows do not start (and, having no gradient between coincident points, stay) on one spot.
 * An axis without spread is drawn uniformly instead.
 */
const INITIAL_EXTENT = 10;
const INITIAL_NOISE = 1e-4;

/**
 * Initial layout, `rows × 2`: the first two principal components of `space` (columns 0 and 1 of `reduced`
 * when PCA already ran), scaled to umap-learn's [0, 10] box. An informative start like umap-learn's spectral
 * one, at the cost of a cheap 2-component PCA; it keeps the global arrangement of clusters (Kobak &
 * Linderman 2021), where umap-js's uniform random start places them by chance.
 */
function initialLayout(space: Matrix, reduced: Matrix | null, random: Random): Float64Array {
  const { rows } = space;
  const out = new Float64Array(rows * 2);
  let source: Matrix | null = reduced;
  if (source === null && space.dim >= 2) {
    source = pca(space, { nComponents: 2, random, nIter: INIT_PCA_ITERATIONS }).projected;
  }
  for (let c = 0; c < 2; c++) {
    const column = source !== null && c < source.dim ? source : null;
    let lo = Infinity;
    let hi = -Infinity;
    if (column !== null) {
      for (let i = 0; i < rows; i++) {
        const v = column.data[i * column.dim + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const spread = hi > lo ? hi - lo : 0;
    for (let i = 0; i < rows; i++) {
      const v =
        column !== null && spread > 0
          ? (INITIAL_EXTENT * (column.data[i * column.dim + c] - lo)) / spread
          : INITIAL_EXTENT * random();
      out[2 * i + c] = v + INITIAL_NOISE * randomNormal(random);
    }
  }
  return out;
}

/**
 * Projects the rows of `x` into 2-D with UMAP, as a generator: iterate it to run the projection; it
 * yields {@link UmapProgress} (PCA passes, neighbour-search blocks, every {@link PROGRESS_EVERY_EPOCHS}
 * epochs) and returns the {@link UmapResult}. Stop iterating (or call `return()`) to cancel; nothing is
 * left running. The longest step without a report is the fuzzy graph and initial layout, between the last
 * `'neighbors'` report and the `'epochs'` report with `done === 0` (about 0.2 s at 10 000 rows).
 *
 * Deterministic: all randomness comes from one `createRandom(seed)` generator, so the same input and
 * options give bit-identical coordinates.
 *
 * @param x - the vectors, one row per pair (not modified).
 * @param options - any of {@link UmapOptions}; the rest from {@link DEFAULT_UMAP_OPTIONS}.
 * @throws InputError `input.option` for a bad option, `input.dimension` for a bad shape or `dim === 0`,
 *   `input.too-few` for fewer than 3 rows, `input.not-finite` naming the first row with NaN or ±∞.
 */
export function* projectUmap(
  x: Matrix,
  options: Partial<UmapOptions> = {},
): Generator<UmapProgress, UmapResult, void> {
  const o: UmapOptions = { ...DEFAULT_UMAP_OPTIONS, ...options };
  validateOptions(o);
  assertMatrix(x, 'pair vectors');
  if (x.rows < 3) {
    throw new InputError('input.too-few', `UMAP needs at least 3 pairs; you have ${x.rows}.`);
  }
  if (x.dim < 1) {
    throw new InputError('input.dimension', 'The pair vectors have no dimensions; UMAP needs at least one.');
  }
  assertFiniteMatrix(x, 'pair vectors');

  const { rows } = x;
  const random = createRandom(o.seed);
  // The point itself counts among its nNeighbors (umap-learn's convention): k = nNeighbors − 1 others.
  const nNeighborsUsed = Math.min(o.nNeighbors, rows - 1);
  const nEpochs = o.nEpochs ?? defaultEpochs(rows);

  const input = o.distance === 'cosine' ? normalizeRows(x) : x;
  let knn: KnnResult;
  let pcaDimsUsed: number | null = null;
  let reduced: Matrix | null = null;
  if (o.pcaDims !== null && o.pcaDims < x.dim) {
    pcaDimsUsed = Math.min(o.pcaDims, rows);
    const reduction = pcaSteps(input, { nComponents: pcaDimsUsed, random, nIter: PCA_ITERATIONS });
    let step = reduction.next();
    for (; step.done !== true; step = reduction.next()) yield { phase: 'pca', ...step.value };
    reduced = step.value.projected;
    // Candidates by euclidean distance between the reduced rows (for cosine: of the unit rows, whose
    // squared euclidean distance is twice the cosine distance), then the exact distance on the full rows.
    const nCandidates = Math.min(rows - 1, CANDIDATE_FACTOR * (nNeighborsUsed - 1));
    const searchTotal = (rows * (rows - 1)) / 2;
    const total = searchTotal + rows * nCandidates;
    const search = knnAllSteps(reduced, nCandidates, 'euclidean');
    let next = search.next();
    for (; next.done !== true; next = search.next())
      yield { phase: 'neighbors', done: next.value.done, total };
    const refine = refineNeighborsSteps(x, next.value, nNeighborsUsed - 1, o.distance);
    let refined = refine.next();
    for (; refined.done !== true; refined = refine.next()) {
      yield { phase: 'neighbors', done: searchTotal + refined.value.done, total };
    }
    knn = refined.value;
  } else {
    const search = knnAllSteps(x, nNeighborsUsed - 1, o.distance);
    let next = search.next();
    for (; next.done !== true; next = search.next()) yield { phase: 'neighbors', ...next.value };
    knn = next.value;
  }

  if (o.engine === 'umap-js') {
    const coordinates = yield* layoutWithUmapJs(knn, o, nEpochs, random);
    return { coordinates, nNeighborsUsed, pcaDimsUsed, epochs: nEpochs };
  }
  const graph = fuzzySimplicialSet(knn);
  const initial = initialLayout(input, reduced, random);
  const optimizer = new LayoutOptimizer(graph, initial, {
    nEpochs,
    curve: findAbParams(o.spread, o.minDist),
    random,
  });
  yield { phase: 'epochs', done: 0, total: nEpochs };
  for (let epoch = 1; epoch <= nEpochs; epoch++) {
    optimizer.step();
    if (epoch === nEpochs) break;
    if (epoch % PROGRESS_EVERY_EPOCHS === 0) {
      yield epoch % SNAPSHOT_EVERY_EPOCHS === 0
        ? {
            phase: 'epochs',
            done: epoch,
            total: nEpochs,
            coordinates: Float32Array.from(optimizer.embedding),
          }
        : { phase: 'epochs', done: epoch, total: nEpochs };
    }
  }
  yield { phase: 'epochs', done: nEpochs, total: nEpochs };
  return {
    coordinates: Float32Array.from(optimizer.embedding),
    nNeighborsUsed,
    pcaDimsUsed,
    epochs: nEpochs,
  };
}

/**
 * The `'umap-js'` engine: umap-js 1.4.0's fuzzy graph (Map-based sparse matrices, reporting nothing: about
 * 7 s at 10 000 rows in Node 20) and epochs, from the neighbours found above.
 */
function* layoutWithUmapJs(
  knn: KnnResult,
  o: UmapOptions,
  nEpochs: number,
  random: Random,
): Generator<UmapProgress, Float32Array, void> {
  const { rows, k } = knn;
  // umap-js wants each row's own index first, at distance 0, then its neighbours.
  const knnIndices: number[][] = new Array<number[]>(rows);
  const knnDistances: number[][] = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    knnIndices[i] = [i, ...knn.indices.subarray(i * k, (i + 1) * k)];
    knnDistances[i] = [0, ...knn.distances.subarray(i * k, (i + 1) * k)];
  }
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: k + 1,
    minDist: o.minDist,
    spread: o.spread,
    nEpochs,
    random,
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  const toCoordinates = (): Float32Array => Float32Array.from(umap.getEmbedding().flat());
  yield { phase: 'epochs', done: 0, total: nEpochs };
  // With a precomputed kNN, umap-js reads only the number of rows from the data it is given.
  umap.initializeFit(Array.from({ length: rows }, (): number[] => []));
  for (let epoch = 1; epoch < nEpochs; epoch++) {
    umap.step();
    if (epoch % PROGRESS_EVERY_EPOCHS === 0) {
      yield epoch % SNAPSHOT_EVERY_EPOCHS === 0
        ? { phase: 'epochs', done: epoch, total: nEpochs, coordinates: toCoordinates() }
        : { phase: 'epochs', done: epoch, total: nEpochs };
    }
  }
  umap.step();
  yield { phase: 'epochs', done: nEpochs, total: nEpochs };
  return toCoordinates();
}
