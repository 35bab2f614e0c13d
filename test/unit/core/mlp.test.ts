import { describe, expect, it } from 'vitest';
import { predict, trainLogisticRegression } from '../../../src/core/logreg';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import { predictProbaMlp, trainMlp, type MlpModel } from '../../../src/core/mlp';
import { createRandom, randomNormal } from '../../../src/core/random';

/** XOR: class 1 when the two coordinates have the same sign; no line separates the classes. */
function xorData(rows: number, seed: number): { x: Matrix; y: number[] } {
  const random = createRandom(seed);
  const values: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    values.push([a, b]);
    y.push(a * b > 0 ? 1 : 0);
  }
  return { x: matrixFromRows(values), y };
}

function argmaxRows(proba: Float32Array, nClasses: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < proba.length / nClasses; i++) {
    const row = Array.from(proba.subarray(i * nClasses, (i + 1) * nClasses));
    out.push(row.indexOf(Math.max(...row)));
  }
  return out;
}

const accuracyOf = (pred: number[], y: number[]): number =>
  pred.filter((p, i) => p === y[i]).length / y.length;

describe('trainMlp', () => {
  it('learns XOR, which logistic regression cannot', () => {
    const train = xorData(400, 1);
    const test = xorData(200, 2);
    const mlp = trainMlp(train.x, train.y, 2, {
      hidden: 16,
      learningRate: 0.01,
      epochs: 150,
      batchSize: 32,
      seed: 3,
    });
    const mlpAccuracy = accuracyOf(argmaxRows(predictProbaMlp(mlp, test.x), 2), test.y);
    const logreg = trainLogisticRegression(train.x, train.y, 2);
    const logregAccuracy = accuracyOf(predict(logreg, test.x), test.y);
    expect(mlpAccuracy).toBeGreaterThan(0.9);
    expect(logregAccuracy).toBeLessThan(0.7);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { x, y } = xorData(120, 4);
    const options = { hidden: 8, epochs: 5, seed: 5 };
    const a = trainMlp(x, y, 2, options);
    expect(trainMlp(x, y, 2, options)).toEqual(a);
    expect(trainMlp(x, y, 2, { ...options, seed: 6 }).w1).not.toEqual(a.w1);
  });

  it('stops early on noise and restores the best epoch', () => {
    // Labels are independent of the features: the validation loss soon stops improving.
    const random = createRandom(7);
    const values = Array.from({ length: 300 }, () => Array.from({ length: 10 }, () => randomNormal(random)));
    const y = values.map((_, i) => i % 3);
    const x = matrixFromRows(values);
    const model = trainMlp(x, y, 3, { hidden: 64, learningRate: 0.01, epochs: 300, patience: 5, seed: 8 });
    expect(model.stoppedEarly).toBe(true);
    expect(model.epochs).toBeLessThan(300);
    expect(model.epochs - model.bestEpoch).toBe(5);
    const losses = model.lossHistory.map((h) => h.valLoss ?? Infinity);
    expect(Math.min(...losses)).toBe(losses[model.bestEpoch - 1]);
    expect(model.lossHistory).toHaveLength(model.epochs);
  });

  it('reports every epoch and stops when onEpoch returns false', () => {
    const { x, y } = xorData(100, 9);
    const calls: [number, number, number | null][] = [];
    const model = trainMlp(x, y, 2, {
      hidden: 4,
      epochs: 50,
      onEpoch: (epoch, trainLoss, valLoss) => {
        calls.push([epoch, trainLoss, valLoss]);
        return epoch < 4;
      },
    });
    expect(calls.map((c) => c[0])).toEqual([1, 2, 3, 4]);
    expect(calls.every(([, t, v]) => Number.isFinite(t) && v !== null && Number.isFinite(v))).toBe(true);
    expect([model.epochs, model.stopped]).toEqual([4, true]);
  });

  it('trains on all rows without a validation split', () => {
    const { x, y } = xorData(60, 10);
    const model = trainMlp(x, y, 2, { hidden: 4, epochs: 3, validationFraction: 0 });
    expect(model.lossHistory.map((h) => h.valLoss)).toEqual([null, null, null]);
    expect([model.bestEpoch, model.stoppedEarly]).toEqual([3, false]);
  });

  it('outputs probabilities and round-trips through JSON', () => {
    const { x, y } = xorData(80, 11);
    const model = trainMlp(x, y, 2, { hidden: 4, epochs: 3, standardize: true });
    const proba = predictProbaMlp(model, x);
    for (let i = 0; i < x.rows; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 6);
    const copy = JSON.parse(JSON.stringify(model)) as MlpModel;
    expect(predictProbaMlp(copy, x)).toEqual(proba);
  });

  it('rejects a single class and bad options', () => {
    const x = matrixFromRows([[0], [1]]);
    expect(() => trainMlp(x, [0, 0], 2)).toThrow(expect.objectContaining({ code: 'input.single-class' }));
    expect(() => trainMlp(x, [0, 1], 2, { hidden: 0 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    expect(() => trainMlp(x, [0, 1], 2, { validationFraction: 1 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });
});
