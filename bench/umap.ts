/**
 * UMAP benchmark, all in one process so the ratios compare like with like on a shared, noisy machine:
 *
 * - `umap-js fit`: plain umap-js 1.4.0 defaults, `new UMAP({ nComponents: 2, nNeighbors: 15, random })
 *   .fit(rows)` (its own random-projection trees + NN-descent, minDist 0.1, spread 1, default epochs).
 * - `before`: Pairscope's previous pipeline, exact kNN in float64 JavaScript handed to umap-js with
 *   `setPrecomputedKNN` (its fuzzy graph and epochs).
 * - `projectUmap`: Pairscope's projection with its defaults (PCA to 50 dims for candidate neighbours,
 *   re-ranked exactly on the full rows; typed-array UMAP).
 * - `projectUmap, no PCA`: the same on the full 384 dims.
 *
 * Data: a seeded Gaussian mixture in 384-d, 15 clusters of unequal size, each spread along its own 4–8
 * random directions with a per-cluster scale from 2 to 6 (cluster centres have norm ≈ 20), plus isotropic
 * noise, rows L2-normalised like sentence embeddings (so euclidean and cosine neighbours coincide; every
 * run uses euclidean, umap-js's default).
 *
 * Quality, against the exact 15 nearest neighbours in 384-d:
 * - layout recall@15 (`knnOverlap`): the fraction of each row's 15 input-space neighbours that are among its
 *   15 nearest in the layout, averaged over all rows;
 * - trustworthiness@15 (Venna & Kaski 2001; scikit-learn's definition) over a seeded sample of query rows:
 *   1 minus a penalty for layout neighbours that are far down the input-space ranking.
 *
 * Each case runs `--repeats` times (default 3), interleaved; the table gives median [min–max] seconds and
 * the median of the per-repeat time ratios. Never gates anything on time.
 *
 * Run: `npx tsx bench/umap.ts [--sizes 1000,5000,10000] [--repeats 3] [--no-before]` (about 10 minutes
 * with the defaults; umap-js at 10 000 rows takes 20–30 s per run).
 */
import { UMAP } from 'umap-js';
import type { Matrix } from '../src/core/matrix';
import { knnAll, knnOverlap, knnSimdAvailable, type KnnResult } from '../src/core/neighbors';
import { projectUmap, type UmapOptions } from '../src/core/projection';
import { createRandom, randomNormal } from '../src/core/random';

const DIM = 384;
const CLUSTERS = 15;
/** Each cluster spreads along 4–8 random directions: sentence embeddings have a low intrinsic dimension. */
const MIN_INTRINSIC = 4;
const MAX_INTRINSIC = 8;
/** Spread along each of those directions, per cluster, uniform in [2, 6] (centres have norm ≈ √384 ≈ 20). */
const MIN_SPREAD = 2;
const MAX_SPREAD = 6;
/** Isotropic noise std per coordinate (norm ≈ 2 over 384 coordinates). */
const NOISE = 0.1;
const K = 15;
const DATA_SEED = 42;
const UMAP_SEED = 1;
/** Query rows sampled for trustworthiness (its exact ranks need each query's distances to all rows). */
const TRUST_SAMPLE = 1000;

interface Args {
  sizes: number[];
  repeats: number;
  before: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const sizes = (value('--sizes') ?? '1000,5000,10000').split(',').map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 50)) {
    throw new Error('--sizes takes a comma-separated list of whole numbers ≥ 50, e.g. --sizes 1000,5000');
  }
  const repeats = Number(value('--repeats') ?? '3');
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats takes a whole number ≥ 1');
  return { sizes, repeats, before: !argv.includes('--no-before') };
}

function mixtureData(rows: number): Matrix {
  const random = createRandom(DATA_SEED);
  const gaussian = (): Float64Array => Float64Array.from({ length: DIM }, () => randomNormal(random));
  const unit = (): Float64Array => {
    const u = gaussian();
    const norm = Math.hypot(...u);
    return u.map((v) => v / norm);
  };
  const clusters = Array.from({ length: CLUSTERS }, () => ({
    centre: gaussian(),
    spread: MIN_SPREAD + (MAX_SPREAD - MIN_SPREAD) * random(),
    directions: Array.from(
      { length: MIN_INTRINSIC + Math.floor(random() * (MAX_INTRINSIC - MIN_INTRINSIC + 1)) },
      unit,
    ),
    // Unequal sizes: weights from 1 to 4.
    weight: 1 + 3 * random(),
  }));
  const totalWeight = clusters.reduce((s, c) => s + c.weight, 0);
  const data = new Float32Array(rows * DIM);
  const row = new Float64Array(DIM);
  for (let i = 0; i < rows; i++) {
    let pick = random() * totalWeight;
    let c = 0;
    while (c < CLUSTERS - 1 && pick >= clusters[c].weight) pick -= clusters[c++].weight;
    const cluster = clusters[c];
    row.set(cluster.centre);
    for (const u of cluster.directions) {
      const z = cluster.spread * randomNormal(random);
      for (let j = 0; j < DIM; j++) row[j] += z * u[j];
    }
    let norm = 0;
    for (let j = 0; j < DIM; j++) {
      row[j] += NOISE * randomNormal(random);
      norm += row[j] * row[j];
    }
    for (let j = 0; j < DIM; j++) data[i * DIM + j] = row[j] / Math.sqrt(norm);
  }
  return { data, rows, dim: DIM };
}

/** What the quality measures need about the input space, computed once per size. */
interface Reference {
  /** Exact 15 nearest neighbours of every row. */
  knn: KnnResult;
  /** Sampled query rows for trustworthiness, and each one's sorted distances to all other rows. */
  queries: Int32Array;
  sortedDistances: Float32Array[];
  /** Distance from each query to each row, `queries × rows`, to look up ranks. */
  distances: Float32Array[];
}

function euclidean(x: Matrix, i: number, j: number): number {
  let s = 0;
  for (let t = 0; t < x.dim; t++) {
    const d = x.data[i * x.dim + t] - x.data[j * x.dim + t];
    s += d * d;
  }
  return Math.sqrt(s);
}

function buildReference(x: Matrix): Reference {
  const random = createRandom(7);
  const count = Math.min(TRUST_SAMPLE, x.rows);
  const order = Array.from({ length: x.rows }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (x.rows - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const queries = Int32Array.from(order.slice(0, count));
  const distances: Float32Array[] = [];
  const sortedDistances: Float32Array[] = [];
  for (const q of queries) {
    const row = new Float32Array(x.rows);
    for (let j = 0; j < x.rows; j++) row[j] = j === q ? -1 : euclidean(x, q, j);
    distances.push(row);
    sortedDistances.push(row.slice().sort());
  }
  return { knn: knnAll(x, K, 'euclidean'), queries, sortedDistances, distances };
}

/** Layout recall@15 and trustworthiness@15 of a layout (`rows × 2`). */
function quality(reference: Reference, coordinates: Float32Array): { recall: number; trust: number } {
  const n = reference.knn.rows;
  const low = knnAll({ data: coordinates, rows: n, dim: 2 }, K, 'euclidean');
  const recall = knnOverlap(reference.knn, low);
  // Trustworthiness: for each layout neighbour j of query i that is not among i's K input-space neighbours,
  // add (its input-space rank − K); rank 1 = nearest other row. The self entry (-1) sorts first.
  let penalty = 0;
  reference.queries.forEach((q, s) => {
    const sorted = reference.sortedDistances[s];
    const own = new Set(reference.knn.indices.subarray(q * K, (q + 1) * K));
    for (let t = 0; t < K; t++) {
      const j = low.indices[q * K + t];
      if (own.has(j)) continue;
      const d = reference.distances[s][j];
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < d) lo = mid + 1;
        else hi = mid;
      }
      // lo = rows strictly closer, counting the self entry; so lo is the 1-based rank among other rows.
      penalty += Math.max(0, lo - K);
    }
  });
  const m = reference.queries.length;
  const trust = 1 - (2 / (m * K * (2 * n - 3 * K - 1))) * penalty;
  return { recall, trust };
}

interface Run {
  seconds: number;
  recall: number;
  trust: number;
  phases: Map<string, number>;
}

function elapsed(since: number): number {
  return (performance.now() - since) / 1000;
}

function toRows(x: Matrix): number[][] {
  return Array.from({ length: x.rows }, (_, i) => Array.from(x.data.subarray(i * x.dim, (i + 1) * x.dim)));
}

function runPlain(x: Matrix, reference: Reference): Run {
  const rows = toRows(x);
  const start = performance.now();
  const umap = new UMAP({ nComponents: 2, nNeighbors: K, random: createRandom(UMAP_SEED) });
  const embedding = umap.fit(rows);
  const seconds = elapsed(start);
  return { seconds, ...quality(reference, Float32Array.from(embedding.flat())), phases: new Map() };
}

/**
 * The previous projectUmap: exact kNN (14 others + the row itself) in float64 JavaScript, as it was before
 * the WebAssembly kernel, handed to umap-js.
 */
function runBefore(x: Matrix, reference: Reference): Run {
  const start = performance.now();
  const knn = knnAll(x, K - 1, 'euclidean', undefined, { simd: false });
  const knnSeconds = elapsed(start);
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < x.rows; i++) {
    indices.push([i, ...knn.indices.subarray(i * (K - 1), (i + 1) * (K - 1))]);
    distances.push([0, ...knn.distances.subarray(i * (K - 1), (i + 1) * (K - 1))]);
  }
  const umap = new UMAP({ nComponents: 2, nNeighbors: K, random: createRandom(UMAP_SEED) });
  umap.setPrecomputedKNN(indices, distances);
  const mark = performance.now();
  const nEpochs = umap.initializeFit(Array.from({ length: x.rows }, (): number[] => []));
  const graphSeconds = elapsed(mark);
  for (let e = 0; e < nEpochs; e++) umap.step();
  const seconds = elapsed(start);
  const phases = new Map([
    ['neighbors', knnSeconds],
    ['graph', graphSeconds],
    ['epochs', seconds - knnSeconds - graphSeconds],
  ]);
  return { seconds, ...quality(reference, Float32Array.from(umap.getEmbedding().flat())), phases };
}

function runOurs(x: Matrix, reference: Reference, pcaDims: number | null | undefined): Run {
  const options: Partial<UmapOptions> = {
    nNeighbors: K,
    distance: 'euclidean',
    seed: UMAP_SEED,
    ...(pcaDims === undefined ? {} : { pcaDims }),
  };
  const phases = new Map<string, number>();
  const start = performance.now();
  let mark = start;
  let graphDone = false;
  const steps = projectUmap(x, options);
  let next = steps.next();
  for (; next.done !== true; next = steps.next()) {
    // Time up to a report is spent in that report's phase, except that the fuzzy graph and initial layout
    // are built right before the 'epochs' report with done 0.
    const { phase } = next.value;
    const name = phase === 'epochs' && !graphDone ? 'graph' : phase;
    if (phase === 'epochs') graphDone = true;
    const now = performance.now();
    phases.set(name, (phases.get(name) ?? 0) + (now - mark) / 1000);
    mark = now;
  }
  phases.set('epochs', (phases.get('epochs') ?? 0) + elapsed(mark));
  const seconds = elapsed(start);
  return { seconds, ...quality(reference, next.value.coordinates), phases };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Method {
  name: string;
  run: (x: Matrix, reference: Reference) => Run;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const methods: Method[] = [
    { name: 'umap-js fit (plain defaults)', run: runPlain },
    ...(args.before ? [{ name: 'before: exact kNN + umap-js', run: runBefore }] : []),
    { name: 'projectUmap (defaults: PCA 50)', run: (x, r) => runOurs(x, r, undefined) },
    { name: 'projectUmap, no PCA', run: (x, r) => runOurs(x, r, null) },
  ];
  const lines = [
    `| n | method | seconds median [min–max] | phases (s, median) | time ratio plain/this (median) | ` +
      `recall@${K} | trust@${K} | recall / plain |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const n of args.sizes) {
    const x = mixtureData(n);
    console.error(`n = ${n}: reference neighbours…`);
    const reference = buildReference(x);
    const runs: Run[][] = methods.map(() => []);
    for (let r = 0; r < args.repeats; r++) {
      methods.forEach((method, m) => {
        console.error(`n = ${n}, repeat ${r + 1}/${args.repeats}: ${method.name}…`);
        const run = method.run(x, reference);
        console.error(`  ${run.seconds.toFixed(2)} s, recall ${run.recall.toFixed(3)}`);
        runs[m].push(run);
      });
    }
    const plain = runs[0];
    methods.forEach((method, m) => {
      const own = runs[m];
      const seconds = own.map((r) => r.seconds);
      const ratios = own.map((r, i) => plain[i].seconds / r.seconds);
      const phaseNames = [...new Set(own.flatMap((r) => [...r.phases.keys()]))];
      const phases = phaseNames
        .map((name) => `${name} ${median(own.map((r) => r.phases.get(name) ?? 0)).toFixed(2)}`)
        .join(', ');
      const recall = median(own.map((r) => r.recall));
      lines.push(
        `| ${n} | ${method.name} | ${median(seconds).toFixed(2)} [${Math.min(...seconds).toFixed(2)}–` +
          `${Math.max(...seconds).toFixed(2)}] | ${phases || '—'} | ${median(ratios).toFixed(2)} | ` +
          `${recall.toFixed(3)} | ${median(own.map((r) => r.trust)).toFixed(3)} | ` +
          `${(recall / median(plain.map((r) => r.recall))).toFixed(3)} |`,
      );
    });
  }
  console.log(
    `WebAssembly SIMD kNN kernel: ${knnSimdAvailable() ? 'yes' : 'no (JavaScript fallback)'}. ` +
      `UMAP on ${DIM}-d synthetic data (seeded Gaussian mixture: ${CLUSTERS} clusters of unequal size, ` +
      `intrinsic dimension ${MIN_INTRINSIC}–${MAX_INTRINSIC}, spread ${MIN_SPREAD}–${MAX_SPREAD}, noise ` +
      `${NOISE}, unit rows), nNeighbors ${K}, minDist 0.1, default epochs, euclidean, ${args.repeats} ` +
      `repeats, trustworthiness over ${TRUST_SAMPLE} sampled rows, Node ${process.version}\n`,
  );
  console.log(lines.join('\n'));
}

main();
