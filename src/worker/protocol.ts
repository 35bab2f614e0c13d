/**
 * The one typed API between the UI and the model worker. Types only: the UI imports this file with
 * `import type`, the worker service implements `PairscopeApi`. Everything that crosses is structured-clonable.
 */
import type { ClassifierKind } from '../core/classifier';
import type { EvaluationResult, EvaluationScheme } from '../core/evaluation';
import type { Metric, Neighbor } from '../core/neighbors';
import type { UmapOptions } from '../core/projection';
import type { EmbeddingRecipe } from '../core/recipe';
import type { BatchingOptions } from '../core/encode';
import type { EmbedTiming } from '../core/embed';
import type { Pair } from '../core/pairs';

/** Where a model's files come from. */
export type ModelSource =
  /** A Hugging Face Hub repository in transformers.js layout (`onnx/model*.onnx`, tokenizer.json …). */
  | { kind: 'hub'; id: string; revision?: string }
  /** A folder the app's server exposes under `/models/<id>/` (see README: PAIRSCOPE_MODELS_DIR). */
  | { kind: 'server'; id: string }
  /** A folder the user picked or dropped; paths are relative to the folder (`onnx/model.onnx`). */
  | { kind: 'files'; name: string; files: { path: string; file: Blob }[] };

/** Weight formats transformers.js exports name by file suffix. */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';

export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

export interface LoadModelOptions {
  source: ModelSource;
  dtype: Dtype;
  device: DevicePreference;
  /** WASM threads; null = all cores the browser reports. */
  threads: number | null;
  /**
   * Which ONNX Runtime Web build runs the WASM device: 'plain' (default, faster) or 'asyncify' (the build
   * WebGPU needs). For benchmarks that compare the two; Node ignores it.
   */
  wasmBuild?: WasmBuild;
}

export type WasmBuild = 'plain' | 'asyncify';

/** How the hidden layers are obtained from the graph. */
export type LayerAccess = 'native' | 'graph-edit' | 'last-only';

export interface ModelInfo {
  /** What the user picked, for display: hub id, server folder or dropped folder name. */
  label: string;
  modelType: string;
  /** What tokenizes the text, e.g. "BertTokenizer (transformers.js)". */
  tokenizer: string;
  numLayers: number;
  hidden: number;
  maxLength: number;
  vocabSize: number;
  dtype: Dtype;
  device: 'webgpu' | 'wasm' | 'cpu';
  threads: number;
  /** Why WebGPU was not used although asked for or available; null when it was used or not asked. */
  deviceNote: string | null;
  layerAccess: LayerAccess;
  /** Hidden-state indices the recipe may use (0 … numLayers, or only numLayers). */
  availableLayers: number[];
  /** Note to show about layer access (e.g. a graph that could not be understood). */
  layerNote: string | null;
  files: { path: string; bytes: number }[];
  loadMs: number;
}

/** One progress shape for every long job; throttled by the worker (per batch, ≥ ~100 ms apart). */
export interface JobProgress {
  stage: 'download' | 'load' | 'embed' | 'umap' | 'train';
  done: number;
  total: number;
  /** e.g. the file being downloaded. */
  detail?: string;
}

export type ProgressCallback = (progress: JobProgress) => void;

/** Where the current vectors came from: this worker's model, a file made elsewhere, or a saved session. */
export type VectorsOrigin = 'embedded' | 'imported' | 'restored';

/** What {@link PairscopeApi.importVectors} is told about vectors it did not compute. */
export interface ImportVectorsOptions {
  origin: Exclude<VectorsOrigin, 'embedded'>;
  /** The recipe that made them, when known (a restored session); null for vectors made elsewhere. */
  recipe: EmbeddingRecipe | null;
  /** For the user: e.g. the file name. */
  note: string;
}

export interface EmbedSummary {
  origin: VectorsOrigin;
  /** For imported or restored vectors: where they came from. */
  note: string | null;
  rows: number;
  dim: number;
  elapsedMs: number;
  pairsPerSecond: number;
  /** Where this run's time went (tokenising, forward passes, pooling); null for imported vectors. */
  timing: EmbedTiming | null;
  /** Indices of pairs whose input was cut to `maxLength`. */
  truncated: number[];
  maxLength: number;
  /** The requested max length was larger than the model allows and was clamped. */
  maxLengthClamped: boolean;
  uniqueSequences: number;
  /** Sequences whose vectors came from the cache of earlier embeddings (not run again). */
  cachedSequences: number;
  /** The device that embedded; null for imported vectors. */
  device: ModelInfo['device'] | null;
  threads: number;
  /** The recipe that produced the vectors, after resolving negative layers; null when unknown (imported). */
  recipe: EmbeddingRecipe | null;
  /** Tokens per pair (both sentences in sentence mode), for colouring the map. */
  tokenCounts: Int32Array;
}

export interface PairDetail {
  index: number;
  /** L2 norm of the pair vector. */
  norm: number;
  neighbors: Neighbor[];
}

/** A 2-D layout of the last embedding; `coordinates` is `rows × 2`, row-major. */
export interface ProjectionResult {
  coordinates: Float32Array;
  rows: number;
  nNeighborsUsed: number;
  pcaDimsUsed: number | null;
  epochs: number;
  elapsedMs: number;
  options: UmapOptions;
}

/** How an embedding runs (benchmarks change these; the app uses the defaults). */
export interface EmbedRunOptions {
  /** Batch limits; default 32 sequences / 8,192 padded tokens. 1 sequence mimics a one-pair-per-pass loop. */
  batching?: BatchingOptions;
  /** Reuse vectors of texts embedded before with the same settings (default true). */
  cache?: boolean;
  /**
   * Append these pairs' vectors to the current embedding (made with the same recipe) instead of replacing
   * it: long jobs run in chunks, so that a crash loses one chunk at most.
   */
  append?: boolean;
}

/** Model inputs of one pair, for inspection (and tests). */
export interface PairInputs {
  sequences: { ids: number[]; typeIds: number[]; tokens: string[] }[];
  truncated: boolean;
}

/** Raw vectors for export; `data.length === rows * dim`, row-major. */
export interface VectorsExport {
  data: Float32Array;
  rows: number;
  dim: number;
}

/** A model folder the app's server offers. */
export interface ServerModel {
  id: string;
  modelType: string | null;
  dtypes: Dtype[];
  files: { path: string; bytes: number }[];
}

/** What to train on the last embedding's vectors. */
export interface TrainRequest {
  /** Class id per pair of the last embedding (index into `classNames`), null = unlabelled (to predict). */
  labels: (number | null)[];
  classNames: string[];
  classifier: ClassifierKind;
  /** Hyper-parameters of the classifier (numbers only; see core/logreg, mlp, gbdt). */
  params: Record<string, number>;
  scheme: EvaluationScheme;
  seed: number;
}

/**
 * The evaluation of `core/evaluation.ts` as it crosses to the UI: the report as text, the model kept in the
 * worker (see `getClassifierJson`).
 */
export type TrainSummary = Omit<EvaluationResult, 'report' | 'model'> & {
  classifier: ClassifierKind;
  /** scikit-learn's classification_report text (digits=4), on the test pairs only. */
  reportText: string;
  elapsedMs: number;
};

export interface LayerProbeResult {
  /** One entry per hidden layer 0 … N, same recipe otherwise. */
  layers: { layer: number; accuracy: number; macroF1: number }[];
  classifier: ClassifierKind;
  elapsedMs: number;
}

export interface PairscopeApi {
  /**
   * Shares cancellation flags with the client (a SharedArrayBuffer, when the page is cross-origin isolated):
   * slot `jobId % length` holds `jobId` once that job is cancelled. Lets synchronous loops (training) see a
   * cancel without yielding to the event loop.
   */
  setCancelFlags(flags: Int32Array): void;
  /** Trains and evaluates a classifier on the last embedding; predictions for every pair. */
  train(request: TrainRequest, jobId: number, onProgress: ProgressCallback): Promise<TrainSummary>;
  /** The probe: the same evaluation on each hidden layer alone (one model pass for all layers). */
  layerProbe(request: TrainRequest, jobId: number, onProgress: ProgressCallback): Promise<LayerProbeResult>;
  /**
   * UMAP of the last embedding's vectors; progress through every phase (PCA, neighbours, epochs), with
   * intermediate layouts in `onLayout`. Re-projecting never re-embeds.
   */
  project(
    options: UmapOptions,
    jobId: number,
    onProgress: ProgressCallback,
    onLayout: (coordinates: Float32Array) => void,
  ): Promise<ProjectionResult>;
  /** Pair `index`'s vector norm and its k nearest pairs in the full embedding space (not the 2-D map). */
  pairDetail(index: number, k: number, metric: Metric): Promise<PairDetail>;
  /** The last trained classifier as JSON (for export). */
  getClassifierJson(): Promise<string | null>;
  /** Starts the runtime for a first model load on `device` ahead of it (a warm-up; never fails). */
  prepareRuntime(device: LoadModelOptions['device']): Promise<void>;
  /** Loads (or reuses) a model; `jobId` lets `cancel` stop the download. */
  loadModel(options: LoadModelOptions, jobId: number, onProgress: ProgressCallback): Promise<ModelInfo>;
  /** Embeds pairs with the loaded model; vectors stay in the worker. Starting a new embed cancels the old one. */
  embed(
    pairs: Pair[],
    recipe: EmbeddingRecipe,
    jobId: number,
    onProgress: ProgressCallback,
    run?: EmbedRunOptions,
  ): Promise<EmbedSummary>;
  /** Asks the job to stop at its next batch; it then rejects with an error named `AbortError`. */
  cancel(jobId: number): void;
  info(): Promise<ModelInfo | null>;
  /** A copy of the last embedding's vectors (transferred). */
  /** A copy of the current vectors from row `fromRow` on (default 0: all of them). */
  getVectors(fromRow?: number): Promise<VectorsExport | null>;
  /** The model inputs of pair `index` of the last embedding. */
  getPairInputs(index: number): Promise<PairInputs | null>;
  /**
   * Makes `vectors` (`rows === pairs.length`, row-major) the current embedding, as if embedded here: for
   * vectors made elsewhere (`.npy` / TSV), a restored session, or the finished part of a job the worker lost.
   * Later map and classifier jobs use them; the model is not needed.
   */
  importVectors(pairs: Pair[], vectors: VectorsExport, options: ImportVectorsOptions): Promise<EmbedSummary>;
}
