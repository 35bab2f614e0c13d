import { describe, expect, it } from 'vitest';
import { predictProbaGbdt, trainGbdt, type GbdtModel } from '../../../src/core/gbdt';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import { createRandom } from '../../../src/core/random';

/** Three classes: inside a circle, outside on the right, outside on the left. */
function ringData(rows: number, seed: number): { x: Matrix; y: number[] } {
  const random = createRandom(seed);
  const values: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    values.push([a, b, random()]); // the third feature is noise
    y.push(a * a + b * b < 0.5 ? 0 : a > 0 ? 1 : 2);
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

describe('trainGbdt', () => {
  it('grows the hand-computed stump on a 1-D binary problem', () => {
    // 20 × class 0 (x = 0…19), 20 × class 1 (x = 20…39). Start: log-odds 0, p = 0.5, g = p − y = ±0.5,
    // h = 0.25; the best cut is halfway, 19.5; leaf values −G/H = −(20·0.5)/(20·0.25) = −2 and +2.
    const x = matrixFromRows(Array.from({ length: 40 }, (_, i) => [i]));
    const y = Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    const model = trainGbdt(x, y, 2, { nRounds: 1, learningRate: 1, numLeaves: 2, minDataInLeaf: 1 });
    expect(model.initScore).toEqual([0]);
    expect(model.trees).toEqual([
      { feature: [0], threshold: [19.5], left: [-1], right: [-2], leafValue: [-2, 2] },
    ]);
    expect(model.lossHistory[0]).toBeCloseTo(Math.log1p(Math.exp(-2)), 12);
    const proba = predictProbaGbdt(model, matrixFromRows([[3], [25]]));
    expect(proba[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    expect(proba[3]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
  });

  it('fits a nonlinear 3-class problem far better than chance, and the loss decreases', () => {
    const train = ringData(600, 1);
    const test = ringData(300, 2);
    const model = trainGbdt(train.x, train.y, 3, { nRounds: 60 });
    expect(model.trees).toHaveLength(60 * 3);
    const accuracy =
      argmaxRows(predictProbaGbdt(model, test.x), 3).filter((p, i) => p === test.y[i]).length / 300;
    expect(accuracy).toBeGreaterThan(0.85);
    const losses = model.lossHistory;
    expect(losses.every((v, i) => i === 0 || v <= losses[i - 1])).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 3);
  });

  it('respects numLeaves, minDataInLeaf and maxDepth', () => {
    const { x, y } = ringData(400, 3);
    const model = trainGbdt(x, y, 3, { nRounds: 3, numLeaves: 5, minDataInLeaf: 30, maxDepth: 2 });
    for (const tree of model.trees) {
      expect(tree.leafValue.length).toBeLessThanOrEqual(4); // depth 2 allows at most 4 leaves
      expect(tree.feature).toHaveLength(tree.leafValue.length - 1);
    }
  });

  it('is deterministic and survives JSON', () => {
    const { x, y } = ringData(300, 4);
    const a = trainGbdt(x, y, 3, { nRounds: 10 });
    expect(trainGbdt(x, y, 3, { nRounds: 10 })).toEqual(a);
    const copy = JSON.parse(JSON.stringify(a)) as GbdtModel;
    expect(predictProbaGbdt(copy, x)).toEqual(predictProbaGbdt(a, x));
  });

  it('bins at most maxBins values per feature and still splits well', () => {
    const { x, y } = ringData(500, 5);
    const model = trainGbdt(x, y, 3, { nRounds: 20, maxBins: 8 });
    const thresholds = new Set(model.trees.flatMap((t) => t.threshold.map((v, k) => `${t.feature[k]}:${v}`)));
    for (const f of [0, 1, 2])
      expect([...thresholds].filter((s) => s.startsWith(`${f}:`)).length).toBeLessThanOrEqual(7);
    const accuracy = argmaxRows(predictProbaGbdt(model, x), 3).filter((p, i) => p === y[i]).length / 500;
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('stops when onRound returns false', () => {
    const { x, y } = ringData(200, 6);
    const rounds: number[] = [];
    const model = trainGbdt(x, y, 3, { nRounds: 50, onRound: (round) => (rounds.push(round), round < 2) });
    expect(rounds).toEqual([1, 2]);
    expect([model.rounds, model.stopped, model.trees.length]).toEqual([2, true, 6]);
  });

  it('rejects a single class, non-finite values and bad options', () => {
    const x = matrixFromRows([[0], [1], [2]]);
    expect(() => trainGbdt(x, [2, 2, 2], 3)).toThrow(expect.objectContaining({ code: 'input.single-class' }));
    expect(() => trainGbdt(matrixFromRows([[0], [NaN]]), [0, 1], 2)).toThrow(/^Row 1 /);
    expect(() => trainGbdt(x, [0, 1, 0], 2, { maxBins: 300 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    const model = trainGbdt(x, [0, 1, 0], 2, { nRounds: 1 });
    expect(() => predictProbaGbdt(model, matrixFromRows([[1, 2]]))).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });
});
