/**
 * App state: a pure reducer (unit-tested) and its types. Typed arrays are kept by reference; results of
 * stale jobs are dropped by job id.
 */
import type { Duplicate, FormatChoice, FormatDetection } from '../core/formats';
import type { ParseIssue, Pair } from '../core/pairs';
import type { EmbeddingRecipe, PresetId } from '../core/recipe';
import { presetRecipe } from '../core/recipe';
import type { ClassifierKind } from '../core/classifier';
import type {
  DevicePreference,
  Dtype,
  EmbedSummary,
  JobProgress,
  LayerProbeResult,
  ModelInfo,
  ProjectionResult,
  ServerModel,
  TrainSummary,
} from '../worker/protocol';
import type { UmapOptions } from '../core/projection';
import { DEFAULT_UMAP_OPTIONS } from '../core/projection';

/** What the model picker holds (files picked in the browser are not persisted). */
export type SourceChoice =
  | { kind: 'server'; id: string }
  | { kind: 'hub'; id: string }
  | { kind: 'files'; name: string };

export interface ClassifierSettings {
  kind: ClassifierKind;
  /** Hyper-parameters per kind (numbers), e.g. `{ c: 1, maxIter: 1000 }` for logreg. */
  params: Record<ClassifierKind, Record<string, number>>;
  scheme: 'holdout' | 'kfold';
  testFraction: number;
  k: number;
  seed: number;
  /** How digit labels read (index = digit); null = the default for the number of classes. */
  numericOrder: string[] | null;
}

export interface Settings {
  source: SourceChoice;
  dtype: Dtype;
  device: DevicePreference;
  presetId: PresetId;
  recipe: EmbeddingRecipe;
  classifier: ClassifierSettings;
  umap: UmapOptions;
}

export const DEFAULT_CLASSIFIER: ClassifierSettings = {
  kind: 'logreg',
  params: {
    logreg: { c: 1, maxIter: 1000 },
    mlp: { hidden: 64, epochs: 200, learningRate: 0.001, patience: 10 },
    gbdt: { nRounds: 100, numLeaves: 31, learningRate: 0.1 },
  },
  scheme: 'holdout',
  testFraction: 0.3,
  k: 5,
  seed: 0,
  numericOrder: null,
};

/** A job's state: idle, running with progress, done with a result, or failed with a message. */
export type JobState<T> =
  | { status: 'idle' }
  | { status: 'running'; jobId: number; progress: JobProgress | null }
  | { status: 'done'; result: T }
  | { status: 'error'; message: string };

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; jobId: number; progress: JobProgress | null }
  | { status: 'ready'; info: ModelInfo }
  | { status: 'error'; message: string };

export type EmbedState =
  | { status: 'idle' }
  | { status: 'running'; jobId: number; progress: JobProgress | null }
  | { status: 'done'; summary: EmbedSummary; pairs: Pair[] }
  | {
      status: 'error';
      message: string;
      /** Set when the worker stopped mid-job: this many pairs (from the start) are embedded and kept. */
      resumable?: { done: number; total: number };
    };

export interface AppState {
  pairsText: string;
  pairs: Pair[];
  issues: ParseIssue[];
  /** Pairs that repeat an earlier pair (flagged, kept). */
  duplicates: Duplicate[];
  /** How the text is read: chosen by the user, or null to detect it. */
  pairsFormat: FormatChoice | null;
  /** What detection found in the current text (for the format line and the mapping editor). */
  detection: FormatDetection | null;
  /** The input had more pairs than the app reads; the rest was left out. */
  pairsTruncated: boolean;
  /** Progress of reading a large text, in characters; null when not reading. */
  reading: { done: number; total: number } | null;
  /** The last opened file, and why it was refused (null when it was read). */
  pairsFile: { name: string; error: string | null } | null;
  settings: Settings;
  model: ModelState;
  embed: EmbedState;
  /** A note that is not an error (e.g. the worker was restarted). */
  notice: string | null;
  /** Model folders the app's server offers; null until the list arrived. */
  serverModels: ServerModel[] | null;
  train: JobState<TrainSummary>;
  probe: JobState<LayerProbeResult>;
  projection: JobState<ProjectionResult>;
  /** Intermediate layout of the running projection (rows × 2). */
  layoutPreview: Float32Array | null;
}

export const DEFAULT_SETTINGS: Settings = {
  source: { kind: 'hub', id: 'Xenova/bert-base-uncased' },
  dtype: 'fp32',
  device: 'auto',
  presetId: 'origin',
  recipe: presetRecipe('origin'),
  classifier: DEFAULT_CLASSIFIER,
  umap: { ...DEFAULT_UMAP_OPTIONS },
};

/**
 * Settings saved by older versions may lack newer fields: fills them from the defaults. Map settings saved
 * before the UMAP engine setting existed had no PCA by default (`pcaDims: null`); they get today's default
 * (PCA to 50 dimensions for the neighbour search), which finds nearly the same neighbours much faster.
 */
export function completeSettings(settings: Partial<Settings>): Settings {
  const umap: Partial<UmapOptions> = { ...settings.umap };
  if (settings.umap && !('engine' in settings.umap) && umap.pcaDims === null) {
    delete umap.pcaDims;
  }
  return {
    ...DEFAULT_SETTINGS,
    ...settings,
    classifier: { ...DEFAULT_CLASSIFIER, ...settings.classifier },
    umap: { ...DEFAULT_UMAP_OPTIONS, ...umap },
  };
}

export function initialState(): AppState {
  return {
    pairsText: '',
    pairs: [],
    issues: [],
    duplicates: [],
    pairsFormat: null,
    detection: null,
    pairsTruncated: false,
    reading: null,
    pairsFile: null,
    settings: DEFAULT_SETTINGS,
    model: { status: 'idle' },
    embed: { status: 'idle' },
    notice: null,
    serverModels: null,
    train: { status: 'idle' },
    probe: { status: 'idle' },
    projection: { status: 'idle' },
    layoutPreview: null,
  };
}

/** The pairs text, how it was read, and what came out. */
export interface PairsInput {
  text: string;
  format: FormatChoice | null;
  detection: FormatDetection | null;
  pairs: Pair[];
  issues: ParseIssue[];
  duplicates: Duplicate[];
  truncated: boolean;
}

function withPairs(state: AppState, input: PairsInput): AppState {
  return {
    ...state,
    pairsText: input.text,
    pairsFormat: input.format,
    detection: input.detection,
    pairs: input.pairs,
    issues: input.issues,
    duplicates: input.duplicates,
    pairsTruncated: input.truncated,
    reading: null,
  };
}

export type Action =
  | { type: 'restore'; pairs: PairsInput; settings: Settings }
  | { type: 'pairs-changed'; pairs: PairsInput }
  | { type: 'pairs-reading'; text: string; done: number; total: number }
  /** A file was opened (error null) or refused (error says why; the text is untouched). */
  | { type: 'pairs-file'; name: string; error: string | null }
  /** Saved results (this browser's storage or a session file) are back in the worker. */
  | {
      type: 'results-restored';
      summary: EmbedSummary;
      pairs: Pair[];
      projection: ProjectionResult | null;
      train: TrainSummary | null;
    }
  | { type: 'new-session' }
  | { type: 'settings-changed'; settings: Partial<Settings> }
  | { type: 'model-load-started'; jobId: number }
  | { type: 'model-progress'; jobId: number; progress: JobProgress }
  | { type: 'model-loaded'; jobId: number; info: ModelInfo }
  | { type: 'model-failed'; jobId: number; message: string }
  | { type: 'model-load-cancelled'; jobId: number }
  | { type: 'embed-started'; jobId: number }
  | { type: 'embed-progress'; jobId: number; progress: JobProgress }
  | { type: 'embed-done'; jobId: number; summary: EmbedSummary; pairs: Pair[] }
  | {
      type: 'embed-failed';
      jobId: number;
      message: string;
      resumable?: { done: number; total: number };
    }
  | { type: 'embed-cancelled'; jobId: number }
  | { type: 'worker-restarted'; reason: string }
  /** The model was loaded again by a resumed job (not a user load: the embedding is kept). */
  | { type: 'model-reloaded'; info: ModelInfo }
  | { type: 'notice'; message: string | null }
  | { type: 'server-models'; models: ServerModel[] }
  | { type: 'job'; job: 'train'; update: JobUpdate<TrainSummary> }
  | { type: 'job'; job: 'probe'; update: JobUpdate<LayerProbeResult> }
  | { type: 'job'; job: 'projection'; update: JobUpdate<ProjectionResult> }
  | { type: 'layout-preview'; jobId: number; coordinates: Float32Array };

/** Transitions of a JobState; updates of a job that is no longer current are dropped. */
export type JobUpdate<T> =
  | { kind: 'started'; jobId: number }
  | { kind: 'progress'; jobId: number; progress: JobProgress }
  | { kind: 'done'; jobId: number; result: T }
  | { kind: 'failed'; jobId: number; message: string }
  | { kind: 'cancelled'; jobId: number };

/** Applies a job update; pure. */
export function updateJob<T>(job: JobState<T>, update: JobUpdate<T>): JobState<T> {
  if (update.kind === 'started') return { status: 'running', jobId: update.jobId, progress: null };
  if (job.status !== 'running' || job.jobId !== update.jobId) return job;
  switch (update.kind) {
    case 'progress':
      return { status: 'running', jobId: update.jobId, progress: update.progress };
    case 'done':
      return { status: 'done', result: update.result };
    case 'failed':
      return { status: 'error', message: update.message };
    case 'cancelled':
      return { status: 'idle' };
  }
}

const isCurrentLoad = (state: AppState, jobId: number) =>
  state.model.status === 'loading' && state.model.jobId === jobId;
const isCurrentEmbed = (state: AppState, jobId: number) =>
  state.embed.status === 'running' && state.embed.jobId === jobId;

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'restore':
      return {
        ...withPairs(state, action.pairs),
        settings: completeSettings(action.settings),
        embed: { status: 'idle' },
        train: { status: 'idle' },
        probe: { status: 'idle' },
        projection: { status: 'idle' },
        layoutPreview: null,
      };
    case 'results-restored':
      return {
        ...state,
        embed: { status: 'done', summary: action.summary, pairs: action.pairs },
        projection: action.projection ? { status: 'done', result: action.projection } : { status: 'idle' },
        train: action.train ? { status: 'done', result: action.train } : { status: 'idle' },
        probe: { status: 'idle' },
        layoutPreview: null,
      };
    case 'new-session':
      return {
        ...initialState(),
        serverModels: state.serverModels,
        model: state.model.status === 'ready' ? state.model : { status: 'idle' },
        settings: {
          ...DEFAULT_SETTINGS,
          source: state.settings.source,
          dtype: state.settings.dtype,
          device: state.settings.device,
        },
        notice: 'New session: the pairs, results and settings were cleared (the model stays loaded).',
      };
    case 'pairs-changed':
      return withPairs(state, action.pairs);
    case 'pairs-file':
      return { ...state, pairsFile: { name: action.name, error: action.error } };
    case 'pairs-reading':
      return { ...state, pairsText: action.text, reading: { done: action.done, total: action.total } };
    case 'settings-changed': {
      const settings = { ...state.settings, ...action.settings };
      const sourceChanged =
        action.settings.source !== undefined ||
        action.settings.dtype !== undefined ||
        action.settings.device !== undefined;
      return {
        ...state,
        settings,
        model: sourceChanged && state.model.status === 'ready' ? { status: 'idle' } : state.model,
      };
    }
    case 'model-load-started':
      return { ...state, model: { status: 'loading', jobId: action.jobId, progress: null }, notice: null };
    case 'model-progress':
      return isCurrentLoad(state, action.jobId)
        ? { ...state, model: { status: 'loading', jobId: action.jobId, progress: action.progress } }
        : state;
    case 'model-loaded':
      return isCurrentLoad(state, action.jobId)
        ? { ...state, model: { status: 'ready', info: action.info }, embed: { status: 'idle' } }
        : state;
    case 'model-failed':
      return isCurrentLoad(state, action.jobId)
        ? { ...state, model: { status: 'error', message: action.message } }
        : state;
    case 'model-reloaded':
      return { ...state, model: { status: 'ready', info: action.info } };
    case 'model-load-cancelled':
      return isCurrentLoad(state, action.jobId) ? { ...state, model: { status: 'idle' } } : state;
    case 'embed-started':
      return { ...state, embed: { status: 'running', jobId: action.jobId, progress: null }, notice: null };
    case 'embed-progress':
      return isCurrentEmbed(state, action.jobId)
        ? { ...state, embed: { status: 'running', jobId: action.jobId, progress: action.progress } }
        : state;
    case 'embed-done':
      return isCurrentEmbed(state, action.jobId)
        ? {
            ...state,
            embed: { status: 'done', summary: action.summary, pairs: action.pairs },
            train: { status: 'idle' },
            probe: { status: 'idle' },
            projection: { status: 'idle' },
            layoutPreview: null,
          }
        : state;
    case 'embed-failed':
      return isCurrentEmbed(state, action.jobId)
        ? { ...state, embed: { status: 'error', message: action.message, resumable: action.resumable } }
        : state;
    case 'embed-cancelled':
      return isCurrentEmbed(state, action.jobId)
        ? { ...state, embed: { status: 'idle' }, notice: 'Embedding cancelled.' }
        : state;
    case 'worker-restarted':
      return {
        ...state,
        model: { status: 'idle' },
        // A running embedding reports its own end (with what it kept); finished vectors died with the worker.
        embed: state.embed.status === 'running' ? state.embed : { status: 'idle' },
        train: { status: 'idle' },
        probe: { status: 'idle' },
        projection: { status: 'idle' },
        layoutPreview: null,
        notice: action.reason,
      };
    case 'notice':
      return { ...state, notice: action.message };
    case 'job':
      switch (action.job) {
        case 'train':
          return { ...state, train: updateJob(state.train, action.update) };
        case 'probe':
          return { ...state, probe: updateJob(state.probe, action.update) };
        case 'projection': {
          const projection = updateJob(state.projection, action.update);
          return {
            ...state,
            projection,
            layoutPreview: projection.status === 'running' ? state.layoutPreview : null,
          };
        }
      }
      return state;
    case 'layout-preview':
      return state.projection.status === 'running' && state.projection.jobId === action.jobId
        ? { ...state, layoutPreview: action.coordinates }
        : state;
    case 'server-models': {
      // While the source is still the untouched default, prefer a local model: it needs no download.
      const first = action.models.find((m) => m.id === 'pairscope-mini-nli') ?? action.models[0];
      const untouched = state.settings.source === DEFAULT_SETTINGS.source;
      const settings: Settings =
        first && untouched ? { ...state.settings, source: { kind: 'server', id: first.id } } : state.settings;
      return { ...state, serverModels: action.models, settings };
    }
  }
}
