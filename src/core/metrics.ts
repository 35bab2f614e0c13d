/**
 * Classification metrics and a text report that is byte-identical to scikit-learn 1.2.1
 * `classification_report(y_true, y_pred, labels=…, target_names=…, digits=4, zero_division=0)`.
 *
 * Labels are integer class ids. Averages are summed in the same order as NumPy (pairwise summation) so the
 * numbers equal sklearn's to the last bit, and the text rounds like Python's `'{:.4f}'.format` (exact
 * decimal expansion of the double, ties to even), which `Number.prototype.toFixed` does not
 * (`(0.03125).toFixed(4)` is `'0.0313'`, Python gives `'0.0312'`).
 */
import { InputError } from './errors';

function assertSameLength(yTrue: readonly number[], yPred: readonly number[]): void {
  if (yTrue.length !== yPred.length) {
    throw new InputError(
      'input.dimension',
      `There are ${yTrue.length} true labels but ${yPred.length} predictions; they must pair up one to one.`,
    );
  }
}

function assertClassIds(y: readonly number[], nClasses: number, what: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= nClasses) {
      throw new InputError(
        'input.label',
        `${what} ${i} is ${v}; class ids must be integers from 0 to ${nClasses - 1}.`,
      );
    }
  }
}

/**
 * Counts pairs by (true class, predicted class).
 *
 * @param yTrue - true class ids, integers in `[0, nClasses)`.
 * @param yPred - predicted class ids, same length and range.
 * @returns `nClasses × nClasses` counts; row = true class, column = predicted class (sklearn's layout).
 *   Empty inputs give all zeros.
 * @throws InputError `input.dimension` (lengths differ) or `input.label` (an id out of range).
 */
export function confusionMatrix(
  yTrue: readonly number[],
  yPred: readonly number[],
  nClasses: number,
): number[][] {
  assertSameLength(yTrue, yPred);
  assertClassIds(yTrue, nClasses, 'True label');
  assertClassIds(yPred, nClasses, 'Prediction');
  const matrix = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    matrix[yTrue[i]][yPred[i]] += 1;
  }
  return matrix;
}

/**
 * Fraction of predictions equal to the truth, in [0, 1].
 *
 * @throws InputError `input.empty` for no samples, `input.dimension` when lengths differ.
 */
export function accuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  assertSameLength(yTrue, yPred);
  if (yTrue.length === 0) throw new InputError('input.empty', 'Accuracy needs at least one prediction.');
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * NumPy's pairwise summation of float64 values (`np.add.reduce` on a contiguous 1-D array): blocks of up to
 * 128 summed with 8 accumulators, larger arrays split in halves. Used so averages match sklearn bit for bit.
 */
function sumLikeNumpy(values: readonly number[], start = 0, n = values.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    }
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return sumLikeNumpy(values, start, n2) + sumLikeNumpy(values, start + n2, n - n2);
}

/** Per-class precision, recall, F1 and support with sklearn's zero_division=0 rule. */
interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  predicted: number[];
  truePositives: number[];
}

function scorePerClass(
  yTrue: readonly number[],
  yPred: readonly number[],
  labels: readonly number[],
): PerClassScores {
  const position = new Map<number, number>();
  labels.forEach((label, k) => position.set(label, k));
  const n = labels.length;
  const tp = new Array<number>(n).fill(0);
  const predicted = new Array<number>(n).fill(0);
  const support = new Array<number>(n).fill(0);
  for (let i = 0; i < yTrue.length; i++) {
    const t = position.get(yTrue[i]);
    const p = position.get(yPred[i]);
    if (t !== undefined) support[t] += 1;
    if (p !== undefined) predicted[p] += 1;
    if (t !== undefined && t === p) tp[t] += 1;
  }
  // zero_division=0: a ratio with a zero denominator is 0; F1 is 0 when precision + recall is 0.
  const precision = tp.map((v, k) => (predicted[k] === 0 ? 0 : v / predicted[k]));
  const recall = tp.map((v, k) => (support[k] === 0 ? 0 : v / support[k]));
  const f1 = precision.map((p, k) => {
    const r = recall[k];
    const denom = p + r;
    return (2 * p * r) / (denom === 0 ? 1 : denom);
  });
  return { precision, recall, f1, support, predicted, truePositives: tp };
}

function meanLikeNumpy(values: readonly number[]): number {
  return sumLikeNumpy(values) / values.length;
}

/**
 * Unweighted mean over classes `0 … nClasses-1` of the per-class F1 score (sklearn
 * `f1_score(average='macro', labels=range(nClasses), zero_division=0)`): a class that is never true and never
 * predicted counts with F1 = 0.
 *
 * @throws InputError `input.dimension`, `input.label` as {@link confusionMatrix}; `input.option` when
 *   `nClasses < 1`.
 */
export function macroF1(yTrue: readonly number[], yPred: readonly number[], nClasses: number): number {
  assertSameLength(yTrue, yPred);
  if (!Number.isInteger(nClasses) || nClasses < 1) {
    throw new InputError('input.option', `macroF1 needs at least one class; got nClasses = ${nClasses}.`);
  }
  assertClassIds(yTrue, nClasses, 'True label');
  assertClassIds(yPred, nClasses, 'Prediction');
  const labels = Array.from({ length: nClasses }, (_, k) => k);
  return meanLikeNumpy(scorePerClass(yTrue, yPred, labels).f1);
}

/** One row of a classification report (sklearn's `output_dict` shape). */
export interface ReportScores {
  precision: number;
  recall: number;
  'f1-score': number;
  /** Number of true samples of the class (or of all listed classes, on an average row). */
  support: number;
}

/**
 * sklearn's `output_dict=True` shape: one entry per class name, then either `accuracy` (a number; when the
 * labels listed are exactly the labels that occur) or `micro avg` (a row), then `macro avg` and
 * `weighted avg`. Note: JavaScript lists integer-like keys such as `'0'` first whatever the insertion order,
 * so use {@link ClassificationReport.classNames} for the row order.
 */
export type ClassificationReportDict = Record<string, ReportScores | number>;

/** Result of {@link classificationReport}. */
export interface ClassificationReport {
  /** The text, byte-identical to sklearn 1.2.1 for the same inputs; ends with a newline. */
  text: string;
  /** The numbers, shaped like sklearn's `output_dict=True`. */
  dict: ClassificationReportDict;
  /** Class names in row order (the `targetNames`, or the labels as strings). */
  classNames: string[];
}

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** Class ids to report, in row order (sklearn `labels`). Required: it fixes rows even for absent classes. */
  labels: number[];
  /** Display names, one per label (sklearn `target_names`); `null`/absent: the labels' decimal strings. */
  targetNames?: string[] | null;
  /** Decimal places (sklearn `digits`). Default 4 — not sklearn's 2 — because every report in Pairscope uses 4. */
  digits?: number;
}

/** Length in code points, as Python's `len` counts a `str` (JS `length` counts UTF-16 units). */
function codePointLength(s: string): number {
  return Array.from(s).length;
}

function padStartCodePoints(s: string, width: number): string {
  const missing = width - codePointLength(s);
  return missing > 0 ? ' '.repeat(missing) + s : s;
}

/**
 * Formats a double like Python's `'{:.{digits}f}'.format(value)`: the exact binary value rounded to
 * `digits` decimals, ties to even. Non-finite values print as Python does (`nan`, `inf`, `-inf`).
 */
export function formatFixedLikePython(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const negative = value < 0 || Object.is(value, -0);
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, Math.abs(value));
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biasedExponent = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  // |value| = mantissa × 2^exponent; scaled = |value| × 10^digits, rounded half to even.
  const numerator = mantissa * 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = numerator << BigInt(exponent);
  } else {
    const denominator = 1n << BigInt(-exponent);
    scaled = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && scaled % 2n === 1n)) scaled += 1n;
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  }
  return negative ? `-${text}` : text;
}

/** Python's `str()` of a support count: `12` for an int, `12.0` for a float (see below). */
function formatSupport(count: number, asFloat: boolean): string {
  if (!asFloat) return String(count);
  // Counts are integers far below 1e16, where Python's float repr is the integer followed by '.0'.
  return Number.isInteger(count) && Math.abs(count) < 1e16 ? `${count}.0` : String(count);
}

/**
 * A text and dict report of per-class precision, recall, F1 and support, reproducing scikit-learn 1.2.1
 * `classification_report(y_true, y_pred, labels, target_names, digits, zero_division=0)` exactly:
 *
 * - name column width = max(longest name in code points, len('weighted avg') = 12, digits);
 * - header line, blank line, one row per label (`{:>width} ` + 3 × ` {:>9.4f}` + ` {:>9}`), blank line;
 * - `accuracy` row (precision and recall cells blank) when the set of `labels` equals the set of values in
 *   `yTrue ∪ yPred`, otherwise a `micro avg` row over the listed labels; then `macro avg` and `weighted avg`
 *   (weights = support; all zero when the total support is 0);
 * - a ratio with a zero denominator is 0 (zero_division=0);
 * - sklearn quirk kept on purpose: when no prediction at all equals its true label, sklearn's counts become
 *   floats and support prints as `2.0` instead of `2`.
 *
 * Samples whose true or predicted label is not in `labels` still count in the accuracy/micro decision and in
 * the quirk above, as in sklearn, but not in any row.
 *
 * @param yTrue - true labels; `yPred` - predictions, same length.
 * @throws InputError `input.empty` (no samples or no labels), `input.dimension` (lengths differ, or
 *   `targetNames` not one per label), `input.option` (bad `digits` or repeated labels).
 */
export function classificationReport(
  yTrue: readonly number[],
  yPred: readonly number[],
  options: ClassificationReportOptions,
): ClassificationReport {
  assertSameLength(yTrue, yPred);
  const { labels } = options;
  const digits = options.digits ?? 4;
  if (yTrue.length === 0)
    throw new InputError('input.empty', 'A classification report needs at least one sample.');
  if (labels.length === 0)
    throw new InputError('input.empty', 'A classification report needs at least one label.');
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new InputError('input.option', `digits must be an integer from 0 to 20; got ${digits}.`);
  }
  if (new Set(labels).size !== labels.length) {
    throw new InputError('input.option', `The labels [${labels.join(', ')}] contain a repeat.`);
  }
  const targetNames = options.targetNames ?? null;
  if (targetNames !== null && targetNames.length !== labels.length) {
    throw new InputError(
      'input.dimension',
      `There are ${labels.length} labels but ${targetNames.length} target names; give one name per label.`,
    );
  }
  const classNames = targetNames === null ? labels.map((l) => String(l)) : [...targetNames];

  const scores = scorePerClass(yTrue, yPred, labels);
  const present = new Set<number>([...yTrue, ...yPred]);
  const microIsAccuracy = present.size === labels.length && labels.every((l) => present.has(l));
  // sklearn's multilabel_confusion_matrix falls back to float zeros when no sample is a true positive.
  let anyCorrect = false;
  for (let i = 0; i < yTrue.length && !anyCorrect; i++) anyCorrect = yTrue[i] === yPred[i];
  const supportAsFloat = !anyCorrect;

  const totalSupport = sumLikeNumpy(scores.support);
  const microTp = sumLikeNumpy(scores.truePositives);
  const microPredicted = sumLikeNumpy(scores.predicted);
  const microP = microPredicted === 0 ? 0 : microTp / microPredicted;
  const microR = totalSupport === 0 ? 0 : microTp / totalSupport;
  const microF = (2 * microP * microR) / (microP + microR === 0 ? 1 : microP + microR);

  const macro: ReportScores = {
    precision: meanLikeNumpy(scores.precision),
    recall: meanLikeNumpy(scores.recall),
    'f1-score': meanLikeNumpy(scores.f1),
    support: totalSupport,
  };
  const weightedMean = (values: readonly number[]): number =>
    totalSupport === 0 ? 0 : sumLikeNumpy(values.map((v, k) => v * scores.support[k])) / totalSupport;
  const weighted: ReportScores = {
    precision: weightedMean(scores.precision),
    recall: weightedMean(scores.recall),
    'f1-score': weightedMean(scores.f1),
    support: totalSupport,
  };

  const classRows: ReportScores[] = classNames.map((_, k) => ({
    precision: scores.precision[k],
    recall: scores.recall[k],
    'f1-score': scores.f1[k],
    support: scores.support[k],
  }));
  const dict: ClassificationReportDict = {};
  classNames.forEach((name, k) => {
    dict[name] = classRows[k];
  });
  const micro: ReportScores = {
    precision: microP,
    recall: microR,
    'f1-score': microF,
    support: totalSupport,
  };
  if (microIsAccuracy) dict['accuracy'] = microP;
  else dict['micro avg'] = micro;
  dict['macro avg'] = macro;
  dict['weighted avg'] = weighted;

  const width = Math.max(Math.max(...classNames.map(codePointLength)), 'weighted avg'.length, digits);
  const cell = (s: string): string => ` ${s.padStart(9)}`;
  const number = (v: number): string => cell(formatFixedLikePython(v, digits));
  const row = (name: string, s: ReportScores): string =>
    `${padStartCodePoints(name, width)} ${number(s.precision)}${number(s.recall)}${number(s['f1-score'])}` +
    `${cell(formatSupport(s.support, supportAsFloat))}\n`;

  let text = `${' '.repeat(width)} ${['precision', 'recall', 'f1-score', 'support'].map(cell).join('')}\n\n`;
  classNames.forEach((name, k) => {
    text += row(name, classRows[k]);
  });
  text += '\n';
  if (microIsAccuracy) {
    // sklearn formats '' with '{:>9.4}' for the precision and recall cells: nine spaces each.
    text += `${padStartCodePoints('accuracy', width)} ${cell('')}${cell('')}${number(microF)}`;
    text += `${cell(formatSupport(totalSupport, supportAsFloat))}\n`;
  } else {
    text += row('micro avg', micro);
  }
  text += row('macro avg', macro);
  text += row('weighted avg', weighted);
  return { text, dict, classNames };
}
