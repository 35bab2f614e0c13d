import { describe, expect, it } from 'vitest';
import { knnAll, type KnnResult } from '../../../src/core/neighbors';
import { createRandom, randomNormal } from '../../../src/core/random';
import {
  findAbParams,
  fuzzySimplicialSet,
  LayoutOptimizer,
  smoothKnnDistances,
  type FuzzyGraph,
} from '../../../src/core/umap';

/** A KnnResult from per-row lists of [index, distance]. */
function knnFrom(lists: [number, number][][]): KnnResult {
  const k = lists[0].length;
  return {
    rows: lists.length,
    k,
    indices: Int32Array.from(lists.flatMap((row) => row.map(([j]) => j))),
    distances: Float32Array.from(lists.flatMap((row) => row.map(([, d]) => d))),
  };
}

function membershipSum(distances: number[], rho: number, sigma: number): number {
  return distances.reduce((s, d) => s + (d - rho > 0 ? Math.exp(-(d - rho) / sigma) : 1), 0);
}

function randomRows(
  rows: number,
  dim: number,
  seed: number,
): { data: Float32Array; rows: number; dim: number } {
  const random = createRandom(seed);
  return { data: Float32Array.from({ length: rows * dim }, () => randomNormal(random)), rows, dim };
}

describe('smoothKnnDistances', () => {
  it('puts ρ at the nearest non-zero distance and meets the log₂(k + 1) target', () => {
    // Row 0: three neighbours (4 counting itself): target log₂ 4 = 2. Row 1 starts with a duplicate.
    const knn = knnFrom([
      [
        [1, 0.5],
        [2, 1],
        [3, 2],
      ],
      [
        [0, 0],
        [2, 0.25],
        [3, 3],
      ],
      [
        [1, 1],
        [0, 1],
        [3, 1],
      ],
      [
        [2, 1],
        [1, 2],
        [0, 2],
      ],
    ]);
    const { rhos, sigmas } = smoothKnnDistances(knn);
    expect(Array.from(rhos)).toEqual([0.5, 0.25, 1, 1]);
    expect(membershipSum([0.5, 1, 2], 0.5, sigmas[0])).toBeCloseTo(2, 4);
    expect(membershipSum([0, 0.25, 3], 0.25, sigmas[1])).toBeCloseTo(2, 4);
    // Row 2: every neighbour at ρ, so every membership is 1 whatever σ: the sum (3) cannot fall to 2 and σ
    // shrinks to its floor, 1e-3 × the mean neighbour distance.
    expect(sigmas[2]).toBeCloseTo(1e-3, 12);
    expect(membershipSum([1, 2, 2], 1, sigmas[3])).toBeCloseTo(2, 4);
  });

  it('gives identical points (all distances 0) ρ = 0 and full memberships', () => {
    const allZero = knnFrom([
      [
        [1, 0],
        [2, 0],
      ],
      [
        [0, 0],
        [2, 0],
      ],
      [
        [0, 0],
        [1, 0],
      ],
    ]);
    const { rhos, sigmas } = smoothKnnDistances(allZero);
    expect(Array.from(rhos)).toEqual([0, 0, 0]);
    expect(sigmas.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    const graph = fuzzySimplicialSet(allZero);
    expect(graph.weight.length).toBe(6);
    expect(Array.from(graph.weight)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('fuzzySimplicialSet', () => {
  it('is the fuzzy union P + Pᵀ − P∘Pᵀ of the directed memberships: symmetric, in (0, 1], sorted', () => {
    const x = randomRows(40, 5, 1);
    const knn = knnAll(x, 6, 'euclidean');
    const { rhos, sigmas } = smoothKnnDistances(knn);
    const n = x.rows;
    const p = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < knn.k; s++) {
        const d = knn.distances[i * knn.k + s] - rhos[i];
        p[i * n + knn.indices[i * knn.k + s]] = d <= 0 ? 1 : Math.exp(-d / sigmas[i]);
      }
    }
    const graph = fuzzySimplicialSet(knn);
    const dense = new Float64Array(n * n);
    for (let e = 0; e < graph.weight.length; e++) {
      expect(graph.head[e]).not.toBe(graph.tail[e]);
      expect(graph.weight[e]).toBeGreaterThan(0);
      expect(graph.weight[e]).toBeLessThanOrEqual(1);
      if (e > 0) {
        const order = graph.head[e] - graph.head[e - 1] || graph.tail[e] - graph.tail[e - 1];
        expect(order).toBeGreaterThan(0);
      }
      dense[graph.head[e] * n + graph.tail[e]] = graph.weight[e];
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = p[i * n + j];
        const b = p[j * n + i];
        expect(dense[i * n + j]).toBeCloseTo(a + b - a * b, 12);
        expect(dense[i * n + j]).toBe(dense[j * n + i]);
      }
    }
  });

  it('links 3 points on a line by hand: 0 — 1 —— 2 with one neighbour each', () => {
    // Nearest: 0 → 1, 1 → 0, 2 → 1; every membership is 1 (the only neighbour sits at ρ).
    const graph = fuzzySimplicialSet(knnFrom([[[1, 1]], [[0, 1]], [[1, 2]]]));
    expect(Array.from(graph.head)).toEqual([0, 1, 1, 2]);
    expect(Array.from(graph.tail)).toEqual([1, 0, 2, 1]);
    expect(Array.from(graph.weight)).toEqual([1, 1, 1, 1]);
  });
});

describe('findAbParams', () => {
  it('fits umap-learn’s a ≈ 1.577, b ≈ 0.895 for minDist 0.1, spread 1', () => {
    const { a, b } = findAbParams(1, 0.1);
    // umap-learn's (and umap-js's hard-coded) values: 1.5769434603113077, 0.8950608779109733.
    expect(a).toBeCloseTo(1.5769434603113077, 4);
    expect(b).toBeCloseTo(0.8950608779109733, 4);
  });

  it('gives a tighter curve for a larger minDist and rejects bad settings', () => {
    const loose = findAbParams(1, 0.5);
    const curve = (x: number) => 1 / (1 + loose.a * x ** (2 * loose.b));
    // The target is 1 up to minDist and e^{-(x - 0.5)} beyond: the fit follows it within a few percent.
    expect(curve(0.25)).toBeGreaterThan(0.9);
    expect(curve(1.5)).toBeCloseTo(Math.exp(-1), 1);
    expect(() => findAbParams(0, 0)).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => findAbParams(1, 2)).toThrow(expect.objectContaining({ code: 'input.option' }));
    expect(() => findAbParams(1, -0.1)).toThrow(expect.objectContaining({ code: 'input.option' }));
  });
});

/** Two 10-cliques (weight 1 inside), joined by nothing. */
function twoCliques(): FuzzyGraph {
  const head: number[] = [];
  const tail: number[] = [];
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < 20; j++) {
      if (i !== j && Math.floor(i / 10) === Math.floor(j / 10)) {
        head.push(i);
        tail.push(j);
      }
    }
  }
  return {
    rows: 20,
    head: Int32Array.from(head),
    tail: Int32Array.from(tail),
    weight: new Float64Array(head.length).fill(1),
  };
}

function randomLayout(rows: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: rows * 2 }, () => 20 * random() - 10);
}

describe('LayoutOptimizer', () => {
  const curve = findAbParams(1, 0.1);

  it('pulls each clique together and pushes the two apart', () => {
    const optimizer = new LayoutOptimizer(twoCliques(), randomLayout(20, 1), {
      nEpochs: 200,
      curve,
      random: createRandom(2),
    });
    let epochs = 0;
    while (optimizer.step()) epochs++;
    expect(epochs).toBe(200);
    expect(optimizer.epoch).toBe(200);
    expect(optimizer.step()).toBe(false);
    const y = optimizer.embedding;
    const distance = (i: number, j: number) => Math.hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
    // The widest clique is narrower than half the gap between the cliques.
    let within = 0;
    let between = Infinity;
    for (let i = 0; i < 20; i++) {
      for (let j = i + 1; j < 20; j++) {
        if (Math.floor(i / 10) === Math.floor(j / 10)) within = Math.max(within, distance(i, j));
        else between = Math.min(between, distance(i, j));
      }
    }
    expect(between).toBeGreaterThan(2 * within);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const optimizer = new LayoutOptimizer(twoCliques(), randomLayout(20, 1), {
        nEpochs: 30,
        curve,
        random: createRandom(seed),
      });
      while (optimizer.step());
      return Array.from(optimizer.embedding);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('drops edges lighter than max / nEpochs', () => {
    const graph: FuzzyGraph = {
      rows: 3,
      head: Int32Array.from([0, 1, 1, 2]),
      tail: Int32Array.from([1, 0, 2, 1]),
      weight: Float64Array.from([1, 1, 0.05, 0.05]),
    };
    const layout = randomLayout(3, 3);
    expect(new LayoutOptimizer(graph, layout, { nEpochs: 10, curve, random: createRandom(0) }).edges).toBe(2);
    expect(new LayoutOptimizer(graph, layout, { nEpochs: 20, curve, random: createRandom(0) }).edges).toBe(4);
  });

  it('rejects a bad epoch count or a layout of the wrong size', () => {
    const options = { nEpochs: 10, curve, random: createRandom(0) };
    expect(() => new LayoutOptimizer(twoCliques(), randomLayout(20, 1), { ...options, nEpochs: 0 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    expect(() => new LayoutOptimizer(twoCliques(), randomLayout(19, 1), options)).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });
});
