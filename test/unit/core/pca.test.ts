import { describe, expect, it } from 'vitest';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import { pca, pcaSteps } from '../../../src/core/pca';
import { createRandom, randomNormal } from '../../../src/core/random';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Rows z with independent coordinates of standard deviation `scales[j]`, then reflected by the Householder
 * matrix H = I − 2vvᵀ (orthogonal), so the principal axes are the columns of H: axis j = e_j − 2·v·v_j.
 */
function anisotropic(rows: number, scales: number[], seed: number): { x: Matrix; axes: Float64Array[] } {
  const dim = scales.length;
  const random = createRandom(seed);
  const v = new Float64Array(dim);
  for (let j = 0; j < dim; j++) v[j] = randomNormal(random);
  const norm = Math.sqrt(dot(v, v));
  for (let j = 0; j < dim; j++) v[j] /= norm;
  const data = new Float32Array(rows * dim);
  const z = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) z[j] = scales[j] * randomNormal(random);
    const vz = dot(v, z);
    for (let j = 0; j < dim; j++) data[i * dim + j] = z[j] - 2 * v[j] * vz + 3; // offset: PCA must centre
  }
  const axes = scales.map((_, c) => {
    const axis = new Float64Array(dim);
    for (let j = 0; j < dim; j++) axis[j] = (j === c ? 1 : 0) - 2 * v[j] * v[c];
    return axis;
  });
  return { x: { data, rows, dim }, axes };
}

describe('pca', () => {
  it('finds the axes, variances and projections of a hand-made cross', () => {
    // A cross in the plane spanned by u1 = (1, 1, 0)/√2 and u2 = (0, 0, 1), shifted by (1, 2, 3):
    // ±2 along u1 and ±1 along u2. Variance (divisor n − 1 = 3): 8/3 along u1, 2/3 along u2, 0 else.
    const r = Math.SQRT1_2;
    const x = matrixFromRows([
      [1 + 2 * r, 2 + 2 * r, 3],
      [1 - 2 * r, 2 - 2 * r, 3],
      [1, 2, 4],
      [1, 2, 2],
    ]);
    const result = pca(x, { nComponents: 2, random: createRandom(1) });
    expect(Array.from(result.mean)).toEqual([1, 2, 3]);
    const c = result.components;
    expect(c[0]).toBeCloseTo(r, 6);
    expect(c[1]).toBeCloseTo(r, 6);
    expect(c[2]).toBeCloseTo(0, 6);
    expect(c[3]).toBeCloseTo(0, 6);
    expect(c[4]).toBeCloseTo(0, 6);
    expect(c[5]).toBeCloseTo(1, 6);
    expect(result.explainedVariance[0]).toBeCloseTo(8 / 3, 6);
    expect(result.explainedVariance[1]).toBeCloseTo(2 / 3, 6);
    expect(result.explainedVarianceRatio[0]).toBeCloseTo(0.8, 6);
    expect(result.explainedVarianceRatio[1]).toBeCloseTo(0.2, 6);
    expect(result.projected.rows).toBe(4);
    expect(result.projected.dim).toBe(2);
    const expected = [2, 0, -2, 0, 0, 1, 0, -1];
    Array.from(result.projected.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('recovers the leading axes of rotated anisotropic Gaussian data', () => {
    const scales = [
      10, 6, 4, 2, 1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
    ];
    const { x, axes } = anisotropic(2000, scales, 2);
    const k = 4;
    const result = pca(x, { nComponents: k, random: createRandom(3) });
    const totalVar = scales.reduce((s, v) => s + v * v, 0);
    for (let c = 0; c < k; c++) {
      const component = result.components.subarray(c * x.dim, (c + 1) * x.dim);
      expect(Math.abs(dot(component, axes[c]))).toBeGreaterThan(0.99);
      expect(dot(component, component)).toBeCloseTo(1, 5);
      expect(result.explainedVarianceRatio[c]).toBeCloseTo((scales[c] * scales[c]) / totalVar, 1);
    }
    // Components are orthogonal and in decreasing order of variance.
    for (let c = 1; c < k; c++) {
      expect(result.explainedVariance[c]).toBeLessThan(result.explainedVariance[c - 1]);
      const a = result.components.subarray(c * x.dim, (c + 1) * x.dim);
      const b = result.components.subarray((c - 1) * x.dim, c * x.dim);
      expect(Math.abs(dot(a, b))).toBeLessThan(1e-5);
    }
  });

  it('is deterministic for a seed, and different seeds agree on well-separated components', () => {
    const { x } = anisotropic(300, [5, 3, 1, 0.5, 0.2, 0.1], 4);
    const a = pca(x, { nComponents: 2, random: createRandom(7) });
    const b = pca(x, { nComponents: 2, random: createRandom(7) });
    expect(b.projected.data).toEqual(a.projected.data);
    expect(b.components).toEqual(a.components);
    const c = pca(x, { nComponents: 2, random: createRandom(8) });
    Array.from(c.components).forEach((v, i) => expect(v).toBeCloseTo(a.components[i], 4));
  });

  it('keeps every direction when nComponents equals the dimension (ratios sum to 1)', () => {
    const { x } = anisotropic(50, [3, 2, 1], 5);
    const result = pca(x, { nComponents: 3, random: createRandom(1) });
    const sum = result.explainedVarianceRatio.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(1, 10);
  });

  it('reports progress over every pass, ending at total', () => {
    const { x } = anisotropic(5000, [3, 2, 1, 1, 1, 1, 1, 1], 6);
    const reports: number[] = [];
    const steps = pcaSteps(x, { nComponents: 2, random: createRandom(1), nIter: 2, oversample: 2 });
    let next = steps.next();
    for (; next.done !== true; next = steps.next()) {
      expect(next.value.total).toBe(4 * 5000);
      reports.push(next.value.done);
    }
    expect(reports.at(-1)).toBe(4 * 5000);
    for (let i = 1; i < reports.length; i++) expect(reports[i]).toBeGreaterThan(reports[i - 1]);
    expect(next.value.projected.rows).toBe(5000);
  });

  it('rejects too few rows, a bad component count and non-finite values', () => {
    const random = createRandom(1);
    expect(() => pca(matrixFromRows([[1, 2]]), { nComponents: 1, random })).toThrow(
      expect.objectContaining({ code: 'input.too-few' }),
    );
    const x = matrixFromRows([
      [1, 2],
      [3, 5],
    ]);
    expect(() => pca(x, { nComponents: 3, random })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    expect(() => pca(x, { nComponents: 0, random })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    expect(() => pca(x, { nComponents: 1, random, nIter: -1 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    const bad = matrixFromRows([
      [1, 2],
      [Infinity, 5],
    ]);
    expect(() => pca(bad, { nComponents: 1, random })).toThrow(
      expect.objectContaining({
        code: 'input.not-finite',
        message: expect.stringContaining('Row 1') as string,
      }),
    );
  });
});
