/**
 * One entry point for the three classifiers. Callers pass raw features: logistic regression and the MLP
 * standardise inside (the fitted scaler is stored in the model and reused at prediction), trees need no
 * scaling. Every model is a plain object of numbers, strings, booleans and arrays, so
 * `JSON.parse(JSON.stringify(model))` predicts exactly as the original.
 */
import { predictProbaGbdt, trainGbdt, type GbdtModel, type GbdtOptions } from './gbdt';
import {
  predict as predictLogReg,
  predictProba,
  trainLogisticRegression,
  type LogRegModel,
  type LogRegOptions,
} from './logreg';
import type { Matrix } from './matrix';
import { predictProbaMlp, trainMlp, type MlpModel, type MlpOptions } from './mlp';

/** The classifiers Pairscope can train. */
export type ClassifierKind = 'logreg' | 'mlp' | 'gbdt';

/** A trained model of any kind, discriminated by `kind`. */
export type ClassifierModel = LogRegModel | MlpModel | GbdtModel;

/** Options per kind. `standardize` defaults to true for logreg and mlp here (false in the trainers). */
export interface ClassifierOptionsByKind {
  logreg: LogRegOptions;
  mlp: MlpOptions;
  gbdt: GbdtOptions;
}

/** The model type per kind. */
export interface ClassifierModelByKind {
  logreg: LogRegModel;
  mlp: MlpModel;
  gbdt: GbdtModel;
}

/**
 * Trains a classifier of the given kind on raw features.
 *
 * @param x - training features `rows × dim`; `y` - class id per row in `[0, nClasses)`.
 * @param options - the kind's options; for logreg and mlp `standardize` defaults to true.
 * @returns the model; its `kind` equals the argument.
 * @throws InputError from the trainer (`input.single-class`, `input.not-finite`, `input.dimension`, …).
 */
export function trainClassifier<K extends ClassifierKind>(
  kind: K,
  x: Matrix,
  y: readonly number[],
  nClasses: number,
  options: ClassifierOptionsByKind[K] = {},
): ClassifierModelByKind[K] {
  // The casts are sound: `kind` selects both the options type and the model type.
  switch (kind) {
    case 'logreg':
      return trainLogisticRegression(x, y, nClasses, {
        standardize: true,
        ...(options as LogRegOptions),
      }) as ClassifierModelByKind[K];
    case 'mlp':
      return trainMlp(x, y, nClasses, {
        standardize: true,
        ...(options as MlpOptions),
      }) as ClassifierModelByKind[K];
    case 'gbdt':
      return trainGbdt(x, y, nClasses, options) as ClassifierModelByKind[K];
    default:
      throw new TypeError(`Unknown classifier kind: ${String(kind)}`);
  }
}

/**
 * Class probabilities from any model, `rows × nClasses` row-major (raw features in; the model applies its
 * own scaler).
 *
 * @throws InputError `input.dimension` (wrong dim), `input.not-finite` (naming the row).
 */
export function predictProbaAny(model: ClassifierModel, x: Matrix): Float32Array {
  switch (model.kind) {
    case 'logreg':
      return predictProba(model, x);
    case 'mlp':
      return predictProbaMlp(model, x);
    case 'gbdt':
      return predictProbaGbdt(model, x);
  }
}

/**
 * Predicted class id per row: the arg-max of the probabilities (ties to the lower id). For logistic
 * regression the float64 scores decide, as in sklearn, so float32 rounding of probabilities cannot flip a
 * near-tie.
 */
export function predictAny(model: ClassifierModel, x: Matrix): number[] {
  if (model.kind === 'logreg') return predictLogReg(model, x);
  const proba = predictProbaAny(model, x);
  const labels = new Array<number>(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    for (let c = 1; c < model.nClasses; c++) {
      if (proba[i * model.nClasses + c] > proba[i * model.nClasses + best]) best = c;
    }
    labels[i] = best;
  }
  return labels;
}
