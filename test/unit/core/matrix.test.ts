import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors';
import {
  assertFiniteMatrix,
  assertMatrix,
  assertTrainingSet,
  createMatrix,
  findNonFinite,
  getRow,
  matrixFromRows,
  selectRows,
  toFloat64,
} from '../../../src/core/matrix';

describe('assertMatrix', () => {
  it('accepts a consistent matrix, including an empty one', () => {
    expect(() => assertMatrix({ data: new Float32Array(6), rows: 2, dim: 3 })).not.toThrow();
    expect(() => assertMatrix({ data: new Float32Array(0), rows: 0, dim: 128 })).not.toThrow();
  });

  it('rejects a length mismatch with the numbers in the message', () => {
    expect(() => assertMatrix({ data: new Float32Array(5), rows: 2, dim: 3 }, 'features')).toThrow(
      'The features holds 5 values but rows × dim = 2 × 3 = 6.',
    );
  });

  it('rejects negative or fractional shapes', () => {
    expect(() => assertMatrix({ data: new Float32Array(0), rows: -1, dim: 0 })).toThrow(InputError);
    expect(() => assertMatrix({ data: new Float32Array(3), rows: 1.5, dim: 2 })).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });
});

describe('building and viewing', () => {
  const m = matrixFromRows([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('stores rows row-major', () => {
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([m.rows, m.dim]).toEqual([2, 3]);
  });

  it('getRow is a view that writes through', () => {
    const copy = matrixFromRows([
      [1, 2],
      [3, 4],
    ]);
    const row = getRow(copy, 1);
    expect(Array.from(row)).toEqual([3, 4]);
    row[0] = 9;
    expect(copy.data[2]).toBe(9);
    expect(() => getRow(copy, 2)).toThrow(InputError);
  });

  it('selectRows copies in the given order, with repeats', () => {
    const s = selectRows(m, [1, 0, 1]);
    expect(Array.from(s.data)).toEqual([4, 5, 6, 1, 2, 3, 4, 5, 6]);
    s.data[0] = 0;
    expect(m.data[3]).toBe(4);
    expect(() => selectRows(m, [2])).toThrow(InputError);
  });

  it('rounds to float32 and rejects ragged rows', () => {
    expect(matrixFromRows([[0.1]]).data[0]).toBe(Math.fround(0.1));
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow('Row 1 has 1 values; row 0 has 2.');
    expect(matrixFromRows([], 4)).toEqual({ data: new Float32Array(0), rows: 0, dim: 4 });
  });

  it('createMatrix and toFloat64', () => {
    const z = createMatrix(2, 2);
    expect(Array.from(z.data)).toEqual([0, 0, 0, 0]);
    expect(toFloat64(m)).toEqual(Float64Array.from([1, 2, 3, 4, 5, 6]));
  });
});

describe('finite checks', () => {
  it('finds the first non-finite value', () => {
    const m = matrixFromRows([
      [1, 2],
      [3, NaN],
      [Infinity, 0],
    ]);
    expect(findNonFinite(m)).toEqual([1, 1]);
    expect(findNonFinite(matrixFromRows([[1, 2]]))).toBeNull();
  });

  it('names the row and column in the error', () => {
    const m = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, -Infinity],
    ]);
    expect(() => assertFiniteMatrix(m, 'training features')).toThrow(
      /^Row 2 of the training features .* column 1/,
    );
    expect(() => assertFiniteMatrix(m)).toThrow(expect.objectContaining({ code: 'input.not-finite' }));
  });
});

describe('assertTrainingSet', () => {
  const x = matrixFromRows([[0], [1], [2]]);

  it('accepts two classes', () => {
    expect(() => assertTrainingSet(x, [0, 1, 0], 2)).not.toThrow();
  });

  it('explains a single class, with the class name when given', () => {
    expect(() => assertTrainingSet(x, [1, 1, 1], 3, ['entailment', 'neutral', 'contradiction'])).toThrow(
      'All 3 training pairs have the label neutral; a classifier needs at least two classes.',
    );
    expect(() => assertTrainingSet(x, [2, 2, 2], 3)).toThrow(
      expect.objectContaining({ code: 'input.single-class' }),
    );
  });

  it.each([
    [[0, 1], 2, 'input.dimension'],
    [[0, 1, 3], 3, 'input.label'],
    [[0, 1, 0.5], 2, 'input.label'],
    [[0, 1, 0], 1, 'input.option'],
  ])('rejects labels %j with nClasses %d as %s', (y, nClasses, code) => {
    expect(() => assertTrainingSet(x, y, nClasses)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects empty and non-finite sets', () => {
    expect(() => assertTrainingSet(matrixFromRows([], 2), [], 2)).toThrow(
      expect.objectContaining({ code: 'input.empty' }),
    );
    expect(() => assertTrainingSet(matrixFromRows([[0], [NaN]]), [0, 1], 2)).toThrow(/^Row 1 /);
  });
});
