/**
 * A small typed console API on `window.pairscope` (also what the end-to-end tests read): the vectors and
 * model inputs of the last embedding, and the loaded model.
 */
import type { ModelInfo, PairInputs, VectorsExport } from '../worker/protocol';

export interface PairscopeConsoleApi {
  getVectors(): Promise<VectorsExport | null>;
  getPairInputs(index: number): Promise<PairInputs | null>;
  info(): Promise<ModelInfo | null>;
  /** Stops the model worker as a crash would (for testing recovery). */
  killWorker(): void;
}

declare global {
  interface Window {
    pairscope: PairscopeConsoleApi;
  }
}
