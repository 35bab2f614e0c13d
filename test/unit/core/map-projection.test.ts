/** UMAP projection, exact kNN and PCA: determinism, small inputs, structure preserved, exactness. */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../src/core/matrix';
import { knnRecall, nearestNeighbors } from '../../../src/core/neighbors';
import { pca } from '../../../src/core/pca';
import { projectUmap } from '../../../src/core/projection';
import type { UmapProgress, UmapResult } from '../../../src/core/projection';
import { createRandom, randomNormal } from '../../../src/core/random';

/** `clusters` Gaussian blobs in `dim` dimensions, `perCluster` rows each, centres 10 apart. */
function blobs(
  clusters: number,
  perCluster: number,
  dim: number,
  seed: number,
): { x: Matrix; cluster: number[] } {
  const random = createRandom(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dim }, () => randomNormal(random) * 10),
  );
  const data = new Float32Array(clusters * perCluster * dim);
  const cluster: number[] = [];
  for (let c = 0; c < clusters; c++) {
    for (let r = 0; r < perCluster; r++) {
      const row = c * perCluster + r;
      cluster.push(c);
      for (let d = 0; d < dim; d++) data[row * dim + d] = centres[c][d] + randomNormal(random);
    }
  }
  return { x: { data, rows: clusters * perCluster, dim }, cluster };
}

function run(
  x: Matrix,
  options: Parameters<typeof projectUmap>[1],
): { result: UmapResult; progress: UmapProgress[] } {
  const steps = projectUmap(x, options);
  const progress: UmapProgress[] = [];
  let step = steps.next();
  while (!step.done) {
    progress.push(step.value);
    step = steps.next();
  }
  return { result: step.value, progress };
}

describe('projectUmap', () => {
  const { x, cluster } = blobs(3, 40, 50, 1);

  it('is deterministic for a seed and differs across seeds', () => {
    const a = run(x, { seed: 3, nEpochs: 100 }).result.coordinates;
    const b = run(x, { seed: 3, nEpochs: 100 }).result.coordinates;
    const c = run(x, { seed: 4, nEpochs: 100 }).result.coordinates;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('reports neighbour and epoch progress and returns finite rows × 2 coordinates', () => {
    const { result, progress } = run(x, { seed: 0, nEpochs: 60 });
    expect(result.coordinates).toHaveLength(x.rows * 2);
    expect(result.coordinates.every(Number.isFinite)).toBe(true);
    const phases = new Set(progress.map((p) => p.phase));
    expect(phases).toEqual(new Set(['neighbors', 'epochs']));
    const last = progress.filter((p) => p.phase === 'epochs').at(-1)!;
    expect(last.done).toBe(last.total);
  });

  it('keeps well-separated clusters apart in 2-D', () => {
    const { result } = run(x, { seed: 0 });
    const low: Matrix = { data: result.coordinates, rows: x.rows, dim: 2 };
    // Each point's 5 nearest 2-D neighbours are (almost all) from its own cluster.
    let same = 0;
    for (let i = 0; i < x.rows; i++) {
      for (const n of nearestNeighbors(low, i, 5, 'euclidean')) if (cluster[n.index] === cluster[i]) same++;
    }
    expect(same / (x.rows * 5)).toBeGreaterThan(0.95);
    expect(knnRecall(x, low, 10)).toBeGreaterThan(0.3);
  });

  it('clamps nNeighbors for tiny inputs and refuses fewer than 3 rows', () => {
    const four: Matrix = { data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), rows: 4, dim: 3 };
    expect(run(four, { seed: 0, nNeighbors: 15 }).result.nNeighborsUsed).toBe(3);
    const two: Matrix = { data: new Float32Array([1, 2, 3, 4]), rows: 2, dim: 2 };
    expect(() => run(two, {})).toThrow(/at least 3 pairs/);
  });

  it('names the row of a non-finite value', () => {
    const bad: Matrix = { data: Float32Array.from([1, 2, 3, NaN, 5, 6, 7, 8]), rows: 4, dim: 2 };
    expect(() => run(bad, {})).toThrow(/row 1/i);
  });

  it('can reduce with PCA first and says to how many dimensions', () => {
    const { result } = run(x, { seed: 0, nEpochs: 50, pcaDims: 10 });
    expect(result.pcaDimsUsed).toBe(10);
  });
});

describe('nearestNeighbors', () => {
  it('equals a naive cosine and euclidean search, excluding the query', () => {
    const { x } = blobs(2, 15, 6, 5);
    for (const metric of ['cosine', 'euclidean'] as const) {
      const row = (i: number) => Array.from(x.data.subarray(i * x.dim, (i + 1) * x.dim));
      const q = row(7);
      const distance = (v: number[]) => {
        if (metric === 'euclidean') return Math.hypot(...v.map((a, d) => a - q[d]));
        const dot = v.reduce((s, a, d) => s + a * q[d], 0);
        return 1 - dot / (Math.hypot(...v) * Math.hypot(...q));
      };
      const naive = Array.from({ length: x.rows }, (_, i) => i)
        .filter((i) => i !== 7)
        .sort((a, b) => distance(row(a)) - distance(row(b)) || a - b)
        .slice(0, 5);
      expect(nearestNeighbors(x, 7, 5, metric).map((n) => n.index)).toEqual(naive);
    }
  });

  it('cosine ignores scale where euclidean does not', () => {
    const x: Matrix = { data: new Float32Array([1, 0, 10, 0.5, 0.2, 0.02]), rows: 3, dim: 2 };
    expect(nearestNeighbors(x, 0, 1, 'cosine')[0].index).toBe(1);
    expect(nearestNeighbors(x, 0, 1, 'euclidean')[0].index).toBe(2);
  });
});

describe('pca', () => {
  it('finds the axes of data stretched along known directions', () => {
    const random = createRandom(2);
    const rows = 400;
    const data = new Float32Array(rows * 3);
    for (let i = 0; i < rows; i++) {
      data[i * 3] = randomNormal(random) * 10 + 5;
      data[i * 3 + 1] = randomNormal(random) * 3;
      data[i * 3 + 2] = randomNormal(random) * 0.1;
    }
    const result = pca({ data, rows, dim: 3 }, { nComponents: 2, random: createRandom(0) });
    expect(result.projected.dim).toBe(2);
    expect(Math.abs(result.components[0])).toBeGreaterThan(0.99);
    expect(Math.abs(result.components[3 + 1])).toBeGreaterThan(0.99);
    expect(result.explainedVarianceRatio[0]).toBeGreaterThan(0.9);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * 3];
    expect(result.mean[0]).toBeCloseTo(sum / rows, 4);
  });
});
