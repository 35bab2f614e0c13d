import { describe, expect, it } from 'vitest';
import { combineSentenceVectors, normalizeInPlace, poolRow } from '../../../src/core/pooling';

// 2 rows × 3 tokens × 2 dims; row 0 has 2 real tokens, row 1 has 3.
const states = {
  data: new Float32Array([1, 2, 3, -4, 99, 99, 0, 1, 2, 3, 4, -5]),
  rows: 2,
  length: 3,
  dim: 2,
};
const mask = [1, 1, 0, 1, 1, 1];

function pool(row: number, pooling: Parameters<typeof poolRow>[3]): number[] {
  const out = new Float32Array(pooling === 'mean-max' ? 4 : 2);
  poolRow(states, mask, row, pooling, out, 0);
  return Array.from(out);
}

describe('poolRow', () => {
  it('mean, max, mean-max, first and last ignore padding', () => {
    expect(pool(0, 'mean')).toEqual([2, -1]);
    expect(pool(0, 'max')).toEqual([3, 2]);
    expect(pool(0, 'mean-max')).toEqual([2, -1, 3, 2]);
    expect(pool(0, 'first')).toEqual([1, 2]);
    expect(pool(0, 'last')).toEqual([3, -4]);
    expect(pool(1, 'mean')).toEqual([2, -1 / 3].map((v) => Math.fround(v)));
    expect(pool(1, 'last')).toEqual([4, -5]);
  });

  it('a fully masked row pools to zeros, not NaN', () => {
    const out = new Float32Array(2).fill(7);
    poolRow(states, [0, 0, 0, 1, 1, 1], 0, 'mean', out, 0);
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('rejects hidden states of the wrong size', () => {
    expect(() => poolRow({ ...states, rows: 3 }, mask, 0, 'mean', new Float32Array(2), 0)).toThrow(
      RangeError,
    );
  });
});

describe('normalizeInPlace and combineSentenceVectors', () => {
  it('normalises to unit length and leaves zero vectors alone', () => {
    const v = new Float32Array([3, 4, 0, 0]);
    normalizeInPlace(v, 0, 2);
    normalizeInPlace(v, 2, 2);
    expect(Array.from(v)).toEqual([0.6, 0.8, 0, 0].map((x) => Math.fround(x)));
  });

  it('writes the enabled parts of [u, v, |u−v|, u·v] in order', () => {
    const u = new Float32Array([1, -2]);
    const v = new Float32Array([3, 5]);
    const out = new Float32Array(8);
    combineSentenceVectors(u, v, { u: true, v: true, absDiff: true, product: true }, out, 0);
    expect(Array.from(out)).toEqual([1, -2, 3, 5, 2, 7, 3, -10]);
    const some = new Float32Array(4);
    combineSentenceVectors(u, v, { u: false, v: true, absDiff: false, product: true }, some, 0);
    expect(Array.from(some)).toEqual([3, 5, 3, -10]);
  });
});
