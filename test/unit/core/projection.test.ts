import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import { knnAll, knnRecall } from '../../../src/core/neighbors';
import {
  DEFAULT_UMAP_OPTIONS,
  projectUmap,
  SNAPSHOT_EVERY_EPOCHS,
  type UmapOptions,
  type UmapProgress,
  type UmapResult,
} from '../../../src/core/projection';
import { createRandom, randomNormal } from '../../../src/core/random';

function run(x: Matrix, options: Partial<UmapOptions> = {}): { result: UmapResult; reports: UmapProgress[] } {
  const reports: UmapProgress[] = [];
  const steps = projectUmap(x, options);
  let next = steps.next();
  for (; next.done !== true; next = steps.next()) reports.push(next.value);
  return { result: next.value, reports };
}

function randomMatrix(rows: number, dim: number, seed: number): Matrix {
  const random = createRandom(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = randomNormal(random);
  return { data, rows, dim };
}

/** `clusters` Gaussian blobs (std 1) around centres drawn with std 10 per coordinate, rows interleaved. */
function blobs(
  perCluster: number,
  clusters: number,
  dim: number,
  seed: number,
): { x: Matrix; label: number[] } {
  const random = createRandom(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dim }, () => 10 * randomNormal(random)),
  );
  const rows = perCluster * clusters;
  const data = new Float32Array(rows * dim);
  const label: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = i % clusters;
    label.push(c);
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[c][j] + randomNormal(random);
  }
  return { x: { data, rows, dim }, label };
}

/** Mean fraction of each point's k nearest 2-D neighbours that share its label. */
function layoutPurity(coordinates: Float32Array, label: number[], k: number): number {
  const knn = knnAll({ data: coordinates, rows: label.length, dim: 2 }, k, 'euclidean');
  let same = 0;
  for (let i = 0; i < label.length; i++) {
    for (let s = 0; s < k; s++) if (label[knn.indices[i * k + s]] === label[i]) same++;
  }
  return same / (label.length * k);
}

function expectFiniteLayout(result: UmapResult, rows: number): void {
  expect(result.coordinates).toBeInstanceOf(Float32Array);
  expect(result.coordinates.length).toBe(rows * 2);
  expect(result.coordinates.every((v) => Number.isFinite(v))).toBe(true);
}

describe('projectUmap', () => {
  it('is deterministic: the same seed gives bit-identical coordinates, another seed others', () => {
    const x = randomMatrix(60, 8, 1);
    const a = run(x, { seed: 7, nEpochs: 60 }).result;
    const b = run(x, { seed: 7, nEpochs: 60 }).result;
    expect(b.coordinates).toEqual(a.coordinates);
    const c = run(x, { seed: 8, nEpochs: 60 }).result;
    expect(c.coordinates).not.toEqual(a.coordinates);
    const withPca = run(x, { seed: 7, nEpochs: 60, pcaDims: 4 }).result;
    expect(run(x, { seed: 7, nEpochs: 60, pcaDims: 4 }).result.coordinates).toEqual(withPca.coordinates);
  });

  it('reports progress for every phase in order and returns rows × 2 finite coordinates', () => {
    const x = randomMatrix(120, 30, 3);
    const { result, reports } = run(x, { pcaDims: 10, nEpochs: 120 });
    const phases = reports.map((r) => r.phase).filter((p, i, all) => i === 0 || all[i - 1] !== p);
    expect(phases).toEqual(['pca', 'neighbors', 'epochs']);
    for (const phase of ['pca', 'neighbors', 'epochs'] as const) {
      const own = reports.filter((r) => r.phase === phase);
      const last = own.at(-1);
      expect(last?.done).toBe(last?.total);
      for (let i = 1; i < own.length; i++) expect(own[i].done).toBeGreaterThanOrEqual(own[i - 1].done);
    }
    const epochs = reports.filter((r) => r.phase === 'epochs');
    expect(epochs[0].done).toBe(0);
    expect(epochs.map((r) => r.done)).toContain(5);
    const snapshots = epochs.filter((r) => r.coordinates !== undefined);
    expect(snapshots.map((r) => r.done)).toEqual([SNAPSHOT_EVERY_EPOCHS, 2 * SNAPSHOT_EVERY_EPOCHS]);
    expect(snapshots[0].coordinates?.length).toBe(240);
    expect(result).toMatchObject({ nNeighborsUsed: 15, pcaDimsUsed: 10, epochs: 120 });
    expectFiniteLayout(result, 120);
  });

  it('uses umap-js’s default epoch count when nEpochs is null', () => {
    const { result, reports } = run(randomMatrix(30, 4, 4));
    expect(result.epochs).toBe(500);
    expect(reports.find((r) => r.phase === 'epochs')?.total).toBe(500);
    expect(DEFAULT_UMAP_OPTIONS.nEpochs).toBeNull();
  });

  it('clamps nNeighbors to rows − 1 for 4 rows, and runs on 3', () => {
    const four = run(randomMatrix(4, 3, 5), { nEpochs: 20 }).result;
    expect(four.nNeighborsUsed).toBe(3);
    expectFiniteLayout(four, 4);
    const three = run(randomMatrix(3, 3, 6), { nEpochs: 20 }).result;
    expect(three.nNeighborsUsed).toBe(2);
    expectFiniteLayout(three, 3);
  });

  it('skips PCA when it would not reduce, and caps it at the row count', () => {
    expect(run(randomMatrix(20, 6, 7), { pcaDims: 6, nEpochs: 10 }).result.pcaDimsUsed).toBeNull();
    const capped = run(randomMatrix(8, 30, 8), { pcaDims: 20, nEpochs: 10 });
    expect(capped.result.pcaDimsUsed).toBe(8);
    expect(capped.reports.some((r) => r.phase === 'pca')).toBe(true);
  });

  it('refuses fewer than 3 rows', () => {
    expect(() => run(randomMatrix(2, 5, 9))).toThrow(
      expect.objectContaining({
        name: 'InputError',
        code: 'input.too-few',
        message: 'UMAP needs at least 3 pairs; you have 2.',
      }),
    );
    expect(() => run(randomMatrix(0, 5, 9))).toThrow(expect.objectContaining({ code: 'input.too-few' }));
  });

  it('names the row holding NaN or Infinity', () => {
    const x = randomMatrix(10, 4, 10);
    x.data[5 * 4 + 2] = NaN;
    expect(() => run(x)).toThrow(
      expect.objectContaining({
        code: 'input.not-finite',
        message: expect.stringContaining('Row 5') as string,
      }),
    );
    x.data[5 * 4 + 2] = 0;
    x.data[7 * 4] = -Infinity;
    expect(() => run(x)).toThrow(
      expect.objectContaining({
        code: 'input.not-finite',
        message: expect.stringContaining('Row 7') as string,
      }),
    );
  });

  it('rejects a bad shape and bad options', () => {
    expect(() => run({ data: new Float32Array(7), rows: 3, dim: 2 })).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
    expect(() => run({ data: new Float32Array(0), rows: 3, dim: 0 })).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
    const x = randomMatrix(10, 3, 11);
    for (const bad of [
      { nNeighbors: 1 },
      { nNeighbors: 2.5 },
      { minDist: -0.1 },
      { minDist: 2, spread: 1 },
      { spread: 0 },
      { nEpochs: 0 },
      { distance: 'manhattan' as UmapOptions['distance'] },
      { seed: 0.5 },
      { pcaDims: 0 },
    ]) {
      expect(() => run(x, bad)).toThrow(expect.objectContaining({ code: 'input.option' }));
    }
  });

  it('can be cancelled between steps', () => {
    const steps = projectUmap(randomMatrix(50, 5, 12), { nEpochs: 100 });
    let next = steps.next();
    while (next.done !== true && next.value.phase !== 'epochs') next = steps.next();
    expect(steps.return(undefined as never).done).toBe(true);
    expect(steps.next().done).toBe(true);
  });

  it.each([
    ['cosine', null],
    ['euclidean', null],
    ['cosine', 10],
  ] as const)('keeps 3 well-separated 50-D clusters apart in 2-D (%s, PCA %s)', (distance, pcaDims) => {
    const { x, label } = blobs(40, 3, 50, 13);
    const { result } = run(x, { distance, pcaDims, seed: 1 });
    expectFiniteLayout(result, 120);
    expect(layoutPurity(result.coordinates, label, 10)).toBeGreaterThan(0.8);
  });

  it('keeps 5 Gaussian clusters of 600 points in 32-D apart with the defaults (≥ 0.9 label agreement)', () => {
    const { x, label } = blobs(120, 5, 32, 15);
    // Cluster centres ~10 apart per coordinate, std 1 inside: any working UMAP separates them fully.
    const { result } = run(x, { seed: 3 });
    expectFiniteLayout(result, 600);
    expect(layoutPurity(result.coordinates, label, 15)).toBeGreaterThan(0.9);
  });

  it('keeps input-space neighbourhoods as well as plain umap-js does, with and without PCA', () => {
    // 8 overlapping clusters (centres 3 apart per coordinate, std 1) in 40-D: local structure matters.
    const random = createRandom(16);
    const centres = Array.from({ length: 8 }, () =>
      Array.from({ length: 40 }, () => 3 * randomNormal(random)),
    );
    const rows = Array.from({ length: 500 }, (_, i) => centres[i % 8].map((c) => c + randomNormal(random)));
    const x = matrixFromRows(rows);
    const recall = (coordinates: Float32Array) =>
      knnRecall(x, { data: coordinates, rows: 500, dim: 2 }, 15, 'euclidean');
    const plain = Float32Array.from(
      new UMAP({ nComponents: 2, nNeighbors: 15, random: createRandom(4) }).fit(rows).flat(),
    );
    const ours = run(x, { distance: 'euclidean', seed: 4, pcaDims: null }).result.coordinates;
    const oursPca = run(x, { distance: 'euclidean', seed: 4, pcaDims: 10 }).result.coordinates;
    expect(recall(ours)).toBeGreaterThan(0.95 * recall(plain));
    expect(recall(oursPca)).toBeGreaterThan(0.95 * recall(plain));
  });

  it('runs umap-js 1.4.0 on the same neighbours when engine is "umap-js", deterministically', () => {
    const { x, label } = blobs(60, 3, 12, 21);
    const first = run(x, { engine: 'umap-js', seed: 5, nEpochs: 120 });
    const again = run(x, { engine: 'umap-js', seed: 5, nEpochs: 120 });
    expectFiniteLayout(first.result, 180);
    expect(Array.from(again.result.coordinates)).toEqual(Array.from(first.result.coordinates));
    expect(layoutPurity(first.result.coordinates, label, 10)).toBeGreaterThan(0.9);
    // A different layout from the default engine's (which starts from PCA, not umap-js's random start).
    const ours = run(x, { seed: 5, nEpochs: 120 }).result.coordinates;
    expect(Array.from(ours)).not.toEqual(Array.from(first.result.coordinates));
    const epochs = first.reports.filter((p) => p.phase === 'epochs');
    expect(epochs.at(-1)).toEqual({ phase: 'epochs', done: 120, total: 120 });
    expect(() => run(x, { engine: 'umap' as 'umap-js' })).toThrow(/Unknown UMAP engine "umap"/);
  });

  it('lays out identical points and duplicates without NaN', () => {
    const same = matrixFromRows(Array.from({ length: 12 }, () => [1, 2, 3]));
    expectFiniteLayout(run(same, { nEpochs: 50 }).result, 12);
    const base = randomMatrix(20, 6, 17);
    const doubled: Matrix = { data: new Float32Array([...base.data, ...base.data]), rows: 40, dim: 6 };
    const { coordinates } = run(doubled, { nEpochs: 100, distance: 'euclidean' }).result;
    expectFiniteLayout(run(doubled, { nEpochs: 100 }).result, 40);
    // A row and its duplicate end up close: nearer to each other than the median distance of the layout.
    const gap = (i: number, j: number) =>
      Math.hypot(coordinates[2 * i] - coordinates[2 * j], coordinates[2 * i + 1] - coordinates[2 * j + 1]);
    const all: number[] = [];
    for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) all.push(gap(i, j));
    all.sort((a, b) => a - b);
    for (let i = 0; i < 20; i++) expect(gap(i, i + 20)).toBeLessThan(all[all.length >> 1]);
  });

  it('lays out by cosine or by euclidean distance as asked', () => {
    // Two directions, each at two scales: cosine groups by direction, euclidean by scale.
    const random = createRandom(14);
    const rows: number[][] = [];
    const direction: number[] = [];
    const scale: number[] = [];
    for (let i = 0; i < 80; i++) {
      const d = i % 2;
      const s = Math.floor(i / 2) % 2 === 0 ? 1 : 20;
      const base = Array.from({ length: 20 }, (_, j) => (j < 10 ? d : 1 - d) + 0.05 * randomNormal(random));
      rows.push(base.map((v) => v * s));
      direction.push(d);
      scale.push(s);
    }
    const x = matrixFromRows(rows);
    const cosine = run(x, { distance: 'cosine', seed: 2 }).result.coordinates;
    const euclidean = run(x, { distance: 'euclidean', seed: 2 }).result.coordinates;
    expect(layoutPurity(cosine, direction, 10)).toBeGreaterThan(0.9);
    expect(layoutPurity(euclidean, scale, 10)).toBeGreaterThan(0.9);
    // And not the other way round: cosine mixes the scales of a direction.
    expect(layoutPurity(cosine, scale, 10)).toBeLessThan(0.8);
  });
});
