import { describe, expect, it } from 'vitest';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import {
  knnAll,
  knnAll as knnAllWith,
  knnAllSteps,
  knnOverlap,
  knnRecall,
  knnSimdAvailable,
  nearestNeighbors,
  refineNeighborsSteps,
  type KnnResult,
  type Metric,
} from '../../../src/core/neighbors';
import { createRandom, randomNormal } from '../../../src/core/random';

function randomMatrix(rows: number, dim: number, seed: number): Matrix {
  const random = createRandom(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = randomNormal(random);
  return { data, rows, dim };
}

/** Textbook distances, computed directly (not through dot products and norms). */
function naiveDistance(x: Matrix, i: number, j: number, metric: Metric): number {
  let dot = 0;
  let ni = 0;
  let nj = 0;
  let sq = 0;
  for (let t = 0; t < x.dim; t++) {
    const a = x.data[i * x.dim + t];
    const b = x.data[j * x.dim + t];
    dot += a * b;
    ni += a * a;
    nj += b * b;
    sq += (a - b) ** 2;
  }
  return metric === 'cosine' ? 1 - dot / Math.sqrt(ni * nj) : Math.sqrt(sq);
}

function naiveKnn(x: Matrix, i: number, k: number, metric: Metric): { index: number; distance: number }[] {
  const all = [];
  for (let j = 0; j < x.rows; j++)
    if (j !== i) all.push({ index: j, distance: naiveDistance(x, i, j, metric) });
  all.sort((u, v) => u.distance - v.distance || u.index - v.index);
  return all.slice(0, k);
}

describe.each([true, false])('knnAll (WebAssembly SIMD: %s)', (simd) => {
  const knnAll = (x: Matrix, k: number, metric: Metric, onChunk?: (done: number, total: number) => void) =>
    knnAllWith(x, k, metric, onChunk, { simd });

  it.each<Metric>(['euclidean', 'cosine'])('matches a naive search (%s)', (metric) => {
    const x = randomMatrix(37, 7, 1);
    const k = 5;
    const knn = knnAll(x, k, metric);
    expect(knn.rows).toBe(37);
    expect(knn.k).toBe(k);
    for (let i = 0; i < x.rows; i++) {
      const expected = naiveKnn(x, i, k, metric);
      expect(Array.from(knn.indices.subarray(i * k, (i + 1) * k))).toEqual(expected.map((n) => n.index));
      expected.forEach((n, s) => expect(knn.distances[i * k + s]).toBeCloseTo(n.distance, 5));
    }
  });

  it('matches a naive search across several row blocks and cache tiles, with an odd row count', () => {
    // JavaScript: 1201 × 256 in blocks of 814 rows (the last one odd-sized), column tiles of 256 rows.
    // SIMD: 3001 × 512 in chunks of 656 rows (the last one partly padding), tiles of 64 rows.
    const [rows, dim, boundary] = simd ? [3001, 512, 656] : [1201, 256, 814];
    const x = randomMatrix(rows, dim, 2);
    const k = 10;
    const reports: { done: number; total: number }[] = [];
    const knn = knnAll(x, k, 'euclidean', (done, total) => reports.push({ done, total }));
    expect(reports.length).toBeGreaterThan(1);
    for (let r = 1; r < reports.length; r++) expect(reports[r].done).toBeGreaterThan(reports[r - 1].done);
    const pairs = (rows * (rows - 1)) / 2;
    expect(reports.at(-1)).toEqual({ done: pairs, total: pairs });
    for (const i of [0, 1, 2, boundary - 1, boundary, boundary + 1, 1000, rows - 2, rows - 1]) {
      const expected = naiveKnn(x, i, k, 'euclidean');
      expect(Array.from(knn.indices.subarray(i * k, (i + 1) * k))).toEqual(expected.map((n) => n.index));
    }
  });

  it('is a generator: iterating it yields progress, stopping it cancels', () => {
    const x = randomMatrix(1201, 256, 3);
    const steps = knnAllSteps(x, 3, 'cosine', { simd });
    const first = steps.next();
    expect(first.done).toBe(false);
    expect(steps.return(undefined as never).done).toBe(true);
  });

  it('lists duplicates at distance 0, breaks ties by index and never lists a row as its own neighbour', () => {
    const x = matrixFromRows([
      [1, 1],
      [5, 5],
      [1, 1],
      [1, 1],
      [0, 3],
    ]);
    const knn = knnAll(x, 2, 'euclidean');
    expect(Array.from(knn.indices.subarray(0, 2))).toEqual([2, 3]);
    expect(Array.from(knn.distances.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(knn.indices.subarray(4, 6))).toEqual([0, 3]);
    expect(Array.from(knn.indices.subarray(6, 8))).toEqual([0, 2]);
    // Under cosine, [5, 5] points the same way as [1, 1]: four rows at distance 0 from each other.
    const cos = knnAll(x, 3, 'cosine');
    expect(Array.from(cos.indices.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(cos.indices.subarray(3, 6))).toEqual([0, 2, 3]);
    expect(Array.from(cos.distances.subarray(3, 6))).toEqual([0, 0, 0]);
  });

  it('handles all-zero rows under cosine like umap-js: 0 to each other, 1 to anything else', () => {
    const x = matrixFromRows([
      [0, 0],
      [0, 0],
      [1, 0],
    ]);
    const knn = knnAll(x, 2, 'cosine');
    expect(Array.from(knn.indices.subarray(0, 2))).toEqual([1, 2]);
    expect(Array.from(knn.distances.subarray(0, 2))).toEqual([0, 1]);
  });

  it('rejects a bad k, an unknown metric and non-finite values', () => {
    const x = randomMatrix(4, 2, 4);
    expect(() => knnAll(x, 4, 'cosine')).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => knnAll(x, 0, 'cosine')).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => knnAll(x, 2, 'manhattan' as Metric)).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    const bad = matrixFromRows([
      [0, 1],
      [2, NaN],
      [3, 4],
    ]);
    expect(() => knnAll(bad, 1, 'euclidean')).toThrow(
      expect.objectContaining({
        code: 'input.not-finite',
        message: expect.stringContaining('Row 1') as string,
      }),
    );
  });
});

describe('nearestNeighbors', () => {
  it('agrees with knnAll exactly and excludes the query', () => {
    const x = randomMatrix(50, 6, 5);
    const knn = knnAll(x, 8, 'cosine');
    for (const q of [0, 17, 49]) {
      const nn = nearestNeighbors(x, q, 8, 'cosine');
      expect(nn.map((n) => n.index)).toEqual(Array.from(knn.indices.subarray(q * 8, (q + 1) * 8)));
      expect(nn.map((n) => Math.fround(n.distance))).toEqual(
        Array.from(knn.distances.subarray(q * 8, (q + 1) * 8)),
      );
      expect(nn.some((n) => n.index === q)).toBe(false);
    }
  });

  it('orders by cosine and by euclidean distance differently where they should', () => {
    // Row 1 points the same way as the query but is far; row 2 is close but at an angle.
    const x = matrixFromRows([
      [1, 0],
      [10, 0],
      [0.9, 0.5],
    ]);
    expect(nearestNeighbors(x, 0, 2, 'cosine').map((n) => n.index)).toEqual([1, 2]);
    expect(nearestNeighbors(x, 0, 2, 'euclidean').map((n) => n.index)).toEqual([2, 1]);
    expect(nearestNeighbors(x, 0, 1, 'cosine')[0].distance).toBe(0);
    expect(nearestNeighbors(x, 0, 1, 'euclidean')[0].distance).toBeCloseTo(Math.hypot(0.1, 0.5), 6);
  });

  it('returns every other row when k exceeds them, and rejects a bad query', () => {
    const x = randomMatrix(3, 2, 6);
    expect(
      nearestNeighbors(x, 1, 10, 'euclidean')
        .map((n) => n.index)
        .sort(),
    ).toEqual([0, 2]);
    expect(nearestNeighbors(x, 1, 0, 'euclidean')).toEqual([]);
    expect(() => nearestNeighbors(x, 3, 1, 'euclidean')).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
    expect(() => nearestNeighbors(x, 0, -1, 'euclidean')).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });
});

describe('knnRecall / knnOverlap', () => {
  it('is 1 for a layout that keeps every neighbourhood, and lower for one that does not', () => {
    // Points on a line in 3-D; the layout keeps the order (recall 1) or reverses pairs (lower).
    const high = matrixFromRows([0, 1, 2, 3, 4, 5, 6, 7].map((v) => [v, 2 * v, 0]));
    const same = matrixFromRows([0, 1, 2, 3, 4, 5, 6, 7].map((v) => [v, 0]));
    expect(knnRecall(high, same, 2)).toBe(1);
    const scrambled = matrixFromRows([0, 4, 1, 5, 2, 6, 3, 7].map((v) => [v, 0]));
    expect(knnRecall(high, scrambled, 2)).toBeLessThan(0.5);
  });

  it('counts shared neighbours per row', () => {
    const a = { indices: Int32Array.from([1, 2, 0, 2, 0, 1]), distances: new Float32Array(6), rows: 3, k: 2 };
    const b = { indices: Int32Array.from([2, 1, 2, 0, 1, 0]), distances: new Float32Array(6), rows: 3, k: 2 };
    expect(knnOverlap(a, b)).toBe(1);
    const c = { ...b, indices: Int32Array.from([2, 2, 2, 2, 0, 0]) };
    expect(knnOverlap(a, c)).toBeCloseTo((0.5 + 0.5 + 0.5) / 3, 12);
    expect(() => knnOverlap(a, { ...b, k: 1, indices: new Int32Array(3) })).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });

  it('rejects layouts with a different row count', () => {
    expect(() => knnRecall(randomMatrix(5, 3, 7), randomMatrix(4, 2, 8), 2)).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });
});

function refine(x: Matrix, candidates: KnnResult, k: number, metric: Metric): KnnResult {
  const steps = refineNeighborsSteps(x, candidates, k, metric);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

describe('refineNeighborsSteps', () => {
  it.each<Metric>(['euclidean', 'cosine'])(
    'equals the exact search when the candidates hold the true neighbours (%s)',
    (metric) => {
      const x = randomMatrix(300, 24, 9);
      const exact = knnAll(x, 7, metric);
      const refined = refine(x, knnAll(x, 21, metric), 7, metric);
      expect(refined.k).toBe(7);
      expect(Array.from(refined.indices)).toEqual(Array.from(exact.indices));
      expect(Array.from(refined.distances)).toEqual(Array.from(exact.distances));
    },
  );

  it('keeps the nearest candidates by the exact distance, whatever order they come in', () => {
    // Row 0 at the origin; candidates listed far to near, and row 1 (the true nearest) left out.
    const x = matrixFromRows([
      [0, 0],
      [0.5, 0],
      [3, 0],
      [1, 0],
      [2, 0],
    ]);
    const candidates: KnnResult = {
      indices: Int32Array.from([2, 4, 3, 0, 2, 3, 0, 1, 4, 0, 1, 2, 0, 1, 2]),
      distances: new Float32Array(15),
      rows: 5,
      k: 3,
    };
    const refined = refine(x, candidates, 2, 'euclidean');
    expect(Array.from(refined.indices.subarray(0, 2))).toEqual([3, 4]);
    expect(Array.from(refined.distances.subarray(0, 2))).toEqual([1, 2]);
  });

  it('reports progress up to rows × candidates and can be stopped', () => {
    // 1 500 rows × 30 candidates × 1 200 dims = 5.4e7 multiply-adds: just over one report's worth.
    const x = randomMatrix(1500, 1200, 10);
    const candidates = knnAll(randomMatrix(1500, 4, 11), 30, 'euclidean');
    const reports: number[] = [];
    const steps = refineNeighborsSteps(x, candidates, 10, 'cosine');
    let next = steps.next();
    for (; next.done !== true; next = steps.next()) {
      expect(next.value.total).toBe(1500 * 30);
      reports.push(next.value.done);
    }
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.at(-1)).toBe(1500 * 30);
    for (let r = 1; r < reports.length; r++) expect(reports[r]).toBeGreaterThan(reports[r - 1]);
    const stopped = refineNeighborsSteps(x, candidates, 10, 'cosine');
    expect(stopped.next().done).toBe(false);
    expect(stopped.return(undefined as never).done).toBe(true);
  });

  it('rejects candidates of another row count and a bad k', () => {
    const x = randomMatrix(10, 3, 12);
    const candidates = knnAll(x, 4, 'euclidean');
    expect(() => refine(randomMatrix(9, 3, 12), candidates, 2, 'euclidean')).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
    expect(() => refine(x, candidates, 5, 'euclidean')).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    expect(() => refine(x, candidates, 0, 'euclidean')).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });
});

describe('knnAll with WebAssembly SIMD', () => {
  it('is available in Node', () => {
    expect(knnSimdAvailable()).toBe(true);
  });

  it.each<Metric>(['euclidean', 'cosine'])(
    'gives the same neighbours and distances as the float64 search, far from the origin too (%s)',
    (metric) => {
      // Rows 1000 away from the origin, 1 apart: float32 would lose the distances without centring.
      const x = randomMatrix(500, 37, 13);
      const shifted: Matrix = { ...x, data: x.data.map((v, e) => (e % 37 === 0 ? 1000 : 0) + v) };
      for (const m of [x, shifted]) {
        const fast = knnAllWith(m, 12, metric, undefined, { simd: true });
        const slow = knnAllWith(m, 12, metric, undefined, { simd: false });
        expect(Array.from(fast.indices)).toEqual(Array.from(slow.indices));
        expect(Array.from(fast.distances)).toEqual(Array.from(slow.distances));
      }
    },
  );
});
