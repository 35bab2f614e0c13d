/**
 * A small typed console API on `window.pairscope` (also what the end-to-end tests read): the vectors and
 * model inputs of the last embedding, and the loaded model.
 */
import type { Pair } from '../core/pairs';
import type { EmbeddingRecipe } from '../core/recipe';
import type {
  EmbedRunOptions,
  EmbedSummary,
  LoadModelOptions,
  ModelInfo,
  PairInputs,
  VectorsExport,
} from '../worker/protocol';

export interface PairscopeConsoleApi {
  getVectors(): Promise<VectorsExport | null>;
  getPairInputs(index: number): Promise<PairInputs | null>;
  info(): Promise<ModelInfo | null>;
  /** Loads a model in the worker (the UI does not follow; for scripts and benchmarks). */
  loadModel(options: LoadModelOptions): Promise<ModelInfo>;
  /** Embeds pairs with the loaded model, optionally with other batch limits (for scripts and benchmarks). */
  embed(pairs: Pair[], recipe: EmbeddingRecipe, run?: EmbedRunOptions): Promise<EmbedSummary>;
  /** Stops the model worker as a crash would (for testing recovery). */
  killWorker(): void;
}

declare global {
  interface Window {
    pairscope: PairscopeConsoleApi;
  }
}
