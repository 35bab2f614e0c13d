/**
 * Exact (brute-force) nearest neighbours over the rows of a {@link Matrix}, and a neighbourhood-preservation
 * score for 2-D layouts. The all-pairs search is the kNN graph behind the UMAP projection: it runs in
 * row blocks and reports progress after each, so a worker can show it and cancel between blocks.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, assertMatrix, type Matrix } from './matrix';

/**
 * How two rows are compared.
 * - `'cosine'`: `1 − a·b / (‖a‖‖b‖)`, in [0, 2]. Like umap-js's `cosine`: 0 when both rows are all-zero,
 *   1 when exactly one is.
 * - `'euclidean'`: `‖a − b‖`.
 */
export type Metric = 'cosine' | 'euclidean';

/** One neighbour of a row. */
export interface Neighbor {
  /** Row index of the neighbour. */
  index: number;
  /** Distance under the metric asked for (see {@link Metric}). */
  distance: number;
}

/**
 * The k nearest other rows of every row. Row `i`'s neighbours are at `[i * k, (i + 1) * k)`, nearest first;
 * ties in distance are broken by the smaller index. A row is never its own neighbour (its duplicates are).
 */
export interface KnnResult {
  /** Neighbour row indices, `rows × k`, row-major. */
  indices: Int32Array;
  /** Distances matching `indices` (see {@link Metric}), rounded to float32. */
  distances: Float32Array;
  /** Number of rows searched. */
  rows: number;
  /** Neighbours per row. */
  k: number;
}

/**
 * Progress of {@link knnAllSteps}: `done` of `total` distance evaluations (unordered pairs of rows,
 * `total = rows·(rows − 1)/2`).
 */
export interface KnnProgress {
  done: number;
  total: number;
}

/**
 * Aim for about this many multiply-adds between two progress reports (≈ 0.1–0.2 s at the 1.5–2 G
 * multiply-adds per second that the kernel below reaches in V8), so cancelling stays responsive.
 */
const TARGET_WORK_PER_CHUNK = 2.5e8;
/** Column tiles of about 256 KiB of float32 rows stay in L2 cache while a row block sweeps over them. */
const COLUMN_TILE_BYTES = 256 * 1024;

/** Squared L2 norm of each row, summed in float64 in the same order as the dot products below. */
function squaredNorms(x: Matrix): Float64Array {
  const { data, rows, dim } = x;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const offset = i * dim;
    let s = 0;
    for (let t = 0; t < dim; t++) s += data[offset + t] * data[offset + t];
    out[i] = s;
  }
  return out;
}

/**
 * Distance from a dot product and the two squared norms. Identical rows give exactly 0 under both
 * metrics: their dot product is summed in the same order as their squared norm, and `√(s·s) = s` in IEEE
 * arithmetic.
 */
function distanceFromDot(dot: number, si: number, sj: number, cosine: boolean): number {
  if (cosine) {
    if (si === 0 || sj === 0) return si === sj ? 0 : 1;
    const d = 1 - dot / Math.sqrt(si * sj);
    return d < 0 ? 0 : d > 2 ? 2 : d;
  }
  const d2 = si + sj - 2 * dot;
  return d2 > 0 ? Math.sqrt(d2) : 0;
}

function assertMetric(metric: Metric): void {
  if (metric !== 'cosine' && metric !== 'euclidean') {
    throw new InputError(
      'input.option',
      `Unknown distance "${String(metric)}"; use "cosine" or "euclidean".`,
    );
  }
}

/**
 * The `k` rows nearest to row `query`, excluding `query` itself, sorted by distance then index.
 * Returns fewer than `k` when the matrix has fewer than `k + 1` rows. Distances are computed exactly as in
 * {@link knnAll}, so the two agree.
 *
 * @param x - the rows; `query` - a row index; `k` - a non-negative integer.
 * @throws InputError `input.dimension` / `input.not-finite` for a bad matrix or query index,
 *   `input.option` for a bad `k` or metric.
 */
export function nearestNeighbors(x: Matrix, query: number, k: number, metric: Metric): Neighbor[] {
  assertFiniteMatrix(x, 'vectors to search');
  assertMetric(metric);
  if (!Number.isInteger(query) || query < 0 || query >= x.rows) {
    throw new InputError('input.dimension', `Row ${query} does not exist in a matrix of ${x.rows} rows.`);
  }
  if (!Number.isInteger(k) || k < 0) {
    throw new InputError('input.option', `The number of neighbours must be a whole number ≥ 0; got ${k}.`);
  }
  const { data, rows, dim } = x;
  const norms = squaredNorms(x);
  const q = query * dim;
  const cosine = metric === 'cosine';
  const all: Neighbor[] = [];
  for (let j = 0; j < rows; j++) {
    if (j === query) continue;
    const b = j * dim;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += data[q + t] * data[b + t];
    all.push({ index: j, distance: distanceFromDot(dot, norms[query], norms[j], cosine) });
  }
  all.sort((u, v) => u.distance - v.distance || u.index - v.index);
  return all.slice(0, k);
}

/**
 * Per-row bounded max-heaps of the k best (distance, index) candidates seen so far, all rows in two flat
 * arrays. Slot 0 of a row holds its current worst candidate, so most candidates are rejected by one
 * comparison. Filled with (+∞, sentinel) so every heap is always full.
 */
class NeighborHeaps {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  constructor(
    rows: number,
    readonly k: number,
  ) {
    this.dist = new Float64Array(rows * k).fill(Infinity);
    this.index = new Int32Array(rows * k).fill(0x7fffffff);
  }

  /** Offers candidate `j` at distance `d` to row `i`'s heap. */
  push(i: number, j: number, d: number): void {
    const { dist, index, k } = this;
    const base = i * k;
    const top = dist[base];
    if (d > top || (d === top && j >= index[base])) return;
    // Sift the new candidate down from the root, lexicographic on (distance, index).
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= k) break;
      let child = left;
      const right = left + 1;
      if (right < k) {
        const dl = dist[base + left];
        const dr = dist[base + right];
        if (dr > dl || (dr === dl && index[base + right] > index[base + left])) child = right;
      }
      const dc = dist[base + child];
      if (dc < d || (dc === d && index[base + child] < j)) break;
      dist[base + pos] = dc;
      index[base + pos] = index[base + child];
      pos = child;
    }
    dist[base + pos] = d;
    index[base + pos] = j;
  }

  /** Sorts every heap ascending by (distance, index) into a {@link KnnResult}. */
  toResult(rows: number): KnnResult {
    const { k } = this;
    const indices = new Int32Array(rows * k);
    const distances = new Float32Array(rows * k);
    const order = Array.from({ length: k }, (_, s) => s);
    for (let i = 0; i < rows; i++) {
      const base = i * k;
      order.sort(
        (u, v) => this.dist[base + u] - this.dist[base + v] || this.index[base + u] - this.index[base + v],
      );
      for (let s = 0; s < k; s++) {
        indices[base + s] = this.index[base + order[s]];
        distances[base + s] = this.dist[base + order[s]];
      }
      for (let s = 0; s < k; s++) order[s] = s;
    }
    return { indices, distances, rows, k };
  }
}

/**
 * Exact k-nearest-neighbour search over all rows, as a generator: it yields {@link KnnProgress} after
 * each block of rows and returns the {@link KnnResult}. Stop iterating to cancel.
 *
 * Cost: `rows·(rows − 1)/2` dot products of length `dim` (each unordered pair once; both rows' heaps are
 * updated), computed 2 rows × 4 rows at a time over cache-sized column tiles, in float64 from the float32
 * data. About 10 s for 10 000 × 384 in V8; a tenth of that after PCA to 50 dimensions.
 *
 * @param k - neighbours per row, an integer in `[1, rows − 1]`.
 * @throws InputError `input.dimension` / `input.not-finite` for a bad matrix, `input.option` for a bad `k`
 *   or metric.
 */
export function* knnAllSteps(x: Matrix, k: number, metric: Metric): Generator<KnnProgress, KnnResult, void> {
  assertFiniteMatrix(x, 'vectors to search');
  assertMetric(metric);
  const { data, rows, dim } = x;
  if (!Number.isInteger(k) || k < 1 || k > rows - 1) {
    throw new InputError(
      'input.option',
      `The number of neighbours must be a whole number from 1 to rows − 1 = ${rows - 1}; got ${k}.`,
    );
  }
  const cosine = metric === 'cosine';
  const norms = squaredNorms(x);
  const heaps = new NeighborHeaps(rows, k);
  const total = (rows * (rows - 1)) / 2;
  const work = Math.max(1, rows * dim);
  // Even, so row pairs never straddle two blocks except at the very end.
  const blockRows = 2 * Math.max(4, Math.min(512, Math.round(TARGET_WORK_PER_CHUNK / work / 2)));
  const tileRows = Math.max(16, Math.min(4096, Math.floor(COLUMN_TILE_BYTES / (4 * Math.max(1, dim)))));

  const pair = (i: number, j: number): void => {
    const a = i * dim;
    const b = j * dim;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += data[a + t] * data[b + t];
    const d = distanceFromDot(dot, norms[i], norms[j], cosine);
    heaps.push(i, j, d);
    heaps.push(j, i, d);
  };

  let done = 0;
  for (let start = 0; start < rows; start += blockRows) {
    const end = Math.min(rows, start + blockRows);
    for (let tile = start; tile < rows; tile += tileRows) {
      const tileEnd = Math.min(rows, tile + tileRows);
      for (let i0 = start; i0 < end; i0 += 2) {
        const i1 = i0 + 1;
        if (i1 >= end) {
          for (let j = Math.max(tile, i0 + 1); j < tileEnd; j++) pair(i0, j);
          continue;
        }
        if (i1 >= tile && i1 < tileEnd) pair(i0, i1);
        const a0 = i0 * dim;
        const a1 = a0 + dim;
        const n0 = norms[i0];
        const n1 = norms[i1];
        let j = Math.max(tile, i1 + 1);
        for (; j + 3 < tileEnd; j += 4) {
          // 2 × 4 register block: 8 dot products share 6 loads per step.
          const b0 = j * dim;
          const b1 = b0 + dim;
          const b2 = b1 + dim;
          const b3 = b2 + dim;
          let d00 = 0;
          let d01 = 0;
          let d02 = 0;
          let d03 = 0;
          let d10 = 0;
          let d11 = 0;
          let d12 = 0;
          let d13 = 0;
          for (let t = 0; t < dim; t++) {
            const u0 = data[a0 + t];
            const u1 = data[a1 + t];
            const v0 = data[b0 + t];
            const v1 = data[b1 + t];
            const v2 = data[b2 + t];
            const v3 = data[b3 + t];
            d00 += u0 * v0;
            d01 += u0 * v1;
            d02 += u0 * v2;
            d03 += u0 * v3;
            d10 += u1 * v0;
            d11 += u1 * v1;
            d12 += u1 * v2;
            d13 += u1 * v3;
          }
          const m0 = norms[j];
          const m1 = norms[j + 1];
          const m2 = norms[j + 2];
          const m3 = norms[j + 3];
          let d = distanceFromDot(d00, n0, m0, cosine);
          heaps.push(i0, j, d);
          heaps.push(j, i0, d);
          d = distanceFromDot(d01, n0, m1, cosine);
          heaps.push(i0, j + 1, d);
          heaps.push(j + 1, i0, d);
          d = distanceFromDot(d02, n0, m2, cosine);
          heaps.push(i0, j + 2, d);
          heaps.push(j + 2, i0, d);
          d = distanceFromDot(d03, n0, m3, cosine);
          heaps.push(i0, j + 3, d);
          heaps.push(j + 3, i0, d);
          d = distanceFromDot(d10, n1, m0, cosine);
          heaps.push(i1, j, d);
          heaps.push(j, i1, d);
          d = distanceFromDot(d11, n1, m1, cosine);
          heaps.push(i1, j + 1, d);
          heaps.push(j + 1, i1, d);
          d = distanceFromDot(d12, n1, m2, cosine);
          heaps.push(i1, j + 2, d);
          heaps.push(j + 2, i1, d);
          d = distanceFromDot(d13, n1, m3, cosine);
          heaps.push(i1, j + 3, d);
          heaps.push(j + 3, i1, d);
        }
        for (; j < tileEnd; j++) {
          pair(i0, j);
          pair(i1, j);
        }
      }
    }
    // Pairs (i, j > i) for the rows of this block: Σ (rows − 1 − i).
    done += (end - start) * (rows - 1) - ((end - 1) * end) / 2 + ((start - 1) * start) / 2;
    yield { done, total };
  }
  return heaps.toResult(rows);
}

/**
 * Exact k-nearest-neighbour search over all rows (see {@link knnAllSteps} for cost and ordering).
 *
 * @param onChunk - called after each block of rows with the number of distance evaluations done so far and
 *   in total.
 */
export function knnAll(
  x: Matrix,
  k: number,
  metric: Metric,
  onChunk?: (done: number, total: number) => void,
): KnnResult {
  const steps = knnAllSteps(x, k, metric);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    onChunk?.(next.value.done, next.value.total);
  }
}

/**
 * How much two neighbour lists of the same rows agree: for each row, the fraction of `a`'s k neighbours
 * that are among `b`'s k neighbours, averaged over rows. 1 = identical neighbourhoods.
 *
 * @throws InputError `input.dimension` when the two results differ in rows or k.
 */
export function knnOverlap(a: KnnResult, b: KnnResult): number {
  if (a.rows !== b.rows || a.k !== b.k) {
    throw new InputError(
      'input.dimension',
      `Cannot compare neighbour lists of ${a.rows} rows × ${a.k} with ${b.rows} rows × ${b.k}.`,
    );
  }
  const { rows, k } = a;
  if (rows === 0 || k === 0) return 1;
  let sum = 0;
  const seen = new Set<number>();
  for (let i = 0; i < rows; i++) {
    seen.clear();
    for (let s = 0; s < k; s++) seen.add(b.indices[i * k + s]);
    let hits = 0;
    for (let s = 0; s < k; s++) if (seen.has(a.indices[i * k + s])) hits++;
    sum += hits / k;
  }
  return sum / rows;
}

/**
 * Neighbourhood preservation of a layout: the fraction of each row's `k` nearest neighbours in `high`
 * (under `metric`) that are also among its `k` nearest in `low` (euclidean), averaged over rows. 1 = every
 * neighbourhood kept; a random layout scores about `k / rows`. Used by the benchmarks.
 *
 * @param high - the original vectors; `low` - the layout, same number of rows (usually `dim` 2).
 * @throws InputError `input.dimension` when the row counts differ, `input.option` for a bad `k`.
 */
export function knnRecall(high: Matrix, low: Matrix, k: number, metric: Metric = 'euclidean'): number {
  assertMatrix(high, 'original vectors');
  assertMatrix(low, 'layout');
  if (high.rows !== low.rows) {
    throw new InputError(
      'input.dimension',
      `The original vectors have ${high.rows} rows but the layout has ${low.rows}.`,
    );
  }
  return knnOverlap(knnAll(high, k, metric), knnAll(low, k, 'euclidean'));
}
