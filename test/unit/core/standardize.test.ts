import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../../src/core/matrix';
import { applyStandardScaler, fitStandardScaler } from '../../../src/core/standardize';

describe('fitStandardScaler', () => {
  it('computes mean and population std (ddof 0); constant features get scale 1', () => {
    const x = matrixFromRows([
      [1, 5],
      [3, 5],
      [5, 5],
    ]);
    const scaler = fitStandardScaler(x);
    expect(scaler.mean).toEqual([3, 5]);
    expect(scaler.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(scaler.scale[1]).toBe(1);
    expect(Array.from(applyStandardScaler(scaler, x).data)).toEqual([
      Math.fround(-2 / Math.sqrt(8 / 3)),
      0,
      0,
      0,
      Math.fround(2 / Math.sqrt(8 / 3)),
      0,
    ]);
  });

  it('matches sklearn StandardScaler on float32 input bit for bit', () => {
    // Reference: StandardScaler().fit(X).transform(X) with X as float32 (scikit-learn, numpy).
    const x = matrixFromRows([
      [0.1, 5.0, 1e-3],
      [0.7, 5.0, 2e-3],
      [0.35, 5.0, -4e-3],
      [1.9, 5.0, 7e-3],
      [-0.3, 5.0, 0.0],
    ]);
    const scaler = fitStandardScaler(x);
    expect(scaler.mean).toEqual([0.5499999895691872, 5.0, 0.0012000000337138773]);
    expect(scaler.scale).toEqual([0.7496665863381354, 1.0, 0.0035440091595610257]);
    expect(Array.from(applyStandardScaler(scaler, x).data)).toEqual([
      -0.6002668142318726, 0.0, -0.05643325671553612, 0.2000889629125595, 0.0, 0.22573305666446686,
      -0.26678526401519775, 0.0, -1.4672648906707764, 1.8008005619049072, 0.0, 1.6365647315979004,
      -1.1338374614715576, 0.0, -0.3385995924472809,
    ]);
  });

  it('treats a feature constant up to rounding as constant', () => {
    const v = 0.1 + 0.2;
    const scaler = fitStandardScaler(matrixFromRows([[v], [v], [v]]));
    expect(scaler.scale).toEqual([1]);
  });

  it('applies to new rows without changing the input, and checks dims', () => {
    const train = matrixFromRows([[0], [2]]);
    const scaler = fitStandardScaler(train);
    const test = matrixFromRows([[4]]);
    expect(Array.from(applyStandardScaler(scaler, test).data)).toEqual([3]);
    expect(Array.from(test.data)).toEqual([4]);
    expect(() => applyStandardScaler(scaler, matrixFromRows([[1, 2]]))).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });

  it('rejects empty and non-finite input', () => {
    expect(() => fitStandardScaler(matrixFromRows([], 3))).toThrow(
      expect.objectContaining({ code: 'input.empty' }),
    );
    expect(() => fitStandardScaler(matrixFromRows([[1], [NaN]]))).toThrow(/^Row 1 /);
  });
});
