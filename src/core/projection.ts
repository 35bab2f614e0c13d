/**
 * UMAP projection of a {@link Matrix} into 2-D, as a generator so a worker can report progress and cancel
 * between steps (TensorBoard projector's `initializeFit` → `step()` → `getEmbedding()` pattern).
 *
 * The k-nearest-neighbour graph is computed here, exactly and in row blocks with progress
 * ({@link knnAllSteps}), and handed to umap-js 1.4.0 with `setPrecomputedKNN`: umap-js's own search
 * (random-projection trees + NN-descent) runs synchronously inside `initializeFit` with no progress, and is
 * approximate. umap-js then only builds the fuzzy graph and runs the epochs.
 */
import { UMAP } from 'umap-js';
import { InputError } from './errors';
import { assertFiniteMatrix, assertMatrix, type Matrix } from './matrix';
import { knnAllSteps, type Metric } from './neighbors';
import { pcaSteps } from './pca';
import { createRandom } from './random';

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
  /** Seed of the one generator behind PCA, the random initial layout and negative sampling (integer). */
  seed: number;
  /**
   * Reduce the input to this many principal components before the neighbour search (an integer ≥ 1), or
   * `null` for no reduction. Ignored when it is not below the input dimension. With the cosine distance the
   * rows are L2-normalised before PCA and the neighbour search uses `‖a − b‖² / 2` on the reduced rows,
   * which equals the cosine distance of unit vectors, so the layout approximates the one without PCA.
   */
  pcaDims: number | null;
}

/** Defaults of {@link UmapOptions}: umap-learn's defaults with the cosine distance, seed 0, no PCA. */
export const DEFAULT_UMAP_OPTIONS: Readonly<UmapOptions> = Object.freeze({
  nNeighbors: 15,
  minDist: 0.1,
  spread: 1,
  nEpochs: null,
  distance: 'cosine',
  seed: 0,
  pcaDims: null,
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

function toCoordinates(embedding: readonly (readonly number[])[]): Float32Array {
  const out = new Float32Array(embedding.length * 2);
  for (let i = 0; i < embedding.length; i++) {
    out[2 * i] = embedding[i][0];
    out[2 * i + 1] = embedding[i][1];
  }
  return out;
}

/**
 * Projects the rows of `x` into 2-D with UMAP, as a generator: iterate it to run the projection; it
 * yields {@link UmapProgress} (PCA passes, neighbour-search blocks, every {@link PROGRESS_EVERY_EPOCHS}
 * epochs) and returns the {@link UmapResult}. Stop iterating (or call `return()`) to cancel; nothing is
 * left running. The longest step without a report is umap-js's `initializeFit` (fuzzy graph and random
 * initial layout; the neighbour search is done before it): it runs after the `'epochs'` report with
 * `done === 0` and takes about 1 s at 2 000 rows and 8–19 s at 10 000.
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
  // umap-js counts the point itself among its neighbours and needs more rows than neighbours.
  const nNeighborsUsed = Math.min(o.nNeighbors, rows - 1);

  let searchSpace = x;
  let searchMetric: Metric = o.distance;
  let pcaDimsUsed: number | null = null;
  if (o.pcaDims !== null && o.pcaDims < x.dim) {
    pcaDimsUsed = Math.min(o.pcaDims, rows);
    const input = o.distance === 'cosine' ? normalizeRows(x) : x;
    const reduction = pcaSteps(input, { nComponents: pcaDimsUsed, random });
    let step = reduction.next();
    for (; step.done !== true; step = reduction.next()) yield { phase: 'pca', ...step.value };
    searchSpace = step.value.projected;
    searchMetric = 'euclidean';
  }
  const halfSquare = o.distance === 'cosine' && pcaDimsUsed !== null;

  const search = knnAllSteps(searchSpace, nNeighborsUsed - 1, searchMetric);
  let next = search.next();
  for (; next.done !== true; next = search.next()) yield { phase: 'neighbors', ...next.value };
  const knn = next.value;

  // umap-js wants each row's own index first, at distance 0, then its nNeighborsUsed − 1 neighbours.
  const k = knn.k;
  const knnIndices: number[][] = new Array<number[]>(rows);
  const knnDistances: number[][] = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    const indices = [i];
    const distances = [0];
    for (let s = 0; s < k; s++) {
      indices.push(knn.indices[i * k + s]);
      const d = knn.distances[i * k + s];
      distances.push(halfSquare ? (d * d) / 2 : d);
    }
    knnIndices[i] = indices;
    knnDistances[i] = distances;
  }

  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: nNeighborsUsed,
    minDist: o.minDist,
    spread: o.spread,
    ...(o.nEpochs === null ? {} : { nEpochs: o.nEpochs }),
    // No distanceFn: with a precomputed kNN, umap-js computes no distances (only transform(), unused, would).
    random,
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // With a precomputed kNN, umap-js 1.4.0 reads only the number of rows from the data it is given (checked
  // in its source; the test "matches umap-js fed the real rows" guards this), so empty rows stand in for a
  // float64 copy of the whole matrix.
  const placeholder = Array.from({ length: rows }, (): number[] => []);
  // initializeFit builds the fuzzy graph with umap-js's Map-based sparse matrices and reports nothing (about
  // 1 s at 2 000 rows, 8–19 s at 10 000 in Node 20), so announce the epoch phase before it starts.
  yield { phase: 'epochs', done: 0, total: o.nEpochs ?? defaultEpochs(rows) };
  const nEpochs = umap.initializeFit(placeholder);
  for (let epoch = 1; epoch <= nEpochs; epoch++) {
    umap.step();
    if (epoch === nEpochs) break;
    if (epoch % PROGRESS_EVERY_EPOCHS === 0) {
      yield epoch % SNAPSHOT_EVERY_EPOCHS === 0
        ? { phase: 'epochs', done: epoch, total: nEpochs, coordinates: toCoordinates(umap.getEmbedding()) }
        : { phase: 'epochs', done: epoch, total: nEpochs };
    }
  }
  yield { phase: 'epochs', done: nEpochs, total: nEpochs };
  return { coordinates: toCoordinates(umap.getEmbedding()), nNeighborsUsed, pcaDimsUsed, epochs: nEpochs };
}
