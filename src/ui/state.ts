/**
 * App state: a pure reducer (unit-tested) and its types. Typed arrays are kept by reference; results of
 * stale jobs are dropped by job id.
 */
import type { ParseIssue, Pair } from '../core/pairs';
import type { EmbeddingRecipe, PresetId } from '../core/recipe';
import { presetRecipe } from '../core/recipe';
import type {
  DevicePreference,
  Dtype,
  EmbedSummary,
  JobProgress,
  ModelInfo,
  ServerModel,
} from '../worker/protocol';

/** What the model picker holds (files picked in the browser are not persisted). */
export type SourceChoice =
  | { kind: 'server'; id: string }
  | { kind: 'hub'; id: string }
  | { kind: 'files'; name: string };

export interface Settings {
  source: SourceChoice;
  dtype: Dtype;
  device: DevicePreference;
  presetId: PresetId;
  recipe: EmbeddingRecipe;
}

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; jobId: number; progress: JobProgress | null }
  | { status: 'ready'; info: ModelInfo }
  | { status: 'error'; message: string };

export type EmbedState =
  | { status: 'idle' }
  | { status: 'running'; jobId: number; progress: JobProgress | null }
  | { status: 'done'; summary: EmbedSummary; pairs: Pair[] }
  | { status: 'error'; message: string };

export interface AppState {
  pairsText: string;
  pairs: Pair[];
  issues: ParseIssue[];
  settings: Settings;
  model: ModelState;
  embed: EmbedState;
  /** A note that is not an error (e.g. the worker was restarted). */
  notice: string | null;
  /** Model folders the app's server offers; null until the list arrived. */
  serverModels: ServerModel[] | null;
}

export const DEFAULT_SETTINGS: Settings = {
  source: { kind: 'hub', id: 'Xenova/bert-base-uncased' },
  dtype: 'fp32',
  device: 'auto',
  presetId: 'origin',
  recipe: presetRecipe('origin'),
};

export function initialState(): AppState {
  return {
    pairsText: '',
    pairs: [],
    issues: [],
    settings: DEFAULT_SETTINGS,
    model: { status: 'idle' },
    embed: { status: 'idle' },
    notice: null,
    serverModels: null,
  };
}

export type Action =
  | { type: 'restore'; pairsText: string; pairs: Pair[]; issues: ParseIssue[]; settings: Settings }
  | { type: 'pairs-changed'; text: string; pairs: Pair[]; issues: ParseIssue[] }
  | { type: 'settings-changed'; settings: Partial<Settings> }
  | { type: 'model-load-started'; jobId: number }
  | { type: 'model-progress'; jobId: number; progress: JobProgress }
  | { type: 'model-loaded'; jobId: number; info: ModelInfo }
  | { type: 'model-failed'; jobId: number; message: string }
  | { type: 'model-load-cancelled'; jobId: number }
  | { type: 'embed-started'; jobId: number }
  | { type: 'embed-progress'; jobId: number; progress: JobProgress }
  | { type: 'embed-done'; jobId: number; summary: EmbedSummary; pairs: Pair[] }
  | { type: 'embed-failed'; jobId: number; message: string }
  | { type: 'embed-cancelled'; jobId: number }
  | { type: 'worker-restarted'; reason: string }
  | { type: 'notice'; message: string | null }
  | { type: 'server-models'; models: ServerModel[] };

const isCurrentLoad = (state: AppState, jobId: number) =>
  state.model.status === 'loading' && state.model.jobId === jobId;
const isCurrentEmbed = (state: AppState, jobId: number) =>
  state.embed.status === 'running' && state.embed.jobId === jobId;

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'restore':
      return {
        ...state,
        pairsText: action.pairsText,
        pairs: action.pairs,
        issues: action.issues,
        settings: action.settings,
      };
    case 'pairs-changed':
      return { ...state, pairsText: action.text, pairs: action.pairs, issues: action.issues };
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
        ? { ...state, embed: { status: 'done', summary: action.summary, pairs: action.pairs } }
        : state;
    case 'embed-failed':
      return isCurrentEmbed(state, action.jobId)
        ? { ...state, embed: { status: 'error', message: action.message } }
        : state;
    case 'embed-cancelled':
      return isCurrentEmbed(state, action.jobId)
        ? { ...state, embed: { status: 'idle' }, notice: 'Embedding cancelled.' }
        : state;
    case 'worker-restarted':
      return { ...state, model: { status: 'idle' }, embed: { status: 'idle' }, notice: action.reason };
    case 'notice':
      return { ...state, notice: action.message };
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
