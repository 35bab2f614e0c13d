/**
 * UMAP benchmark: plain umap-js 1.4.0 (`new UMAP({ nComponents: 2, nNeighbors: 15, random }).fit(X)`, its own
 * NN-descent) against Pairscope's `projectUmap` (exact chunked kNN handed to umap-js, then stepped epochs),
 * without and with PCA to 50 dimensions, on seeded synthetic 384-d data: 10 clusters, each a Gaussian
 * spread along 5 random directions plus small isotropic noise (10 × 5 + 9 = 59 directions carry signal, a
 * little more than PCA keeps), rows L2-normalised like sentence embeddings (so euclidean and cosine
 * neighbours coincide; all runs use euclidean, umap-js's default).
 *
 * Prints a markdown table: seconds (with our phases), kNN-graph recall (the neighbours UMAP was given vs the
 * exact 14 nearest), layout recall (`knnRecall`, k = 15: exact 384-d neighbours kept among 2-D neighbours)
 * and ratios against the plain run. Never gates anything on time.
 *
 * Run: `npx tsx bench/umap.ts [--sizes 1000,5000,10000]` (10 000 plain takes about a minute or two).
 */
import { UMAP } from 'umap-js';
import type { Matrix } from '../src/core/matrix';
import { knnAll, knnOverlap, type KnnResult } from '../src/core/neighbors';
import { pca } from '../src/core/pca';
import { projectUmap, type UmapOptions } from '../src/core/projection';
import { createRandom, randomNormal } from '../src/core/random';

const DIM = 384;
const CLUSTERS = 10;
/** Each cluster spreads along this many random directions: sentence embeddings have low intrinsic dimension. */
const INTRINSIC_DIM = 5;
/** Spread along each of those directions (centres have unit variance per coordinate, norm ≈ √384 ≈ 20). */
const SPREAD = 4;
/** Isotropic noise std per coordinate (norm ≈ 2 over 384 coordinates). */
const NOISE = 0.1;
const K = 15;
const DATA_SEED = 42;
const UMAP_SEED = 1;

function parseSizes(argv: string[]): number[] {
  const at = argv.indexOf('--sizes');
  if (at < 0) return [1000, 5000, 10000];
  const sizes = (argv[at + 1] ?? '').split(',').map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 20)) {
    throw new Error('--sizes takes a comma-separated list of whole numbers ≥ 20, e.g. --sizes 1000,5000');
  }
  return sizes;
}

function clusteredData(rows: number): Matrix {
  const random = createRandom(DATA_SEED);
  const gaussian = (): Float64Array => Float64Array.from({ length: DIM }, () => randomNormal(random));
  const centres = Array.from({ length: CLUSTERS }, gaussian);
  const directions = Array.from({ length: CLUSTERS }, () =>
    Array.from({ length: INTRINSIC_DIM }, () => {
      const u = gaussian();
      const norm = Math.hypot(...u);
      return u.map((v) => v / norm);
    }),
  );
  const data = new Float32Array(rows * DIM);
  const row = new Float64Array(DIM);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(random() * CLUSTERS);
    row.set(centres[c]);
    for (const u of directions[c]) {
      const z = SPREAD * randomNormal(random);
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

/** Fraction of each row's exact nearest other rows found in its given neighbour list, averaged. */
function graphRecall(exact: KnnResult, given: readonly (readonly number[])[]): number {
  const k = exact.k;
  let sum = 0;
  for (let i = 0; i < exact.rows; i++) {
    const found = new Set(given[i]);
    let hits = 0;
    for (let s = 0; s < k; s++) if (found.has(exact.indices[i * k + s])) hits++;
    sum += hits / k;
  }
  return sum / exact.rows;
}

function layoutRecall(highKnn: KnnResult, coordinates: Float32Array): number {
  return knnOverlap(
    highKnn,
    knnAll({ data: coordinates, rows: highKnn.rows, dim: 2 }, highKnn.k, 'euclidean'),
  );
}

/** Exact neighbours of the original rows: 14 others (UMAP's graph: 15 counting the row) and 15 (recall). */
interface Reference {
  graph: KnnResult;
  layout: KnnResult;
}

interface Row {
  n: number;
  method: string;
  seconds: number;
  phases: string;
  graphRecall: number;
  layoutRecall: number;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function runPlain(x: Matrix, reference: Reference): Row {
  const rows = Array.from({ length: x.rows }, (_, i) =>
    Array.from(x.data.subarray(i * x.dim, (i + 1) * x.dim)),
  );
  const umap = new UMAP({ nComponents: 2, nNeighbors: K, random: createRandom(UMAP_SEED) });
  const start = performance.now();
  const embedding = umap.fit(rows);
  const total = seconds(start);
  // Bench-only peek at umap-js's private NN-descent result, to compare with the exact graph.
  const { knnIndices } = umap as unknown as { knnIndices: number[][] };
  return {
    n: x.rows,
    method: 'umap-js fit (NN-descent)',
    seconds: total,
    phases: '',
    graphRecall: graphRecall(reference.graph, knnIndices),
    layoutRecall: layoutRecall(reference.layout, Float32Array.from(embedding.flat())),
  };
}

function runOurs(x: Matrix, reference: Reference, pcaDims: number | null): Row {
  const options: Partial<UmapOptions> = { nNeighbors: K, distance: 'euclidean', seed: UMAP_SEED, pcaDims };
  const phaseSeconds = new Map<string, number>();
  const start = performance.now();
  let mark = start;
  let afterGraph = false;
  const steps = projectUmap(x, options);
  let next = steps.next();
  for (; next.done !== true; next = steps.next()) {
    // Time up to a report is spent in that report's phase, except that umap-js's initializeFit (the fuzzy
    // graph) runs right after the 'epochs' report with done 0: it is counted, with the first few epochs,
    // up to the next report.
    const { phase, done } = next.value;
    const name = phase === 'epochs' && afterGraph ? 'graph' : phase;
    afterGraph = phase === 'epochs' && done === 0;
    const now = performance.now();
    phaseSeconds.set(name, (phaseSeconds.get(name) ?? 0) + (now - mark) / 1000);
    mark = now;
  }
  phaseSeconds.set('epochs', (phaseSeconds.get('epochs') ?? 0) + seconds(mark));
  const total = seconds(start);
  const phases = [...phaseSeconds].map(([name, s]) => `${name} ${s.toFixed(1)}`).join(', ');
  let given: KnnResult = reference.graph;
  if (pcaDims !== null) {
    // projectUmap draws PCA's start subspace first from createRandom(seed): this is the same reduction.
    const reduced = pca(x, { nComponents: pcaDims, random: createRandom(UMAP_SEED) }).projected;
    given = knnAll(reduced, K - 1, 'euclidean');
  }
  const lists = Array.from({ length: x.rows }, (_, i) =>
    Array.from(given.indices.subarray(i * given.k, (i + 1) * given.k)),
  );
  return {
    n: x.rows,
    method: pcaDims === null ? 'projectUmap, exact kNN' : `projectUmap, PCA ${pcaDims} + exact kNN`,
    seconds: total,
    phases,
    graphRecall: graphRecall(reference.graph, lists),
    layoutRecall: layoutRecall(reference.layout, next.value.coordinates),
  };
}

function table(rows: Row[]): string {
  const lines = [
    `| n | method | seconds | phases (s) | kNN-graph recall | layout recall@${K} | time / plain | layout recall / plain |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const plain = rows.find((r) => r.n === row.n && r.phases === '');
    const ratio = (a: number, b: number | undefined): string => (b === undefined ? '—' : (a / b).toFixed(2));
    lines.push(
      `| ${row.n} | ${row.method} | ${row.seconds.toFixed(1)} | ${row.phases || '—'} | ` +
        `${row.graphRecall.toFixed(3)} | ${row.layoutRecall.toFixed(3)} | ${ratio(row.seconds, plain?.seconds)} | ` +
        `${ratio(row.layoutRecall, plain?.layoutRecall)} |`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const sizes = parseSizes(process.argv.slice(2));
  const results: Row[] = [];
  for (const n of sizes) {
    const x = clusteredData(n);
    const reference: Reference = { graph: knnAll(x, K - 1, 'euclidean'), layout: knnAll(x, K, 'euclidean') };
    console.error(`n = ${n}: plain umap-js…`);
    results.push(runPlain(x, reference));
    for (const pcaDims of [null, 50]) {
      console.error(`n = ${n}: projectUmap, PCA ${pcaDims ?? 'off'}…`);
      results.push(runOurs(x, reference, pcaDims));
    }
  }
  console.log(
    `UMAP on ${DIM}-d synthetic data (${CLUSTERS} clusters of intrinsic dimension ${INTRINSIC_DIM}, ` +
      `noise ${NOISE}, unit rows), nNeighbors ${K}, ` +
      `default epochs, Node ${process.version}\n`,
  );
  console.log(table(results));
}

main();
