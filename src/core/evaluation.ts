/**
 * Honest evaluation of a classifier on pair vectors: a seeded stratified hold-out split or k-fold
 * cross-validation over the labelled pairs, a scikit-learn-identical report on pairs the classifier never
 * saw, and predictions with probabilities for every pair (unlabelled ones included).
 */
import type { ClassifierKind, ClassifierModel, ClassifierOptionsByKind } from './classifier';
import { predictAny, predictProbaAny, trainClassifier } from './classifier';
import { InputError } from './errors';
import type { Matrix } from './matrix';
import { assertMatrix, selectRows } from './matrix';
import type { ClassificationReport } from './metrics';
import { accuracy, classificationReport, confusionMatrix, macroF1 } from './metrics';
import { stratifiedKFold, stratifiedSplit } from './split';

export type EvaluationScheme = { kind: 'holdout'; testFraction: number } | { kind: 'kfold'; k: number };

export interface EvaluationOptions<K extends ClassifierKind = ClassifierKind> {
  classifier: K;
  params: ClassifierOptionsByKind[K];
  scheme: EvaluationScheme;
  seed: number;
}

/** One point of a training curve: `step` is the iteration (logreg), epoch (MLP) or round (GBDT). */
export interface LossPoint {
  step: number;
  loss: number;
  validationLoss: number | null;
}

/** Role of a pair in the evaluation. */
export const ROLE_UNLABELLED = 0;
export const ROLE_TRAIN = 1;
export const ROLE_TEST = 2;

export interface EvaluationResult {
  classNames: string[];
  nTrain: number;
  nTest: number;
  report: ClassificationReport;
  /** rows = true class, columns = predicted, in class order. */
  confusion: number[][];
  accuracy: number;
  macroF1: number;
  /** Predicted class per pair (all pairs, unlabelled included). */
  predictions: Int32Array;
  /** `pairs × classes` row-major. */
  probabilities: Float32Array;
  /**
   * ROLE_* per pair. Hold-out: train / test. k-fold: every labelled pair is a test pair of one fold, and its
   * prediction comes from the model that did not see it; unlabelled pairs use a model trained on all labels.
   */
  roles: Uint8Array;
  /** Training curve of the (last) model trained. */
  lossCurve: LossPoint[];
  /** k-fold only: per-fold accuracy and macro-F1. */
  folds: { accuracy: number; macroF1: number }[];
  /** The model that predicts unlabelled pairs (JSON-serialisable). */
  model: ClassifierModel;
}

export interface EvaluationHooks {
  /** Called with progress (`done` of `total` training steps of the current model, `fold` of `folds`). */
  onProgress?: (progress: { fold: number; folds: number; step: number; loss: number }) => void;
  /** Throws (an AbortError) to stop; called at every training step. */
  check?: () => void;
}

/**
 * Trains and evaluates. `labels[i]` is the class id of pair i, or null when unlabelled.
 *
 * @throws InputError when fewer than two classes have labels, or a class has too few pairs to split.
 */
export function evaluateClassifier(
  x: Matrix,
  labels: readonly (number | null)[],
  classNames: readonly string[],
  options: EvaluationOptions,
  hooks: EvaluationHooks = {},
): EvaluationResult {
  assertMatrix(x, 'pair vectors');
  if (labels.length !== x.rows) {
    throw new InputError('input.dimension', `${labels.length} labels for ${x.rows} pair vectors.`);
  }
  const labelledRows: number[] = [];
  const y: number[] = [];
  labels.forEach((label, i) => {
    if (label !== null) {
      labelledRows.push(i);
      y.push(label);
    }
  });
  const present = new Set(y);
  if (present.size < 2) {
    throw new InputError(
      'input.single-class',
      present.size === 0
        ? 'No pair has a gold label: add a label column (e.g. entailment / neutral / contradiction) to train a classifier.'
        : `All ${y.length} labelled pairs have the label "${classNames[y[0]]}"; a classifier needs at least two classes.`,
    );
  }
  const nClasses = classNames.length;
  const roles = new Uint8Array(x.rows);
  const predictions = new Int32Array(x.rows);
  const probabilities = new Float32Array(x.rows * nClasses);
  let lossCurve: LossPoint[] = [];

  const train = (rows: number[], fold: number, folds: number): ClassifierModel => {
    const curve: LossPoint[] = [];
    const step = (s: number, loss: number, validationLoss: number | null = null) => {
      hooks.check?.();
      curve.push({ step: s, loss, validationLoss });
      hooks.onProgress?.({ fold, folds, step: s, loss });
    };
    const params = { ...options.params } as Record<string, unknown>;
    if (options.classifier === 'logreg') params.onIteration = (i: number, loss: number) => step(i, loss);
    if (options.classifier === 'mlp') {
      params.onEpoch = (e: number, loss: number, val: number | null) => step(e, loss, val);
      params.seed ??= options.seed;
    }
    if (options.classifier === 'gbdt') params.onRound = (r: number, loss: number) => step(r, loss);
    params.classNames = classNames;
    const model = trainClassifier(
      options.classifier,
      selectRows(x, rows),
      rows.map((r) => labels[r] as number),
      nClasses,
      params,
    );
    lossCurve = curve;
    return model;
  };
  const predictInto = (model: ClassifierModel, rows: number[]) => {
    if (rows.length === 0) return;
    const subset = selectRows(x, rows);
    const predicted = predictAny(model, subset);
    const proba = predictProbaAny(model, subset);
    rows.forEach((r, i) => {
      predictions[r] = predicted[i];
      probabilities.set(proba.subarray(i * nClasses, (i + 1) * nClasses), r * nClasses);
    });
  };
  const unlabelledRows = labels.flatMap((label, i) => (label === null ? [i] : []));

  let model: ClassifierModel;
  const testRows: number[] = [];
  const folds: { accuracy: number; macroF1: number }[] = [];
  let nTrain: number;
  if (options.scheme.kind === 'holdout') {
    const split = stratifiedSplit(y, options.scheme.testFraction, options.seed);
    const trainRows = split.train.map((i) => labelledRows[i]);
    testRows.push(...split.test.map((i) => labelledRows[i]));
    for (const r of trainRows) roles[r] = ROLE_TRAIN;
    for (const r of testRows) roles[r] = ROLE_TEST;
    model = train(trainRows, 1, 1);
    predictInto(model, [...trainRows, ...testRows, ...unlabelledRows]);
    nTrain = trainRows.length;
  } else {
    const splits = stratifiedKFold(y, options.scheme.k, options.seed);
    splits.forEach((split, f) => {
      const trainRows = split.train.map((i) => labelledRows[i]);
      const foldTest = split.test.map((i) => labelledRows[i]);
      const foldModel = train(trainRows, f + 1, splits.length + 1);
      predictInto(foldModel, foldTest);
      const yt = foldTest.map((r) => labels[r] as number);
      const yp = foldTest.map((r) => predictions[r]);
      folds.push({ accuracy: accuracy(yt, yp), macroF1: macroF1(yt, yp, nClasses) });
      testRows.push(...foldTest);
    });
    for (const r of testRows) roles[r] = ROLE_TEST;
    model = train(labelledRows, splits.length + 1, splits.length + 1);
    predictInto(model, unlabelledRows);
    nTrain = labelledRows.length;
  }
  testRows.sort((a, b) => a - b);
  const yTrue = testRows.map((r) => labels[r] as number);
  const yPred = testRows.map((r) => predictions[r]);
  const classIds = classNames.map((_, k) => k);
  return {
    classNames: [...classNames],
    nTrain,
    nTest: testRows.length,
    report: classificationReport(yTrue, yPred, { labels: classIds, targetNames: [...classNames], digits: 4 }),
    confusion: confusionMatrix(yTrue, yPred, nClasses),
    accuracy: accuracy(yTrue, yPred),
    macroF1: macroF1(yTrue, yPred, nClasses),
    predictions,
    probabilities,
    roles,
    lossCurve,
    folds,
    model,
  };
}
