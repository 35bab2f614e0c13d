/**
 * Headless evaluation (`npm run eval`, tests): embed a labelled train file and test file with a model and a
 * recipe, train a classifier on the train vectors, and score it on the test vectors. It runs the app's own
 * code — `PairscopeService` (the worker's service) on the Node runtime, `trainClassifier` / `predictAny`,
 * `classificationReport` — so its numbers are the app's numbers for the same settings.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClassifierKind, ClassifierModel, ClassifierOptionsByKind } from '../core/classifier';
import { predictAny, trainClassifier } from '../core/classifier';
import { parseDataset } from '../core/dataset';
import type { DatasetFormat } from '../core/dataset';
import { InputError } from '../core/errors';
import { encodeLabels, inferLabelScheme, normalizeLabel } from '../core/labels';
import type { LabelScheme } from '../core/labels';
import type { Matrix } from '../core/matrix';
import { selectRows } from '../core/matrix';
import { accuracy, classificationReport, confusionMatrix, macroF1 } from '../core/metrics';
import type { Pair } from '../core/pairs';
import type { EmbeddingRecipe, Pooling, PresetId, SbertParts } from '../core/recipe';
import { describeRecipe, presetRecipe, resolveLayers } from '../core/recipe';
import type { JobProgress } from '../worker/protocol';
import { PairscopeService } from '../worker/service';
import { createNodeRuntime } from './runtime-node';

/** Preset names of the command line; `sbert` is the app's `sbert-nli`. */
export type EvalPreset = 'origin' | 'bert-as-service' | 'sbert';

/** Weight files the command line offers (transformers.js names: `onnx/model.onnx`, `onnx/model_quantized.onnx`). */
export type EvalDtype = 'fp32' | 'q8';

/** Changes to a preset's recipe; absent fields keep the preset's value. */
export interface RecipeOverrides {
  /** Replaces `layers` (negative counts from the end). */
  layers?: number[];
  pooling?: Pooling;
  /** Replaces `maxLength` (tokens, special tokens included); clamped to the model's limit when embedding. */
  maxLength?: number;
  /** Replaces `sbertParts`; only meaningful for the `sbert` preset (separate sentences). */
  parts?: SbertParts;
}

/** The app preset behind a command-line preset name. */
export function appPresetId(preset: EvalPreset): Exclude<PresetId, 'custom'> {
  return preset === 'sbert' ? 'sbert-nli' : preset;
}

/** A preset's recipe with the overrides applied (a fresh object). */
export function buildRecipe(preset: EvalPreset, overrides: RecipeOverrides = {}): EmbeddingRecipe {
  const recipe = presetRecipe(appPresetId(preset));
  if (overrides.layers !== undefined) recipe.layers = [...overrides.layers];
  if (overrides.pooling !== undefined) recipe.pooling = overrides.pooling;
  if (overrides.maxLength !== undefined) recipe.maxLength = overrides.maxLength;
  if (overrides.parts !== undefined) recipe.sbertParts = { ...overrides.parts };
  return recipe;
}

/** A labelled file, read and parsed. */
export interface EvalDataset {
  /** How messages and the summary name it (the path as given). */
  name: string;
  pairs: Pair[];
}

/**
 * Reads and parses a JSONL or TSV dataset file (format from the extension `.jsonl`/`.json`/`.tsv`, else
 * from the content).
 *
 * @throws InputError `input.file` when the file is missing or unreadable; `input.line` / `input.empty`
 *   from {@link parseDataset}.
 */
export async function readDataset(file: string): Promise<EvalDataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('input.file', `Cannot read ${file}: ${(error as Error).message}`);
  }
  const ext = path.extname(file).toLowerCase();
  const format: DatasetFormat | 'auto' =
    ext === '.jsonl' || ext === '.json' ? 'jsonl' : ext === '.tsv' ? 'tsv' : 'auto';
  return { name: file, pairs: parseDataset(text, { format, name: file }) };
}

/**
 * Checks that `dir` is a model folder (it holds `config.json`) and splits it into the Node runtime's models
 * folder and the folder name used as a `server` source id.
 *
 * @throws InputError `input.file` when the folder or its config.json is missing.
 */
export function modelFolder(dir: string): { modelsDir: string; id: string } {
  const full = path.resolve(dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw new InputError('input.file', `Model folder ${dir} does not exist.`);
  }
  if (!existsSync(path.join(full, 'config.json'))) {
    throw new InputError(
      'input.file',
      `${dir} has no config.json; give a model folder in transformers.js layout (config.json, tokenizer.json, onnx/model.onnx).`,
    );
  }
  return { modelsDir: path.dirname(full), id: path.basename(full) };
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Model folder in transformers.js layout. */
  model: string;
  train: EvalDataset;
  test: EvalDataset;
  /** The preset the recipe started from (reported only). */
  preset: EvalPreset;
  recipe: EmbeddingRecipe;
  classifier: ClassifierKind;
  /** Seed of the MLP (initialisation, validation split, batch order); logreg and gbdt are deterministic. */
  seed: number;
  dtype: EvalDtype;
  /** CPU threads for inference; null = all cores. */
  threads?: number | null;
  /** Human-readable progress lines (stage changes and throttled counts). */
  onLog?: (message: string) => void;
  /** Raw progress of embedding and training. */
  onProgress?: (progress: JobProgress) => void;
}

/** The machine-readable result: the last line `npm run eval` prints, as JSON. */
export interface EvalSummary {
  accuracy: number;
  macro_f1: number;
  /** Labelled pairs used for training / testing (unlabelled rows are left out). */
  n_train: number;
  n_test: number;
  /** Unlabelled rows left out of each file. */
  n_train_unlabelled: number;
  n_test_unlabelled: number;
  /** Rows whose input was cut to `recipe.maxLength`. */
  n_train_truncated: number;
  n_test_truncated: number;
  preset: EvalPreset;
  /** The recipe used, layers as given (negative from the end). */
  recipe: EmbeddingRecipe;
  /** Layers resolved to hidden-state indices (0 = embeddings). */
  layers_resolved: number[];
  /** The token limit actually applied (recipe limit clamped to the model). */
  max_length_used: number;
  recipe_description: string;
  classifier: ClassifierKind;
  seed: number;
  classes: string[];
  task: 'three-way' | 'binary' | 'custom';
  dim: number;
  embed_seconds: number;
  train_seconds: number;
  /** Accuracy on the training rows. */
  train_accuracy: number;
  /** Logistic regression only: L-BFGS iterations and whether it converged before `maxIter`. */
  n_iter?: number;
  converged?: boolean;
  model: string;
  dtype: EvalDtype;
  device: string;
  threads: number;
  train_file: string;
  test_file: string;
}

/** Result of {@link evaluate}. */
export interface EvaluateResult {
  summary: EvalSummary;
  /** sklearn-identical `classification_report(..., digits=4, zero_division=0)` text; ends with a newline. */
  reportText: string;
  /** `classes.length × classes.length` counts, rows = true class, columns = predicted, canonical order. */
  confusion: number[][];
  /** Predicted class id per test row (ids index `summary.classes`). */
  predictions: number[];
  classifierModel: ClassifierModel;
}

/** Keeps the labelled rows of a dataset (not null, `-`, `-1` or blank) with their raw labels. */
function labelled(pairs: readonly Pair[]): { pairs: Pair[]; labels: string[] } {
  const kept = pairs.filter((p) => p.label !== null && normalizeLabel(p.label) !== null);
  return { pairs: kept, labels: kept.map((p) => p.label ?? '') };
}

/** Result of {@link encodeEvalLabels}. */
export interface EvalLabels {
  /** Class names in canonical order (entailment, neutral, contradiction, not_entailment, then custom). */
  classes: string[];
  task: LabelScheme['task'];
  /** Class ids (indices into `classes`) of the train / test labels, in order. */
  yTrain: number[];
  yTest: number[];
}

/**
 * Class ids for a train and a test label column that may spell labels differently (e.g. SNLI's digits in
 * one file, names in the other). Each file's labels are read with `inferLabelScheme` (the test file's digits
 * in the train file's digit order when it has one), then both map onto one class list in canonical order, so
 * ids equal the GLUE/sklearn label ids [0, 1, 2] / [0, 1] for NLI data.
 *
 * @param trainLabels - raw labels, all labelled (no `-` / empty); `testLabels` likewise.
 * @throws InputError `input.label` when a digit label of the test file has no class in the train file's
 *   digit order.
 */
export function encodeEvalLabels(trainLabels: readonly string[], testLabels: readonly string[]): EvalLabels {
  const trainScheme = inferLabelScheme(trainLabels);
  const testScheme = inferLabelScheme(
    testLabels,
    trainScheme.numericOrder === undefined ? {} : { numericOrder: trainScheme.numericOrder },
  );
  const names = (labels: readonly string[], scheme: LabelScheme): string[] =>
    labels.map((raw) => scheme.mapping[raw] ?? raw);
  const trainNames = names(trainLabels, trainScheme);
  const testNames = names(testLabels, testScheme);
  // The names are canonical already; a second pass only orders the union of classes.
  const union = inferLabelScheme([...trainNames, ...testNames]);
  return {
    classes: union.classes,
    task: union.task,
    yTrain: encodeLabels(trainNames, union).y,
    yTest: encodeLabels(testNames, union).y,
  };
}

/**
 * Embeds train and test with the app's service, trains the classifier on train, scores it on test.
 *
 * Classes come from the labels of both files ({@link encodeEvalLabels}), in canonical order (entailment,
 * neutral, contradiction / entailment, not_entailment), so class ids equal the GLUE/sklearn label ids
 * [0, 1, 2] and the report rows come in that order. Unlabelled rows are dropped before embedding.
 *
 * @throws InputError `input.empty` when a file has no labelled rows, `input.single-class` (from the
 *   trainer) when the training rows have one class; ModelError when the model cannot be loaded or lacks
 *   a requested layer.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const log = options.onLog ?? (() => undefined);
  const onProgress = options.onProgress ?? (() => undefined);
  const train = labelled(options.train.pairs);
  const test = labelled(options.test.pairs);
  for (const [set, data] of [
    [options.train, train],
    [options.test, test],
  ] as const) {
    if (data.pairs.length === 0) {
      throw new InputError(
        'input.empty',
        `${set.name} has no labelled rows (all ${set.pairs.length} are unlabelled); evaluation needs gold labels.`,
      );
    }
  }
  const scheme = encodeEvalLabels(train.labels, test.labels);
  const { yTrain, yTest } = scheme;
  const nClasses = scheme.classes.length;

  const { modelsDir, id } = modelFolder(options.model);
  const service = new PairscopeService(createNodeRuntime(modelsDir));
  log(`loading ${options.model} (${options.dtype})`);
  const info = await service.loadModel(
    {
      source: { kind: 'server', id },
      dtype: options.dtype,
      device: 'auto',
      threads: options.threads ?? null,
    },
    1,
    onProgress,
  );
  log(
    `model: ${info.modelType}, ${info.numLayers} layers, hidden ${info.hidden}, max length ${info.maxLength}, ${info.device} × ${info.threads} threads`,
  );

  try {
    resolveLayers(options.recipe.layers, info.numLayers);
  } catch (error) {
    // A layer the model does not have is a bad setting, not a model failure.
    throw new InputError('input.option', (error as Error).message);
  }

  // One embedding job for both files: the same batching as the app, and repeated sentences run once.
  const all = [...train.pairs, ...test.pairs];
  log(
    `embedding ${train.pairs.length} train + ${test.pairs.length} test pairs: ${describeRecipe(options.recipe)}`,
  );
  const embedStarted = performance.now();
  const summary = await service.embed(all, options.recipe, 2, onProgress);
  const vectors = await service.getVectors();
  const embedSeconds = (performance.now() - embedStarted) / 1000;
  if (vectors === null) throw new Error('The service returned no vectors after embedding.');
  const nTrain = train.pairs.length;
  const matrix: Matrix = vectors;
  const xTrain = selectRows(
    matrix,
    Array.from({ length: nTrain }, (_, i) => i),
  );
  const xTest = selectRows(
    matrix,
    Array.from({ length: test.pairs.length }, (_, i) => nTrain + i),
  );
  const truncatedTrain = summary.truncated.filter((i) => i < nTrain).length;
  const truncatedTest = summary.truncated.length - truncatedTrain;
  log(
    `embedded ${all.length} pairs (${summary.uniqueSequences} distinct sequences) in ${embedSeconds.toFixed(1)} s, dim ${summary.dim}`,
  );
  if (summary.truncated.length > 0) {
    log(
      `warning: ${truncatedTrain} train and ${truncatedTest} test pairs were cut to ${summary.maxLength} tokens`,
    );
  }

  log(`training ${options.classifier} on ${nTrain} × ${summary.dim} (${scheme.classes.join(', ')})`);
  const trainStarted = performance.now();
  const model = trainClassifier(
    options.classifier,
    xTrain,
    yTrain,
    nClasses,
    classifierOptions(options.classifier, options.seed, scheme.classes, log, onProgress),
  );
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  const predictions = predictAny(model, xTest);
  const trainAccuracy = accuracy(yTrain, predictAny(model, xTrain));
  const labels = scheme.classes.map((_, k) => k);
  const report = classificationReport(yTest, predictions, {
    labels,
    targetNames: scheme.classes,
    digits: 4,
  });
  const result: EvalSummary = {
    accuracy: accuracy(yTest, predictions),
    macro_f1: macroF1(yTest, predictions, nClasses),
    n_train: nTrain,
    n_test: test.pairs.length,
    n_train_unlabelled: options.train.pairs.length - nTrain,
    n_test_unlabelled: options.test.pairs.length - test.pairs.length,
    n_train_truncated: truncatedTrain,
    n_test_truncated: truncatedTest,
    preset: options.preset,
    recipe: options.recipe,
    layers_resolved: summary.recipe?.layers ?? [],
    max_length_used: summary.maxLength,
    recipe_description: describeRecipe(options.recipe),
    classifier: options.classifier,
    seed: options.seed,
    classes: scheme.classes,
    task: scheme.task,
    dim: summary.dim,
    embed_seconds: round3(embedSeconds),
    train_seconds: round3(trainSeconds),
    train_accuracy: trainAccuracy,
    model: options.model,
    dtype: options.dtype,
    device: info.device,
    threads: info.threads,
    train_file: options.train.name,
    test_file: options.test.name,
  };
  if (model.kind === 'logreg') {
    result.n_iter = model.nIter;
    result.converged = model.converged;
  }
  return {
    summary: result,
    reportText: report.text,
    confusion: confusionMatrix(yTest, predictions, nClasses),
    predictions,
    classifierModel: model,
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Defaults of the app per kind, plus class names for messages and throttled progress. */
function classifierOptions(
  kind: ClassifierKind,
  seed: number,
  classNames: readonly string[],
  log: (message: string) => void,
  onProgress: (progress: JobProgress) => void,
): ClassifierOptionsByKind[ClassifierKind] {
  let lastAt = -Infinity;
  const every = (done: number, total: number, loss: number, unit: string): void => {
    onProgress({ stage: 'train', done, total });
    const now = performance.now();
    // One log line every 2 s at most: training thousands of iterations must not flood stderr.
    if (now - lastAt < 2000) return;
    lastAt = now;
    log(`  ${unit} ${done}: loss ${loss.toFixed(5)}`);
  };
  switch (kind) {
    case 'logreg':
      return { classNames, onIteration: (i, loss) => every(i, 1000, loss, 'iteration') };
    case 'mlp':
      return { classNames, seed, onEpoch: (e, loss) => every(e, 200, loss, 'epoch') };
    case 'gbdt':
      return { classNames, onRound: (r, loss) => every(r, 100, loss, 'round') };
  }
}

/**
 * The confusion matrix as text, in the layout of the reference reports
 * (`shared/data/reference/pairscope-mini-nli-probe.txt`): a header line, then one right-aligned row per
 * true class.
 */
export function formatConfusion(confusion: readonly (readonly number[])[]): string {
  // Cells at least 5 wide, joined by one space: the reference's `' '.join(f'{v:5d}')`.
  const width = Math.max(5, ...confusion.flat().map((v) => String(v).length + 1));
  const rows = confusion.map((row) => row.map((v) => String(v).padStart(width)).join(' ') + '\n');
  return `confusion_matrix (rows = true, cols = predicted):\n${rows.join('')}`;
}
