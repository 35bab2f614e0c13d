/**
 * A one-hidden-layer perceptron: `softmax(W₂ · relu(W₁ x + b₁) + b₂)`, trained on the mean cross-entropy
 * of mini-batches with Adam and an L2 penalty on the weights (not the biases), with early stopping on a
 * stratified validation split of the training rows. Every random choice (initialisation, validation split,
 * batch order) comes from one seed, so training is deterministic.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, assertTrainingSet, toFloat64, type Matrix } from './matrix';
import { createRandom, shuffleInPlace, type Random } from './random';
import { stratifiedSplit } from './split';
import { applyStandardScaler, fitStandardScaler, type StandardScaler } from './standardize';

/** One epoch's losses: mean cross-entropy (nats per row) over the training and validation rows. */
export interface MlpEpochLoss {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cross-entropy over the training rows, averaged over the epoch's batches (weighted by batch size). */
  trainLoss: number;
  /** Mean cross-entropy over the validation rows after the epoch; `null` without a validation split. */
  valLoss: number | null;
}

/** A trained MLP. Plain arrays only, so `JSON.stringify` round-trips it. */
export interface MlpModel {
  kind: 'mlp';
  nClasses: number;
  /** Input dimension. */
  dim: number;
  /** Hidden units. */
  hidden: number;
  /** `hidden × dim`, row-major. */
  w1: number[];
  /** `hidden`. */
  b1: number[];
  /** `nClasses × hidden`, row-major. */
  w2: number[];
  /** `nClasses`. */
  b2: number[];
  /** Epochs run. */
  epochs: number;
  /** Epoch whose weights the model holds (the best validation loss; the last epoch without validation). */
  bestEpoch: number;
  /** True when training stopped because the validation loss stopped improving. */
  stoppedEarly: boolean;
  /** True when `onEpoch` returned false. */
  stopped: boolean;
  lossHistory: MlpEpochLoss[];
  /** When present, features are standardised with it first (training and prediction). */
  scaler?: StandardScaler;
}

/** Options of {@link trainMlp}. */
export interface MlpOptions {
  /** Hidden units. Default 64. */
  hidden?: number;
  /** Adam step size. Default 1e-3. */
  learningRate?: number;
  /** Most epochs (passes over the training rows). Default 200. */
  epochs?: number;
  /** Rows per mini-batch. Default 64. */
  batchSize?: number;
  /** L2 penalty λ: adds λ·W to the weight gradients (coupled, like PyTorch Adam `weight_decay`). Default 1e-4. */
  weightDecay?: number;
  /** Share of the training rows held out for early stopping (stratified); 0 disables it. Default 0.1. */
  validationFraction?: number;
  /** Epochs without a validation-loss improvement larger than `minDelta` before stopping. Default 10. */
  patience?: number;
  /** Smallest decrease of the validation loss that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Seed of initialisation, validation split and batch order. Default 0. */
  seed?: number;
  /** Fit a {@link StandardScaler} on the training rows and store it in the model. Default false. */
  standardize?: boolean;
  /** Names per class id, used in error messages. */
  classNames?: readonly string[];
  /** Called after each epoch; return `false` to stop (the best weights so far are kept). */
  onEpoch?: (epoch: number, trainLoss: number, valLoss: number | null) => boolean | void;
}

/** Network parameters in float64, one flat buffer for Adam. */
interface Params {
  /** All parameters: w1 | b1 | w2 | b2. */
  all: Float64Array;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

function createParams(dim: number, hidden: number, nClasses: number): Params {
  const all = new Float64Array(hidden * dim + hidden + nClasses * hidden + nClasses);
  let o = 0;
  const take = (n: number): Float64Array => {
    const view = all.subarray(o, o + n);
    o += n;
    return view;
  };
  return { all, w1: take(hidden * dim), b1: take(hidden), w2: take(nClasses * hidden), b2: take(nClasses) };
}

/** Glorot-uniform weights (sklearn MLP's choice), zero biases. */
function initParams(p: Params, dim: number, hidden: number, nClasses: number, random: Random): void {
  const bound1 = Math.sqrt(6 / (dim + hidden));
  for (let i = 0; i < p.w1.length; i++) p.w1[i] = (2 * random() - 1) * bound1;
  const bound2 = Math.sqrt(6 / (hidden + nClasses));
  for (let i = 0; i < p.w2.length; i++) p.w2[i] = (2 * random() - 1) * bound2;
}

interface Workspace {
  h: Float64Array;
  logits: Float64Array;
  dh: Float64Array;
}

/**
 * Forward pass for one row: fills `ws.h` (post-ReLU) and `ws.logits` (turned into probabilities);
 * returns −log p[label] when `label ≥ 0`.
 */
function forwardRow(
  p: Params,
  x: Float64Array,
  off: number,
  dim: number,
  hidden: number,
  nClasses: number,
  ws: Workspace,
  label: number,
): number {
  const { w1, b1, w2, b2 } = p;
  const { h, logits } = ws;
  for (let u = 0; u < hidden; u++) {
    let s = b1[u];
    const wo = u * dim;
    for (let j = 0; j < dim; j++) s += w1[wo + j] * x[off + j];
    h[u] = s > 0 ? s : 0;
  }
  let max = -Infinity;
  for (let c = 0; c < nClasses; c++) {
    let s = b2[c];
    const wo = c * hidden;
    for (let u = 0; u < hidden; u++) s += w2[wo + u] * h[u];
    logits[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < nClasses; c++) sum += Math.exp(logits[c] - max);
  const logSum = max + Math.log(sum);
  const loss = label >= 0 ? logSum - logits[label] : 0;
  for (let c = 0; c < nClasses; c++) logits[c] = Math.exp(logits[c] - logSum);
  return loss;
}

function meanLoss(
  p: Params,
  x: Float64Array,
  rowsUsed: readonly number[],
  y: readonly number[],
  dim: number,
  hidden: number,
  nClasses: number,
  ws: Workspace,
): number {
  let total = 0;
  for (const i of rowsUsed) total += forwardRow(p, x, i * dim, dim, hidden, nClasses, ws, y[i]);
  return total / rowsUsed.length;
}

/**
 * Trains the MLP.
 *
 * Early stopping: `validationFraction` of the training rows (per class, see `stratifiedSplit`) are held out;
 * after each epoch the validation loss is measured, the best weights are remembered, and training stops when
 * the loss has not improved by more than `minDelta` for `patience` epochs; the best weights are restored.
 * Without a usable split (fraction 0, or too few rows so the split is empty) every epoch runs and the last
 * weights are kept.
 *
 * @param x - training features `rows × dim`; `y` - class id per row in `[0, nClasses)`.
 * @throws InputError as `assertTrainingSet` (`input.single-class`, `input.not-finite`, …) and
 *   `input.option` for a bad option.
 */
export function trainMlp(
  x: Matrix,
  y: readonly number[],
  nClasses: number,
  options: MlpOptions = {},
): MlpModel {
  const hidden = options.hidden ?? 64;
  const learningRate = options.learningRate ?? 1e-3;
  const maxEpochs = options.epochs ?? 200;
  const batchSize = options.batchSize ?? 64;
  const weightDecay = options.weightDecay ?? 1e-4;
  const validationFraction = options.validationFraction ?? 0.1;
  const patience = options.patience ?? 10;
  const minDelta = options.minDelta ?? 1e-4;
  const seed = options.seed ?? 0;
  const positiveInts: [string, number][] = [
    ['hidden', hidden],
    ['epochs', maxEpochs],
    ['batchSize', batchSize],
    ['patience', patience],
  ];
  for (const [name, value] of positiveInts) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError('input.option', `${name} must be a positive integer; got ${value}.`);
    }
  }
  if (!(learningRate > 0) || !(weightDecay >= 0) || !(minDelta >= 0)) {
    throw new InputError('input.option', 'learningRate must be > 0, weightDecay and minDelta ≥ 0.');
  }
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new InputError('input.option', `validationFraction must be in [0, 1); got ${validationFraction}.`);
  }
  assertTrainingSet(x, y, nClasses, options.classNames);
  const scaler = options.standardize === true ? fitStandardScaler(x) : undefined;
  const features = toFloat64(scaler === undefined ? x : applyStandardScaler(scaler, x));
  const { dim } = x;

  const random = createRandom(seed);
  let trainRows = Array.from({ length: x.rows }, (_, i) => i);
  let valRows: number[] = [];
  if (validationFraction > 0) {
    const split = stratifiedSplit(y, validationFraction, seed);
    if (split.test.length > 0) {
      trainRows = split.train;
      valRows = split.test;
    }
  }

  const params = createParams(dim, hidden, nClasses);
  initParams(params, dim, hidden, nClasses, random);
  const grads = createParams(dim, hidden, nClasses);
  const m = new Float64Array(params.all.length);
  const v = new Float64Array(params.all.length);
  const best = Float64Array.from(params.all);
  const ws: Workspace = {
    h: new Float64Array(hidden),
    logits: new Float64Array(nClasses),
    dh: new Float64Array(hidden),
  };
  const beta1 = 0.9;
  const beta2 = 0.999;
  const adamEps = 1e-8;
  let step = 0;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let sinceBest = 0;
  let stoppedEarly = false;
  let stopped = false;
  let epoch = 0;
  const lossHistory: MlpEpochLoss[] = [];
  const order = [...trainRows];
  const nW1 = hidden * dim;
  const nB1 = hidden;
  const nW2 = nClasses * hidden;

  while (epoch < maxEpochs) {
    epoch++;
    shuffleInPlace(order, random);
    let epochLoss = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const end = Math.min(start + batchSize, order.length);
      const n = end - start;
      grads.all.fill(0);
      const { w1: gw1, b1: gb1, w2: gw2, b2: gb2 } = grads;
      for (let r = start; r < end; r++) {
        const i = order[r];
        const off = i * dim;
        const label = y[i];
        epochLoss += forwardRow(params, features, off, dim, hidden, nClasses, ws, label);
        const { h, logits: prob, dh } = ws;
        dh.fill(0);
        for (let c = 0; c < nClasses; c++) {
          const delta = prob[c] - (c === label ? 1 : 0);
          gb2[c] += delta;
          const wo = c * hidden;
          for (let u = 0; u < hidden; u++) {
            gw2[wo + u] += delta * h[u];
            dh[u] += delta * params.w2[wo + u];
          }
        }
        for (let u = 0; u < hidden; u++) {
          if (h[u] <= 0) continue; // ReLU gradient is 0 where the unit is off
          const delta = dh[u];
          gb1[u] += delta;
          const wo = u * dim;
          for (let j = 0; j < dim; j++) gw1[wo + j] += delta * features[off + j];
        }
      }
      // Mean over the batch, plus the L2 term on the weights only.
      const g = grads.all;
      const w = params.all;
      const inv = 1 / n;
      for (let q = 0; q < g.length; q++) g[q] *= inv;
      for (let q = 0; q < nW1; q++) g[q] += weightDecay * w[q];
      for (let q = nW1 + nB1; q < nW1 + nB1 + nW2; q++) g[q] += weightDecay * w[q];
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      for (let q = 0; q < g.length; q++) {
        m[q] = beta1 * m[q] + (1 - beta1) * g[q];
        v[q] = beta2 * v[q] + (1 - beta2) * g[q] * g[q];
        w[q] -= (learningRate * (m[q] / c1)) / (Math.sqrt(v[q] / c2) + adamEps);
      }
    }
    const trainLoss = epochLoss / order.length;
    const valLoss =
      valRows.length > 0 ? meanLoss(params, features, valRows, y, dim, hidden, nClasses, ws) : null;
    lossHistory.push({ epoch, trainLoss, valLoss });
    if (!Number.isFinite(trainLoss)) {
      throw new InputError(
        'input.not-finite',
        `The MLP's training loss became ${trainLoss} in epoch ${epoch}; lower the learning rate or standardise.`,
      );
    }
    if (valLoss === null) {
      best.set(params.all);
      bestEpoch = epoch;
    } else if (valLoss < bestLoss - minDelta) {
      bestLoss = valLoss;
      best.set(params.all);
      bestEpoch = epoch;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    if (options.onEpoch?.(epoch, trainLoss, valLoss) === false) {
      stopped = true;
      break;
    }
    if (valLoss !== null && sinceBest >= patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (valRows.length > 0 && bestEpoch === 0) best.set(params.all);

  const final = createParams(dim, hidden, nClasses);
  final.all.set(best);
  const model: MlpModel = {
    kind: 'mlp',
    nClasses,
    dim,
    hidden,
    w1: Array.from(final.w1),
    b1: Array.from(final.b1),
    w2: Array.from(final.w2),
    b2: Array.from(final.b2),
    epochs: epoch,
    bestEpoch: bestEpoch === 0 ? epoch : bestEpoch,
    stoppedEarly,
    stopped,
    lossHistory,
  };
  if (scaler !== undefined) model.scaler = scaler;
  return model;
}

/**
 * Class probabilities, `rows × nClasses` row-major, each row summing to 1 (up to float32 rounding).
 *
 * @throws InputError `input.dimension` (wrong dim), `input.not-finite` (naming the row).
 */
export function predictProbaMlp(model: MlpModel, x: Matrix): Float32Array {
  assertFiniteMatrix(x, 'features');
  if (x.dim !== model.dim) {
    throw new InputError(
      'input.dimension',
      `The features have ${x.dim} dimensions; the model expects ${model.dim}.`,
    );
  }
  const features = toFloat64(model.scaler === undefined ? x : applyStandardScaler(model.scaler, x));
  const { dim, hidden, nClasses } = model;
  const params = createParams(dim, hidden, nClasses);
  params.w1.set(model.w1);
  params.b1.set(model.b1);
  params.w2.set(model.w2);
  params.b2.set(model.b2);
  const ws: Workspace = {
    h: new Float64Array(hidden),
    logits: new Float64Array(nClasses),
    dh: new Float64Array(hidden),
  };
  const out = new Float32Array(x.rows * nClasses);
  for (let i = 0; i < x.rows; i++) {
    forwardRow(params, features, i * dim, dim, hidden, nClasses, ws, -1);
    out.set(ws.logits, i * nClasses);
  }
  return out;
}
