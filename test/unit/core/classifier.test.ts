import { describe, expect, it } from 'vitest';
import {
  predictAny,
  predictProbaAny,
  trainClassifier,
  type ClassifierKind,
  type ClassifierModel,
} from '../../../src/core/classifier';
import { predictProba, trainLogisticRegression } from '../../../src/core/logreg';
import type { Matrix } from '../../../src/core/matrix';
import { createRandom, randomNormal } from '../../../src/core/random';
import { applyStandardScaler, fitStandardScaler } from '../../../src/core/standardize';

/** Three Gaussian blobs on a large, shifted scale (standardisation matters for logreg and the MLP). */
function blobs(rows: number, seed: number): { x: Matrix; y: number[] } {
  const random = createRandom(seed);
  const dim = 4;
  const data = new Float32Array(rows * dim);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const label = i % 3;
    y.push(label);
    for (let j = 0; j < dim; j++)
      data[i * dim + j] = 1000 + 50 * (randomNormal(random) + (j === label ? 3 : 0));
  }
  return { x: { data, rows, dim }, y };
}

const kinds: ClassifierKind[] = ['logreg', 'mlp', 'gbdt'];

describe('trainClassifier', () => {
  const train = blobs(300, 1);
  const test = blobs(150, 2);

  for (const kind of kinds) {
    it(`${kind}: trains on raw features, predicts well, round-trips through JSON`, () => {
      const options = kind === 'mlp' ? { epochs: 30, seed: 1 } : kind === 'gbdt' ? { nRounds: 30 } : {};
      const model: ClassifierModel = trainClassifier(kind, train.x, train.y, 3, options);
      expect(model.kind).toBe(kind);
      const predictions = predictAny(model, test.x);
      const accuracy = predictions.filter((p, i) => p === test.y[i]).length / test.y.length;
      expect(accuracy).toBeGreaterThan(0.85);
      const copy = JSON.parse(JSON.stringify(model)) as ClassifierModel;
      expect(predictProbaAny(copy, test.x)).toEqual(predictProbaAny(model, test.x));
      expect('scaler' in model).toBe(kind !== 'gbdt');
    });
  }

  it('logreg through the facade equals standardise-then-train by hand', () => {
    const scaler = fitStandardScaler(train.x);
    const byHand = trainLogisticRegression(applyStandardScaler(scaler, train.x), train.y, 3);
    const facade = trainClassifier('logreg', train.x, train.y, 3);
    expect(facade.weights).toEqual(byHand.weights);
    expect(predictProbaAny(facade, test.x)).toEqual(
      predictProba(byHand, applyStandardScaler(scaler, test.x)),
    );
  });

  it('can switch standardisation off', () => {
    const model = trainClassifier('logreg', train.x, train.y, 3, { standardize: false, maxIter: 5 });
    expect(model.scaler).toBeUndefined();
  });

  it('passes the trainers’ errors through', () => {
    expect(() =>
      trainClassifier(
        'gbdt',
        train.x,
        train.y.map(() => 1),
        3,
      ),
    ).toThrow(expect.objectContaining({ code: 'input.single-class' }));
  });
});
