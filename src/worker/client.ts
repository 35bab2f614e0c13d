/**
 * Main-thread side of the model worker: creates the worker lazily, wraps it with comlink, turns an
 * AbortSignal into `cancel(jobId)`, and restarts the worker when it crashes or does not stop within
 * `HARD_CANCEL_MS` of a cancel. The UI talks to the model only through this class.
 */
import * as Comlink from 'comlink';
import type { Pair } from '../core/pairs';
import type { Metric } from '../core/neighbors';
import type { UmapOptions } from '../core/projection';
import type { EmbeddingRecipe } from '../core/recipe';
import type {
  EmbedRunOptions,
  EmbedSummary,
  ImportVectorsOptions,
  LayerProbeResult,
  ProjectionResult,
  TrainRequest,
  TrainSummary,
  LoadModelOptions,
  ModelInfo,
  PairDetail,
  PairInputs,
  PairscopeApi,
  ProgressCallback,
  VectorsExport,
} from './protocol';

/** How long a cancelled job may take to stop at its next batch before the worker is terminated. */
const HARD_CANCEL_MS = 2000;

function abortError(): Error {
  const error = new Error('The job was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** What pending calls reject with when the worker dies; `reason` is the cause alone, for callers that explain it their own way. */
export class WorkerCrashError extends Error {
  constructor(readonly reason: string) {
    super(`${reason} It was restarted; load the model again.`);
    this.name = 'WorkerCrashError';
  }
}

export class PairscopeClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<PairscopeApi> | null = null;
  private nextJobId = 1;
  /** Shared cancel flags (see PairscopeApi.setCancelFlags); null without cross-origin isolation. */
  private cancelFlags: Int32Array | null = null;
  /** Rejects every pending call when the worker dies. */
  private crashListeners = new Set<(error: Error) => void>();
  /** The `threads` of the worker's model loads so far; undefined before the first. */
  private workerThreads: LoadModelOptions['threads'] | undefined = undefined;
  /** Called after the worker was restarted (the model must be loaded again). */
  onRestart: ((reason: string) => void) | null = null;

  private api(): Comlink.Remote<PairscopeApi> {
    if (this.remote) return this.remote;
    // The `new Worker(new URL(...))` expression must stay literal for Vite to bundle the worker.
    const worker = new Worker(new URL('./pairscope.worker.ts', import.meta.url), {
      type: 'module',
      name: 'pairscope',
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.crash(`The model worker crashed (${event.message || 'likely out of memory'}).`);
    });
    this.worker = worker;
    this.remote = Comlink.wrap<PairscopeApi>(worker);
    if (globalThis.crossOriginIsolated) {
      this.cancelFlags = new Int32Array(new SharedArrayBuffer(64 * Int32Array.BYTES_PER_ELEMENT));
      void this.remote.setCancelFlags(this.cancelFlags);
    }
    return this.remote;
  }

  private crash(reason: string): void {
    this.terminate();
    const error = new WorkerCrashError(reason);
    for (const listener of this.crashListeners) listener(error);
    this.onRestart?.(reason);
  }

  /** Stops the worker now; the next call starts a fresh one. */
  terminate(): void {
    this.workerThreads = undefined;
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }

  /** Runs a job with cancellation: soft via `cancel(jobId)`, hard by terminating the worker. */
  private job<T>(
    run: (api: Comlink.Remote<PairscopeApi>, jobId: number) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError());
    const api = this.api();
    const jobId = this.nextJobId++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let hardTimer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        settled = true;
        clearTimeout(hardTimer);
        signal?.removeEventListener('abort', onAbort);
        this.crashListeners.delete(onCrash);
      };
      const onCrash = (error: Error) => {
        if (settled) return;
        finish();
        reject(error);
      };
      const onAbort = () => {
        if (this.cancelFlags) Atomics.store(this.cancelFlags, jobId % this.cancelFlags.length, jobId);
        void api.cancel(jobId);
        hardTimer = setTimeout(() => {
          if (settled) return;
          finish();
          this.terminate();
          this.onRestart?.('A job did not stop in time and the model worker was restarted.');
          reject(abortError());
        }, HARD_CANCEL_MS);
      };
      signal?.addEventListener('abort', onAbort);
      this.crashListeners.add(onCrash);
      run(api, jobId).then(
        (value) => {
          if (settled) return;
          finish();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Starts the worker and its runtime for a first model load on `device` (all cores), while the user is
   * still choosing: ONNX Runtime's wasm and threads then cost nothing at the load. Does nothing once a
   * worker runs; never fails.
   */
  prepareRuntime(device: LoadModelOptions['device']): void {
    if (this.worker) return;
    void this.api()
      .prepareRuntime(device)
      .catch(() => undefined);
    this.workerThreads = null;
  }

  /**
   * Loads a model. ONNX Runtime Web fixes its thread count when its wasm first starts in a worker, so a
   * request for another count than the worker's earlier loads starts a fresh worker first (whatever the
   * old one held is gone, as after a crash).
   */
  loadModel(
    options: LoadModelOptions,
    onProgress: ProgressCallback,
    signal?: AbortSignal,
  ): Promise<ModelInfo> {
    if (this.worker && this.workerThreads !== undefined && this.workerThreads !== options.threads) {
      this.terminate();
    }
    return this.job((api, id) => api.loadModel(options, id, Comlink.proxy(onProgress)), signal).then(
      (info) => {
        this.workerThreads = options.threads;
        return info;
      },
    );
  }

  embed(
    pairs: Pair[],
    recipe: EmbeddingRecipe,
    onProgress: ProgressCallback,
    signal?: AbortSignal,
    run?: EmbedRunOptions,
  ): Promise<EmbedSummary> {
    return this.job((api, id) => api.embed(pairs, recipe, id, Comlink.proxy(onProgress), run), signal);
  }

  train(request: TrainRequest, onProgress: ProgressCallback, signal?: AbortSignal): Promise<TrainSummary> {
    return this.job((api, id) => api.train(request, id, Comlink.proxy(onProgress)), signal);
  }

  layerProbe(
    request: TrainRequest,
    onProgress: ProgressCallback,
    signal?: AbortSignal,
  ): Promise<LayerProbeResult> {
    return this.job((api, id) => api.layerProbe(request, id, Comlink.proxy(onProgress)), signal);
  }

  project(
    options: UmapOptions,
    onProgress: ProgressCallback,
    onLayout: (coordinates: Float32Array) => void,
    signal?: AbortSignal,
  ): Promise<ProjectionResult> {
    return this.job(
      (api, id) => api.project(options, id, Comlink.proxy(onProgress), Comlink.proxy(onLayout)),
      signal,
    );
  }

  pairDetail(index: number, k: number, metric: Metric): Promise<PairDetail> {
    return this.job((api) => api.pairDetail(index, k, metric));
  }

  getClassifierJson(): Promise<string | null> {
    return this.job((api) => api.getClassifierJson());
  }

  info(): Promise<ModelInfo | null> {
    return this.job((api) => api.info());
  }

  getVectors(fromRow = 0): Promise<VectorsExport | null> {
    return this.job((api) => api.getVectors(fromRow));
  }

  /** Terminates the worker as a crash would: pending calls fail with a WorkerCrashError (tests, console). */
  simulateCrash(): void {
    this.crash('The model worker was stopped.');
  }

  getPairInputs(index: number): Promise<PairInputs | null> {
    return this.job((api) => api.getPairInputs(index));
  }

  /** Sends a copy of `vectors` (the caller keeps its own). */
  importVectors(pairs: Pair[], vectors: VectorsExport, options: ImportVectorsOptions): Promise<EmbedSummary> {
    return this.job((api) => api.importVectors(pairs, vectors, options));
  }
}
