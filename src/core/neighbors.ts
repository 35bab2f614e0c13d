/**
 * Exact (brute-force) nearest neighbours over the rows of a {@link Matrix}, and a neighbourhood-preservation
 * score for 2-D layouts. The all-pairs search is the kNN graph behind the UMAP projection: it runs in
 * row blocks and reports progress after each, so a worker can show it and cancel between blocks. Its dot
 * products run in a small hand-assembled WebAssembly SIMD kernel where available, in JavaScript otherwise;
 * {@link refineNeighborsSteps} re-ranks candidates (e.g. found after PCA) by their exact distance.
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

/**
 * What the all-pairs search ranks by: the distance itself under cosine, the squared distance under
 * euclidean (the same order without a square root per pair; {@link keyToDistance} undoes it at the end).
 * Identical rows give exactly 0, as in {@link distanceFromDot}.
 */
function rankingKey(dot: number, si: number, sj: number, cosine: boolean): number {
  if (cosine) return distanceFromDot(dot, si, sj, true);
  const d2 = si + sj - 2 * dot;
  return d2 > 0 ? d2 : 0;
}

/** The distance behind a {@link rankingKey}. */
function keyToDistance(key: number, cosine: boolean): number {
  return cosine ? key : Math.sqrt(key);
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
  /**
   * Each row's current worst distance (its slot 0), packed: a search that visits rows in scattered order
   * checks these 8 bytes a row instead of a cache line per row of the heaps.
   */
  readonly tops: Float64Array;
  constructor(
    rows: number,
    readonly k: number,
  ) {
    this.dist = new Float64Array(rows * k).fill(Infinity);
    this.index = new Int32Array(rows * k).fill(0x7fffffff);
    this.tops = new Float64Array(rows).fill(Infinity);
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
    this.tops[i] = dist[base];
  }

  /**
   * Sorts every heap ascending by (key, index) into a {@link KnnResult}, with `toDistance` turning each
   * key into the distance reported.
   */
  toResult(rows: number, toDistance: (key: number) => number): KnnResult {
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
        distances[base + s] = toDistance(this.dist[base + order[s]]);
      }
      for (let s = 0; s < k; s++) order[s] = s;
    }
    return { indices, distances, rows, k };
  }
}

/** How {@link knnAllSteps} runs. */
export interface KnnOptions {
  /**
   * `false` forces the float64 JavaScript search even where WebAssembly SIMD is available (for tests and
   * benchmarks; results agree, see {@link knnAllSteps}). Default: SIMD when available.
   */
  simd?: boolean;
}

/**
 * Exact k-nearest-neighbour search over all rows, as a generator: it yields {@link KnnProgress} after
 * each block of rows and returns the {@link KnnResult}. Stop iterating to cancel.
 *
 * Cost: `rows·(rows − 1)/2` dot products of length `dim` (each unordered pair once; both rows' heaps are
 * updated). Where WebAssembly SIMD is available (every current browser and Node), a 4-lane float32 kernel
 * computes them about 8× faster than scalar JavaScript and proposes {@link candidateCount} candidates per
 * row, which are then re-ranked by their float64 distance: the result equals the float64 search unless
 * two distances differ by less than float32 rounding. About 2 s for 10 000 × 384, 0.6 s after PCA to 50
 * dimensions. Without WebAssembly the same search runs in float64 JavaScript, 2 rows × 4 rows at a time
 * over cache-sized column tiles (about 10 s for 10 000 × 384).
 *
 * @param k - neighbours per row, an integer in `[1, rows − 1]`.
 * @param options - see {@link KnnOptions}.
 * @throws InputError `input.dimension` / `input.not-finite` for a bad matrix, `input.option` for a bad `k`
 *   or metric.
 */
export function* knnAllSteps(
  x: Matrix,
  k: number,
  metric: Metric,
  options: KnnOptions = {},
): Generator<KnnProgress, KnnResult, void> {
  assertFiniteMatrix(x, 'vectors to search');
  assertMetric(metric);
  const { rows } = x;
  if (!Number.isInteger(k) || k < 1 || k > rows - 1) {
    throw new InputError(
      'input.option',
      `The number of neighbours must be a whole number from 1 to rows − 1 = ${rows - 1}; got ${k}.`,
    );
  }
  const kernel = options.simd === false ? null : dotKernel();
  return kernel === null ? yield* searchScalar(x, k, metric) : yield* searchSimd(x, k, metric, kernel);
}

/** {@link knnAllSteps} in float64 JavaScript (arguments already checked). */
function* searchScalar(x: Matrix, k: number, metric: Metric): Generator<KnnProgress, KnnResult, void> {
  const { data, rows, dim } = x;
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
    const d = rankingKey(dot, norms[i], norms[j], cosine);
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
          let d = rankingKey(d00, n0, m0, cosine);
          heaps.push(i0, j, d);
          heaps.push(j, i0, d);
          d = rankingKey(d01, n0, m1, cosine);
          heaps.push(i0, j + 1, d);
          heaps.push(j + 1, i0, d);
          d = rankingKey(d02, n0, m2, cosine);
          heaps.push(i0, j + 2, d);
          heaps.push(j + 2, i0, d);
          d = rankingKey(d03, n0, m3, cosine);
          heaps.push(i0, j + 3, d);
          heaps.push(j + 3, i0, d);
          d = rankingKey(d10, n1, m0, cosine);
          heaps.push(i1, j, d);
          heaps.push(j, i1, d);
          d = rankingKey(d11, n1, m1, cosine);
          heaps.push(i1, j + 1, d);
          heaps.push(j + 1, i1, d);
          d = rankingKey(d12, n1, m2, cosine);
          heaps.push(i1, j + 2, d);
          heaps.push(j + 2, i1, d);
          d = rankingKey(d13, n1, m3, cosine);
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
  return heaps.toResult(rows, (key) => keyToDistance(key, cosine));
}

/**
 * Candidates per row that the float32 search keeps for re-ranking in float64: `k` plus a margin for the
 * rows whose float32 distance lands on the wrong side of the k-th (their distances agree to about 1e-6
 * relative, so only near-ties can swap; the margin holds a dozen of them, or half of `k` when larger).
 */
export function candidateCount(k: number, rows: number): number {
  return Math.min(rows - 1, k + Math.max(12, Math.ceil(k / 2)));
}

/** The part of the WebAssembly API used here (core compiles without DOM or Node types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** A compiled dot-product kernel; {@link DotKernel.instantiate} gives it memory of its own. */
interface DotKernel {
  /** An instance over a fresh memory of at least `bytes` bytes. */
  instantiate(bytes: number): { memory: ArrayBuffer; dots: DotsFunction };
}

/**
 * `out[r · nb + c] = A[r] · B[c]` for `r < na`, `c < nb`, in float32 with 4-lane partial sums. Every
 * argument but the counts is a byte offset in the kernel's memory; rows are `stride` bytes apart.
 * Requires `na` even, `nb` a multiple of 4, `stride` a multiple of 16 (rows zero-padded to 4 floats).
 */
type DotsFunction = (a: number, na: number, b: number, nb: number, stride: number, out: number) => void;

/** WebAssembly memory page size in bytes. */
const WASM_PAGE_BYTES = 65536;

/** The dot-product kernel, assembled below. Encoding per the WebAssembly 2.0 spec (fixed-width SIMD). */
function dotKernelBytes(): Uint8Array {
  const uleb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n !== 0) byte |= 0x80;
      out.push(byte);
    } while (n !== 0);
    return out;
  };
  const name = (text: string): number[] => [
    ...uleb(text.length),
    ...Array.from(text, (c) => c.charCodeAt(0)),
  ];
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const I32 = 0x7f;
  const V128 = 0x7b;
  // Instructions used: local.get/set/tee, i32.const (small non-negative values), i32 arithmetic, block/loop/
  // br/br_if, f32.add, f32.store, and the SIMD prefix 0xfd with v128.load (0x00), v128.const (0x0c),
  // f32x4.extract_lane (0x1f), f32x4.add (0xe4), f32x4.mul (0xe6).
  const get = (l: number): number[] => [0x20, l];
  const set = (l: number): number[] => [0x21, l];
  const tee = (l: number): number[] => [0x22, l];
  const constant = (v: number): number[] => [0x41, v]; // v < 64: one-byte signed LEB128.
  const add = [0x6a];
  const mul = [0x6c];
  const shiftLeft = [0x74];
  const atLeast = [0x4e]; // i32.ge_s
  const beginBlock = [0x02, 0x40];
  const beginLoop = [0x03, 0x40];
  const end = [0x0b];
  const exitIf = [0x0d, 1]; // br_if to the block around the loop
  const repeat = [0x0c, 0]; // br to the loop's start
  const load = [0xfd, 0x00, 4, 0]; // v128.load align 2^4 offset 0
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const lane = (l: number): number[] => [0xfd, 0x1f, l];
  const addLanes = [0xfd, 0xe4, 0x01];
  const mulLanes = [0xfd, 0xe6, 0x01];
  const addF32 = [0x92];
  const storeF32 = (offset: number): number[] => [0x38, 2, ...uleb(offset)];

  // Parameters 0–5: a, na, b, nb, stride, out. i32 locals 6–16, v128 locals 17–30.
  const [A, NA, B, NB, STRIDE, OUT] = [0, 1, 2, 3, 4, 5];
  const [ROW, COL, T, PA0, PA1, PB, OUT0, OUT1] = [6, 7, 8, 9, 10, 11, 15, 16]; // PB..PB+3: 11–14
  const ACC = 17; // 8 accumulators: row r, column c at ACC + 4r + c
  const VA = 25; // 2 vectors of A
  const VB = 27; // 4 vectors of B
  const code: number[] = [];
  const emit = (...parts: number[][]): void => {
    for (const part of parts) code.push(...part);
  };
  emit(beginBlock, constant(0), set(ROW), beginLoop);
  emit(get(ROW), get(NA), atLeast, exitIf);
  emit(get(A), get(ROW), get(STRIDE), mul, add, tee(PA0), get(STRIDE), add, set(PA1));
  emit(get(OUT), get(ROW), get(NB), mul, constant(2), shiftLeft, add, tee(OUT0));
  emit(get(NB), constant(2), shiftLeft, add, set(OUT1));
  emit(beginBlock, constant(0), set(COL), beginLoop);
  emit(get(COL), get(NB), atLeast, exitIf);
  emit(get(B), get(COL), get(STRIDE), mul, add, tee(PB), get(STRIDE), add, tee(PB + 1));
  emit(get(STRIDE), add, tee(PB + 2), get(STRIDE), add, set(PB + 3));
  for (let q = 0; q < 8; q++) emit(zero, set(ACC + q));
  emit(beginBlock, constant(0), set(T), beginLoop);
  emit(get(T), get(STRIDE), atLeast, exitIf);
  emit(get(PA0), get(T), add, load, set(VA), get(PA1), get(T), add, load, set(VA + 1));
  for (let c = 0; c < 4; c++) emit(get(PB + c), get(T), add, load, set(VB + c));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      emit(get(ACC + 4 * r + c), get(VA + r), get(VB + c), mulLanes, addLanes, set(ACC + 4 * r + c));
    }
  }
  emit(get(T), constant(16), add, set(T), repeat, end, end);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const acc = ACC + 4 * r + c;
      emit(get(OUT0 + r), get(COL), constant(2), shiftLeft, add);
      emit(
        get(acc),
        lane(0),
        get(acc),
        lane(1),
        addF32,
        get(acc),
        lane(2),
        get(acc),
        lane(3),
        addF32,
        addF32,
      );
      emit(storeF32(4 * c));
    }
  }
  emit(get(COL), constant(4), add, set(COL), repeat, end, end);
  emit(get(ROW), constant(2), add, set(ROW), repeat, end, end, end);

  const body = [
    ...vector([
      [...uleb(11), I32],
      [...uleb(14), V128],
    ]),
    ...code,
  ];
  const params = vector([[I32], [I32], [I32], [I32], [I32], [I32]]);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vector([[0x60, ...params, 0x00]])), // type 0: (i32 × 6) → ()
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // memory, min 1 page
    ...section(3, vector([[0x00]])), // function 0 has type 0
    ...section(7, vector([[...name('dots'), 0x00, 0x00]])), // export function 0 as "dots"
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}

let cachedKernel: DotKernel | null | undefined;

/**
 * The SIMD dot-product kernel, compiled once; `null` where WebAssembly or its SIMD is missing or blocked
 * (the search then runs in JavaScript).
 */
function dotKernel(): DotKernel | null {
  if (cachedKernel !== undefined) return cachedKernel;
  cachedKernel = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    const bytes = dotKernelBytes();
    if (!wasm.validate(bytes)) return null;
    // Synchronous compilation: allowed in workers and Node, and in windows for modules under 4 KiB.
    const module = new wasm.Module(bytes);
    cachedKernel = {
      instantiate(size: number) {
        const memory = new wasm.Memory({ initial: Math.ceil(size / WASM_PAGE_BYTES) });
        const instance = new wasm.Instance(module, { env: { memory } });
        return { memory: memory.buffer, dots: instance.exports.dots as DotsFunction };
      },
    };
  } catch {
    cachedKernel = null;
  }
  return cachedKernel;
}

/** Whether {@link knnAllSteps} can use its WebAssembly SIMD kernel here. */
export function knnSimdAvailable(): boolean {
  return dotKernel() !== null;
}

/** Rows of A per kernel call (even). */
const SIMD_BLOCK_ROWS = 16;
/** B tiles of about this many bytes stay in L2 cache while the kernel sweeps them once per 2 rows of A. */
const SIMD_TILE_BYTES = 128 * 1024;
/** About 0.1 s of kernel work (≈ 10 G multiply-adds per second) between progress reports. */
const SIMD_WORK_PER_CHUNK = 1e9;

/**
 * Re-ranks row `i`'s candidates `cand[0..c)` by float64 {@link rankingKey} and writes the `k` best, sorted
 * by (key, index), to row `i` of `out` (indices, and distances from {@link keyToDistance}). Dot products are
 * summed in the same order as in {@link searchScalar}, so keys are bit-identical to its. `scratchKey` and
 * `scratchIndex` hold at least `c` entries.
 */
function rerankRow(
  x: Matrix,
  norms: Float64Array,
  cosine: boolean,
  i: number,
  cand: ArrayLike<number>,
  c: number,
  scratchKey: Float64Array,
  scratchIndex: Int32Array,
  out: KnnResult,
): void {
  const { data, dim } = x;
  const a = i * dim;
  const insert = (filled: number, j: number, dot: number): void => {
    // Insertion sort by (key, index): c is a few dozen at most.
    const key = rankingKey(dot, norms[i], norms[j], cosine);
    let at = filled;
    for (; at > 0; at--) {
      const prev = scratchKey[at - 1];
      if (prev < key || (prev === key && scratchIndex[at - 1] < j)) break;
      scratchKey[at] = prev;
      scratchIndex[at] = scratchIndex[at - 1];
    }
    scratchKey[at] = key;
    scratchIndex[at] = j;
  };
  let s = 0;
  // Four candidates at a time: four independent sums keep the CPU busy, each still summed in order.
  for (; s + 3 < c; s += 4) {
    const j0 = cand[s];
    const j1 = cand[s + 1];
    const j2 = cand[s + 2];
    const j3 = cand[s + 3];
    const b0 = j0 * dim;
    const b1 = j1 * dim;
    const b2 = j2 * dim;
    const b3 = j3 * dim;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let t = 0; t < dim; t++) {
      const u = data[a + t];
      d0 += u * data[b0 + t];
      d1 += u * data[b1 + t];
      d2 += u * data[b2 + t];
      d3 += u * data[b3 + t];
    }
    insert(s, j0, d0);
    insert(s + 1, j1, d1);
    insert(s + 2, j2, d2);
    insert(s + 3, j3, d3);
  }
  for (; s < c; s++) {
    const j = cand[s];
    const b = j * dim;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += data[a + t] * data[b + t];
    insert(s, j, dot);
  }
  const { k } = out;
  for (let r = 0; r < k; r++) {
    out.indices[i * k + r] = scratchIndex[r];
    out.distances[i * k + r] = keyToDistance(scratchKey[r], cosine);
  }
}

/** {@link knnAllSteps} with the SIMD kernel (arguments already checked). */
function* searchSimd(
  x: Matrix,
  k: number,
  metric: Metric,
  kernel: DotKernel,
): Generator<KnnProgress, KnnResult, void> {
  const { data, rows, dim } = x;
  const cosine = metric === 'cosine';
  const paddedDim = Math.max(4, Math.ceil(dim / 4) * 4);
  const stride = 4 * paddedDim;
  const paddedRows = Math.ceil(rows / SIMD_BLOCK_ROWS) * SIMD_BLOCK_ROWS;
  const tileRows = Math.max(
    SIMD_BLOCK_ROWS,
    Math.min(1024, Math.floor(SIMD_TILE_BYTES / stride / SIMD_BLOCK_ROWS) * SIMD_BLOCK_ROWS),
  );
  const outOffset = paddedRows * stride;
  let instance: ReturnType<DotKernel['instantiate']>;
  try {
    instance = kernel.instantiate(outOffset + 4 * SIMD_BLOCK_ROWS * tileRows);
  } catch {
    // No WebAssembly memory that large (32-bit memories stop at 2–4 GiB): search in JavaScript instead.
    return yield* searchScalar(x, k, metric);
  }
  const { memory, dots } = instance;
  const rowsView = new Float32Array(memory, 0, paddedRows * paddedDim);
  // Euclidean distance ignores a shift, so centre the rows: `‖a‖² + ‖b‖² − 2a·b` then cancels far less of
  // float32's precision when the data sit far from the origin.
  const mean = new Float64Array(dim);
  if (!cosine) {
    for (let i = 0; i < rows; i++) for (let t = 0; t < dim; t++) mean[t] += data[i * dim + t];
    for (let t = 0; t < dim; t++) mean[t] /= rows;
  }
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < dim; t++) rowsView[i * paddedDim + t] = data[i * dim + t] - mean[t];
  }
  const out = new Float32Array(memory, outOffset, SIMD_BLOCK_ROWS * tileRows);

  // Squared norms with the kernel's own arithmetic, so identical rows give a key of exactly 0.
  const norms32 = new Float64Array(rows);
  for (let i0 = 0; i0 < paddedRows; i0 += SIMD_BLOCK_ROWS) {
    dots(i0 * stride, SIMD_BLOCK_ROWS, i0 * stride, SIMD_BLOCK_ROWS, stride, outOffset);
    for (let r = 0; r < SIMD_BLOCK_ROWS && i0 + r < rows; r++) norms32[i0 + r] = out[r * SIMD_BLOCK_ROWS + r];
  }

  const inverseNorms = norms32.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
  const c = candidateCount(k, rows);
  const heaps = new NeighborHeaps(rows, c);
  const { tops } = heaps;
  const total = (rows * (rows - 1)) / 2;
  const chunkRows =
    SIMD_BLOCK_ROWS *
    Math.max(1, Math.round(SIMD_WORK_PER_CHUNK / (Math.max(1, rows * paddedDim) * SIMD_BLOCK_ROWS)));
  let done = 0;
  for (let start = 0; start < paddedRows; start += chunkRows) {
    const end = Math.min(paddedRows, start + chunkRows);
    for (let i0 = start; i0 < end; i0 += SIMD_BLOCK_ROWS) {
      for (let j0 = i0; j0 < rows; j0 += tileRows) {
        const nb = Math.min(tileRows, paddedRows - j0);
        dots(i0 * stride, SIMD_BLOCK_ROWS, j0 * stride, nb, stride, outOffset);
        const jEnd = Math.min(rows, j0 + nb);
        for (let r = 0; r < SIMD_BLOCK_ROWS; r++) {
          const i = i0 + r;
          if (i >= rows) break;
          const si = norms32[i];
          const base = r * nb - j0;
          let topI = tops[i];
          for (let j = Math.max(j0, i + 1); j < jEnd; j++) {
            let key: number;
            if (!cosine) {
              key = si + norms32[j] - 2 * out[base + j];
              if (key < 0) key = 0;
            } else if (si > 0 && norms32[j] > 0) {
              // Candidates only (re-ranked below), so a product of inverse norms replaces √(si·sj).
              key = 1 - out[base + j] * inverseNorms[i] * inverseNorms[j];
            } else {
              key = rankingKey(out[base + j], si, norms32[j], true);
            }
            // Ties pass the cheap test; push() breaks them by index.
            if (key <= topI) {
              heaps.push(i, j, key);
              topI = tops[i];
            }
            if (key <= tops[j]) heaps.push(j, i, key);
          }
        }
      }
    }
    const last = Math.min(rows, end);
    const first = Math.min(rows, start);
    // Pairs (i, j > i) for the rows of this chunk: Σ (rows − 1 − i).
    done += (last - first) * (rows - 1) - ((last - 1) * last) / 2 + ((first - 1) * first) / 2;
    if (end < paddedRows) yield { done, total };
  }

  const norms = squaredNorms(x);
  const result: KnnResult = {
    indices: new Int32Array(rows * k),
    distances: new Float32Array(rows * k),
    rows,
    k,
  };
  const scratchKey = new Float64Array(c);
  const scratchIndex = new Int32Array(c);
  for (let i = 0; i < rows; i++) {
    const cand = heaps.index.subarray(i * c, (i + 1) * c);
    rerankRow(x, norms, cosine, i, cand, c, scratchKey, scratchIndex, result);
  }
  yield { done: total, total };
  return result;
}

/**
 * Exact k-nearest-neighbour search over all rows (see {@link knnAllSteps} for cost and ordering).
 *
 * @param onChunk - called after each block of rows with the number of distance evaluations done so far and
 *   in total.
 * @param options - see {@link KnnOptions}.
 */
export function knnAll(
  x: Matrix,
  k: number,
  metric: Metric,
  onChunk?: (done: number, total: number) => void,
  options: KnnOptions = {},
): KnnResult {
  const steps = knnAllSteps(x, k, metric, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    onChunk?.(next.value.done, next.value.total);
  }
}

/**
 * Progress of {@link refineNeighborsSteps}: `done` of `total` distance evaluations (`rows × candidates`).
 */
export type RefineProgress = KnnProgress;

/** Aim for about this many multiply-adds between two progress reports of the refinement. */
const TARGET_REFINE_WORK_PER_CHUNK = 5e7;

/**
 * Re-ranks candidate neighbours by their exact distance under `metric` on `x` and keeps the `k` nearest of
 * each row, as a generator: it yields {@link RefineProgress} after each block of rows and returns the
 * {@link KnnResult}. Stop iterating to cancel.
 *
 * Meant for candidates found in a cheaper space (e.g. after PCA): when every row's true k nearest are among
 * its candidates, the result equals {@link knnAll}`(x, k, metric)` bit for bit (distances are computed the
 * same way, ties broken by index).
 *
 * Cost: `rows × candidates.k` dot products of length `dim`.
 *
 * @param candidates - neighbour lists of the same rows (e.g. from {@link knnAllSteps} on reduced rows);
 *   each row's list must hold distinct indices other than the row itself.
 * @param k - neighbours to keep, an integer in `[1, candidates.k]`.
 * @throws InputError `input.dimension` / `input.not-finite` for a bad matrix or candidates of other rows,
 *   `input.option` for a bad `k` or metric.
 */
export function* refineNeighborsSteps(
  x: Matrix,
  candidates: KnnResult,
  k: number,
  metric: Metric,
): Generator<RefineProgress, KnnResult, void> {
  assertFiniteMatrix(x, 'vectors to search');
  assertMetric(metric);
  if (candidates.rows !== x.rows) {
    throw new InputError(
      'input.dimension',
      `The candidate lists cover ${candidates.rows} rows but the vectors have ${x.rows}.`,
    );
  }
  const c = candidates.k;
  if (!Number.isInteger(k) || k < 1 || k > c) {
    throw new InputError(
      'input.option',
      `The number of neighbours to keep must be a whole number from 1 to ${c}; got ${k}.`,
    );
  }
  const { rows, dim } = x;
  const cosine = metric === 'cosine';
  const norms = squaredNorms(x);
  const result: KnnResult = {
    indices: new Int32Array(rows * k),
    distances: new Float32Array(rows * k),
    rows,
    k,
  };
  const scratchKey = new Float64Array(c);
  const scratchIndex = new Int32Array(c);
  const total = rows * c;
  const blockRows = Math.max(1, Math.round(TARGET_REFINE_WORK_PER_CHUNK / Math.max(1, c * dim)));
  for (let start = 0; start < rows; start += blockRows) {
    const end = Math.min(rows, start + blockRows);
    for (let i = start; i < end; i++) {
      const cand = candidates.indices.subarray(i * c, (i + 1) * c);
      rerankRow(x, norms, cosine, i, cand, c, scratchKey, scratchIndex, result);
    }
    yield { done: end * c, total };
  }
  return result;
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
