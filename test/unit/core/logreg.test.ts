import { describe, expect, it } from 'vitest';
import {
  decisionFunction,
  logisticObjective,
  minimizeLbfgs,
  predict,
  predictProba,
  trainLogisticRegression,
  type Objective,
} from '../../../src/core/logreg';
import { matrixFromRows, type Matrix } from '../../../src/core/matrix';
import { createRandom, randomNormal } from '../../../src/core/random';

/** Central finite differences of f at w. */
function numericalGradient(f: Objective, w: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(w.length);
  const scratch = new Float64Array(w.length);
  for (let q = 0; q < w.length; q++) {
    const wp = Float64Array.from(w);
    const wm = Float64Array.from(w);
    wp[q] += h;
    wm[q] -= h;
    g[q] = (f(wp, scratch) - f(wm, scratch)) / (2 * h);
  }
  return g;
}

function randomProblem(
  rows: number,
  dim: number,
  nClasses: number,
  seed: number,
): { x: Matrix; y: number[] } {
  const random = createRandom(seed);
  const data = new Float32Array(rows * dim);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const label = i % nClasses;
    y.push(label);
    for (let j = 0; j < dim; j++) data[i * dim + j] = randomNormal(random) + (j % nClasses === label ? 1 : 0);
  }
  return { x: { data, rows, dim }, y };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// A hand-made 3-class problem; reference: scipy.optimize.minimize(method='L-BFGS-B', jac=True,
// options={'maxiter': 1000, 'gtol': 1e-4}) on sklearn 1.2.1's objective (sum of losses + ‖W‖²/(2C), C = 1),
// i.e. what LogisticRegression(C=1.0, max_iter=1000).fit(X, y) runs.
const X15 = [
  [0.0, 1.0],
  [1.0, 0.5],
  [2.0, 2.5],
  [0.5, -1.0],
  [-1.0, 0.0],
  [3.0, 1.0],
  [2.5, -0.5],
  [-0.5, 2.0],
  [1.5, 1.5],
  [-2.0, -1.0],
  [0.0, -2.0],
  [3.5, 2.0],
  [-1.5, 1.0],
  [1.0, -1.5],
  [2.0, 0.0],
];
const Y15 = [0, 0, 1, 2, 0, 1, 2, 0, 1, 0, 2, 1, 0, 2, 1];

describe('logistic objective', () => {
  it('multinomial gradient matches finite differences', () => {
    const { x, y } = randomProblem(40, 5, 3, 1);
    const f = logisticObjective(x, y, 3, 0.7);
    const random = createRandom(2);
    const w = Float64Array.from({ length: 3 * 6 }, () => randomNormal(random) * 0.5);
    const g = new Float64Array(w.length);
    f(w, g);
    const numeric = numericalGradient(f, w);
    expect(maxAbsDiff(g, numeric)).toBeLessThan(
      1e-5 * Math.max(1, maxAbsDiff(g, new Float64Array(g.length))),
    );
  });

  it('multinomial gradient matches finite differences for 4 classes (generic path)', () => {
    const { x, y } = randomProblem(30, 3, 4, 3);
    const f = logisticObjective(x, y, 4);
    const w = Float64Array.from({ length: 4 * 4 }, (_, q) => Math.sin(q));
    const g = new Float64Array(w.length);
    f(w, g);
    expect(maxAbsDiff(g, numericalGradient(f, w))).toBeLessThan(1e-5);
  });

  it('binary gradient matches finite differences', () => {
    const { x, y } = randomProblem(40, 4, 2, 4);
    const f = logisticObjective(x, y, 2, 2);
    const w = Float64Array.from({ length: 5 }, (_, q) => 0.3 * (q - 2));
    const g = new Float64Array(w.length);
    f(w, g);
    expect(maxAbsDiff(g, numericalGradient(f, w))).toBeLessThan(1e-5);
  });

  it('equals a hand-computed value at zero: n log K', () => {
    const { x, y } = randomProblem(10, 2, 3, 5);
    expect(logisticObjective(x, y, 3)(new Float64Array(9), new Float64Array(9))).toBeCloseTo(
      10 * Math.log(3),
      12,
    );
    expect(
      logisticObjective(x, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2)(new Float64Array(3), new Float64Array(3)),
    ).toBeCloseTo(10 * Math.log(2), 12);
  });
});

describe('minimizeLbfgs', () => {
  it('minimises the Rosenbrock function', () => {
    const rosenbrock: Objective = (w, g) => {
      const [a, b] = [w[0], w[1]];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { gtol: 1e-8, ftol: 0 });
    expect(result.stopReason).toBe('gradient');
    // scipy.optimize.minimize(method='L-BFGS-B', options={'gtol': 1e-8, 'ftol': 0}) from (-1.2, 1):
    // nit 38, nfev 46, x[0] = 0.9999999999864378 — the same path, step for step.
    expect([result.nIter, result.nEval]).toEqual([38, 46]);
    expect(Math.abs(result.x[0] - 0.9999999999864378)).toBeLessThan(1e-12);
    expect(result.x[1]).toBeCloseTo(1, 9);
    expect(result.fHistory).toHaveLength(result.nIter + 1);
  });

  it('follows scipy step for step on the 6-D extended Rosenbrock and a pseudo-Huber fit', () => {
    // scipy L-BFGS-B, gtol 1e-8, ftol 0: extended Rosenbrock from (−1.2, 1, −1.2, 1, −1.2, 1): nit 56, nfev 67,
    // x[0] = 1.0000000000110485; Σ √(1 + (xᵢ − (i+1)²)²) from 0: nit 18, nfev 24, x[0] = 0.9999999999476554.
    const extended: Objective = (w, g) => {
      g.fill(0);
      let f = 0;
      for (let i = 0; i + 1 < w.length; i++) {
        const [a, b] = [w[i], w[i + 1]];
        f += (1 - a) ** 2 + 100 * (b - a * a) ** 2;
        g[i] += -2 * (1 - a) - 400 * a * (b - a * a);
        g[i + 1] += 200 * (b - a * a);
      }
      return f;
    };
    const pseudoHuber: Objective = (w, g) => {
      let f = 0;
      for (let i = 0; i < w.length; i++) {
        const r = w[i] - (i + 1) ** 2;
        f += Math.sqrt(1 + r * r);
        g[i] = r / Math.sqrt(1 + r * r);
      }
      return f;
    };
    const a = minimizeLbfgs(extended, Float64Array.from([-1.2, 1, -1.2, 1, -1.2, 1]), {
      gtol: 1e-8,
      ftol: 0,
    });
    expect([a.nIter, a.nEval]).toEqual([56, 67]);
    expect(Math.abs(a.x[0] - 1.0000000000110485)).toBeLessThan(1e-13);
    const b = minimizeLbfgs(pseudoHuber, new Float64Array(5), { gtol: 1e-8, ftol: 0 });
    expect([b.nIter, b.nEval]).toEqual([18, 24]);
    expect(Math.abs(b.x[0] - 0.9999999999476554)).toBeLessThan(1e-13);
  });

  it('returns at once when the start is already optimal', () => {
    const result = minimizeLbfgs((w, g) => {
      g[0] = 2 * w[0];
      return w[0] * w[0];
    }, new Float64Array(1));
    expect([result.nIter, result.stopReason]).toEqual([0, 'gradient']);
  });
});

describe('trainLogisticRegression', () => {
  it('reproduces scipy L-BFGS-B / sklearn 1.2.1 on a 3-class problem', () => {
    const model = trainLogisticRegression(matrixFromRows(X15), Y15, 3);
    expect(model.nIter).toBe(14);
    expect(model.converged).toBe(true);
    expect(model.lossHistory.at(-1)).toBeCloseTo(5.688577425771734, 12);
    const expectedW = [
      -1.0348261912090126, 0.45118836278455465, 0.7891954476366485, 0.7205685859408735, 0.24563074357236406,
      -1.171756948725428,
    ];
    const expectedB = [1.1507027318995873, -1.0280287844269644, -0.12267394747262317];
    expect(maxAbsDiff(model.weights, expectedW)).toBeLessThan(1e-9);
    expect(maxAbsDiff(model.bias, expectedB)).toBeLessThan(1e-9);
  });

  it('reproduces scipy for the binary (sigmoid) case with C = 0.5', () => {
    const y = Y15.map((v) => (v === 1 ? 1 : 0));
    const model = trainLogisticRegression(matrixFromRows(X15), y, 2, { c: 0.5 });
    expect(model.weights).toHaveLength(2);
    expect(model.nIter).toBe(10);
    expect(model.lossHistory.at(-1)).toBeCloseTo(5.026656326137641, 12);
    expect(
      maxAbsDiff(
        [...model.weights, ...model.bias],
        [0.9085938697260802, 0.6439813778044065, -2.0904929187400345],
      ),
    ).toBeLessThan(1e-9);
  });

  it('meets the optimality conditions of a 1-D binary problem', () => {
    // Σ (σ(w x + b) − y) = 0 for the intercept, Σ (σ − y) x + w / C = 0 for the weight.
    const xs = [-3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3];
    const y = [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1];
    const model = trainLogisticRegression(matrixFromRows(xs.map((v) => [v])), y, 2, { tol: 1e-8, ftol: 0 });
    expect(model.stopReason).toBe('gradient');
    const [w] = model.weights;
    const [b] = model.bias;
    let gb = 0;
    let gw = w;
    xs.forEach((v, i) => {
      const r = 1 / (1 + Math.exp(-(w * v + b))) - y[i];
      gb += r;
      gw += r * v;
    });
    expect(Math.abs(gb)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(gw)).toBeLessThanOrEqual(1e-8);
    expect(w).toBeGreaterThan(0.5);
  });

  it('stops on the projected gradient at tol on a larger problem', () => {
    const { x, y } = randomProblem(600, 16, 3, 6);
    const model = trainLogisticRegression(x, y, 3, { tol: 1e-5, ftol: 0 });
    const f = logisticObjective(x, y, 3);
    const g = new Float64Array(3 * 17);
    f(Float64Array.from([...model.weights, ...model.bias]), g);
    expect(model.stopReason).toBe('gradient');
    expect(maxAbsDiff(g, new Float64Array(g.length))).toBeLessThanOrEqual(1e-5);
    // the loss never increases across iterations
    expect(model.lossHistory.every((v, i) => i === 0 || v <= model.lossHistory[i - 1])).toBe(true);
    const accuracy = predict(model, x).filter((p, i) => p === y[i]).length / y.length;
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('is deterministic', () => {
    const { x, y } = randomProblem(200, 8, 3, 7);
    expect(trainLogisticRegression(x, y, 3)).toEqual(trainLogisticRegression(x, y, 3));
  });

  it('predicts probabilities that sum to 1 and agree with predict', () => {
    const { x, y } = randomProblem(90, 4, 3, 8);
    const model = trainLogisticRegression(x, y, 3, { standardize: true });
    const proba = predictProba(model, x);
    const labels = predict(model, x);
    for (let i = 0; i < x.rows; i++) {
      const row = Array.from(proba.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(row.indexOf(Math.max(...row))).toBe(labels[i]);
    }
    expect(model.scaler?.dim).toBe(4);
  });

  it('fits only the classes present; absent ones get probability 0', () => {
    const { x, y } = randomProblem(60, 3, 2, 9);
    const y3 = y.map((v) => (v === 1 ? 2 : 0));
    const model = trainLogisticRegression(x, y3, 3);
    expect(model.classes).toEqual([0, 2]);
    expect(model.bias).toHaveLength(1);
    const proba = predictProba(model, x);
    for (let i = 0; i < x.rows; i++) expect(proba[i * 3 + 1]).toBe(0);
    expect(new Set(predict(model, x))).toEqual(new Set([0, 2]));
    expect(decisionFunction(model, x)).toHaveLength(x.rows);
  });

  it('stops when onIteration returns false and at maxIter', () => {
    const { x, y } = randomProblem(200, 8, 3, 10);
    const seen: number[] = [];
    const stopped = trainLogisticRegression(x, y, 3, {
      onIteration: (iteration) => {
        seen.push(iteration);
        return iteration < 3;
      },
    });
    expect(seen).toEqual([1, 2, 3]);
    expect([stopped.nIter, stopped.stopReason, stopped.converged]).toEqual([3, 'stopped', false]);
    const capped = trainLogisticRegression(x, y, 3, { maxIter: 2 });
    expect([capped.nIter, capped.stopReason, capped.converged]).toEqual([2, 'max-iter', false]);
  });

  it('rejects a single class, non-finite features and bad options', () => {
    const x = matrixFromRows([[0], [1], [2]]);
    expect(() =>
      trainLogisticRegression(x, [1, 1, 1], 2, { classNames: ['entailment', 'not_entailment'] }),
    ).toThrow('All 3 training pairs have the label not_entailment; a classifier needs at least two classes.');
    expect(() => trainLogisticRegression(matrixFromRows([[0], [Infinity]]), [0, 1], 2)).toThrow(
      expect.objectContaining({
        code: 'input.not-finite',
        message: expect.stringMatching(/^Row 1 /) as unknown,
      }),
    );
    expect(() => trainLogisticRegression(x, [0, 1, 0], 2, { c: 0 })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
    const model = trainLogisticRegression(x, [0, 1, 1], 2);
    expect(() => predictProba(model, matrixFromRows([[1, 2]]))).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
  });

  it('survives JSON round-trips', () => {
    const { x, y } = randomProblem(60, 4, 3, 11);
    const model = trainLogisticRegression(x, y, 3, { standardize: true });
    const copy = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(predictProba(copy, x)).toEqual(predictProba(model, x));
  });
});
