/**
 * The model worker's service: implements `PairscopeApi` on top of an injected runtime. The N×D vectors live
 * here; the UI gets summaries and what it shows. Jobs check for cancellation between batches and then throw
 * an `AbortError`; starting a new job of a kind cancels the previous one of that kind.
 */
import type { ClassifierModel } from '../core/classifier';
import { embedPairs, layerPairVectors } from '../core/embed';
import type { BatchingOptions, EncodedPair } from '../core/encode';
import { evaluateClassifier } from '../core/evaluation';
import type { EvaluationResult } from '../core/evaluation';
import type { Matrix } from '../core/matrix';
import { assertFiniteMatrix } from '../core/matrix';
import { nearestNeighbors } from '../core/neighbors';
import type { Metric } from '../core/neighbors';
import { projectUmap } from '../core/projection';
import type { UmapOptions } from '../core/projection';
import { AbortError, InputError, ModelError } from '../core/errors';
import type { Pair } from '../core/pairs';
import { assertHasPairs } from '../core/pairs';
import type { EmbeddingRecipe } from '../core/recipe';
import { resolveLayers } from '../core/recipe';
import type { EncoderRuntime, LoadedEncoder } from './model-loader';
import { loadEncoder } from './model-loader';
import type {
  EmbedRunOptions,
  EmbedSummary,
  ImportVectorsOptions,
  JobProgress,
  LayerProbeResult,
  LoadModelOptions,
  ModelInfo,
  PairDetail,
  PairInputs,
  PairscopeApi,
  ProgressCallback,
  ProjectionResult,
  TrainRequest,
  TrainSummary,
  VectorsExport,
} from './protocol';

/**
 * Most pooled sequence vectors kept per model (e.g. 200k × 768 floats ≈ 600 MB would be too many; 50k × 768
 * ≈ 150 MB at BERT-base size). Past it the cache starts over: simple, and a re-embed is only slower.
 */
const CACHE_LIMIT = 50_000;

/** A Map that empties itself when it reaches `limit` entries. */
class BoundedCache extends Map<string, Float32Array> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: string, value: Float32Array): this {
    if (this.size >= this.limit) this.clear();
    return super.set(key, value);
  }
}

/** Progress reports are at least this far apart (the last one of a job is always sent). */
const PROGRESS_INTERVAL_MS = 100;

/** Batches: at most 32 sequences and 8,192 padded tokens (keeps wasm memory per batch modest). */
export const BATCHING: BatchingOptions = { maxBatchSize: 32, maxBatchTokens: 8192 };

type JobKind = 'load' | 'embed' | 'train' | 'project';

/** The vectors later jobs use, with what is known about how each pair was encoded. */
interface CurrentEmbedding {
  vectors: Matrix;
  /** Per pair, its model inputs; undefined for pairs whose vectors were imported or restored. */
  encoded: (EncodedPair | undefined)[];
  truncated: number[];
  tokenCounts: Int32Array;
  maxLength: number;
}

/** `a` followed by `b` (rows of equal width). */
function appendEmbedding(a: CurrentEmbedding, b: CurrentEmbedding): CurrentEmbedding {
  if (a.vectors.dim !== b.vectors.dim) {
    throw new ModelError(
      'model.not-loaded',
      `Cannot continue: the earlier vectors have ${a.vectors.dim} dimensions, the new ones ${b.vectors.dim}. Embed again from the start.`,
    );
  }
  const data = new Float32Array(a.vectors.data.length + b.vectors.data.length);
  data.set(a.vectors.data);
  data.set(b.vectors.data, a.vectors.data.length);
  const tokenCounts = new Int32Array(a.tokenCounts.length + b.tokenCounts.length);
  tokenCounts.set(a.tokenCounts);
  tokenCounts.set(b.tokenCounts, a.tokenCounts.length);
  const offset = a.vectors.rows;
  return {
    vectors: { data, rows: a.vectors.rows + b.vectors.rows, dim: a.vectors.dim },
    encoded: [...a.encoded, ...b.encoded],
    truncated: [...a.truncated, ...b.truncated.map((i) => i + offset)],
    tokenCounts,
    maxLength: Math.max(a.maxLength, b.maxLength),
  };
}

export class PairscopeService implements PairscopeApi {
  private encoder: LoadedEncoder | null = null;
  private encoderKey: string | null = null;
  private last: CurrentEmbedding | null = null;
  private lastPairs: Pair[] = [];
  private lastRecipe: EmbeddingRecipe | null = null;
  private classifier: ClassifierModel | null = null;
  private cancelFlags: Int32Array | null = null;
  private cache = new BoundedCache(CACHE_LIMIT);
  private readonly cancelled = new Set<number>();
  private readonly running = new Map<JobKind, number>();

  /** The runtime's start ahead of the first load ({@link prepareRuntime}); null when none was asked for. */
  private preparing: Promise<void> | null = null;
  /** Model loads begun so far (a warm-up asked for after the first is pointless). */
  private loadsBegun = 0;

  constructor(private readonly runtime: EncoderRuntime) {}

  /**
   * Starts the CPU runtime before the first model load, when that load will run on it (`device` 'wasm', or
   * 'auto' without a WebGPU adapter), unless a load has begun. A load does not wait for it: ONNX Runtime
   * shares one start between the two. Never fails: a runtime that cannot start fails the load instead,
   * with its message.
   */
  prepareRuntime(device: LoadModelOptions['device']): Promise<void> {
    this.preparing ??= (async () => {
      if (!this.runtime.prepare || device === 'webgpu') return;
      if (device === 'auto' && (await this.runtime.webgpuAvailable())) return;
      // A load that began meanwhile starts the runtime itself.
      if (this.loadsBegun > 0) return;
      await this.runtime.prepare();
    })().catch(() => undefined);
    return this.preparing;
  }

  async loadModel(
    options: LoadModelOptions,
    jobId: number,
    onProgress: ProgressCallback,
  ): Promise<ModelInfo> {
    this.loadsBegun++;
    const key = JSON.stringify({ ...options, source: sourceKey(options.source) });
    if (this.encoder && this.encoderKey === key) return this.encoder.info;
    this.startJob('load', jobId);
    try {
      const previous = this.encoder;
      this.encoder = null;
      this.encoderKey = null;
      this.last = null;
      await previous?.session.release().catch(() => undefined);
      const report = throttle(onProgress);
      const encoder = await loadEncoder(this.runtime, options, report, () => this.checkCancelled(jobId));
      this.encoder = encoder;
      this.encoderKey = key;
      this.cache = new BoundedCache(CACHE_LIMIT);
      return encoder.info;
    } finally {
      this.endJob('load', jobId);
    }
  }

  async embed(
    pairs: Pair[],
    recipe: EmbeddingRecipe,
    jobId: number,
    onProgress: ProgressCallback,
    run: EmbedRunOptions = {},
  ): Promise<EmbedSummary> {
    const encoder = this.requireEncoder();
    assertHasPairs(pairs);
    const layers = resolveLayers(recipe.layers, encoder.model.numLayers);
    for (const layer of layers) {
      if (!encoder.info.availableLayers.includes(layer)) {
        throw new ModelError(
          'model.layers',
          `Layer ${layer} is not available for ${encoder.info.label}: ${encoder.info.layerNote ?? ''} Choose layer −1.`,
        );
      }
    }
    this.startJob('embed', jobId);
    try {
      const report = throttle(onProgress);
      const started = performance.now();
      const steps = embedPairs(pairs, recipe, encoder.tokenizer, encoder.model, {
        batching: run.batching ?? BATCHING,
        cache: run.cache === false ? undefined : this.cache,
        now: () => performance.now(),
      });
      let step = await steps.next();
      while (!step.done) {
        report({ stage: 'embed', done: step.value.done, total: step.value.total });
        // Let queued messages (a cancel) run: inference may resolve without leaving the microtask queue.
        await yieldToEventLoop();
        this.checkCancelled(jobId);
        step = await steps.next();
      }
      const result = step.value;
      report({ stage: 'embed', done: result.uniqueSequences, total: result.uniqueSequences }, true);
      const elapsedMs = performance.now() - started;
      const resolved = { ...recipe, layers };
      const chunk: CurrentEmbedding = {
        vectors: result.vectors,
        encoded: result.encoded,
        truncated: result.truncated,
        tokenCounts: result.tokenCounts,
        maxLength: result.maxLength,
      };
      if (run.append) {
        if (!this.last || JSON.stringify(this.lastRecipe) !== JSON.stringify(resolved)) {
          throw new ModelError(
            'model.not-loaded',
            'Cannot continue the embedding: the earlier part is gone or was made with other settings. Embed again from the start.',
          );
        }
        this.last = appendEmbedding(this.last, chunk);
        this.lastPairs = [...this.lastPairs, ...pairs];
      } else {
        this.last = chunk;
        this.lastPairs = pairs;
      }
      this.lastRecipe = resolved;
      this.classifier = null;
      const all = this.last;
      const requested = recipe.maxLength ?? encoder.model.maxLength;
      return {
        origin: 'embedded',
        note: null,
        rows: all.vectors.rows,
        dim: all.vectors.dim,
        elapsedMs,
        pairsPerSecond: pairs.length / (elapsedMs / 1000),
        timing: result.timing,
        truncated: all.truncated,
        maxLength: all.maxLength,
        maxLengthClamped: requested > result.maxLength,
        uniqueSequences: result.uniqueSequences,
        cachedSequences: result.cachedSequences,
        device: encoder.info.device,
        threads: encoder.info.threads,
        recipe: resolved,
        tokenCounts: all.tokenCounts,
      };
    } finally {
      this.endJob('embed', jobId);
    }
  }

  cancel(jobId: number): void {
    this.cancelled.add(jobId);
  }

  setCancelFlags(flags: Int32Array): void {
    this.cancelFlags = flags;
  }

  train(request: TrainRequest, jobId: number, onProgress: ProgressCallback): Promise<TrainSummary> {
    const last = this.requireEmbedding();
    return this.runJob('train', jobId, () => {
      const started = performance.now();
      const result = this.evaluate(last.vectors, request, jobId, throttle(onProgress));
      const { report, model, ...rest } = result;
      this.classifier = model;
      return {
        ...rest,
        classifier: request.classifier,
        reportText: report.text,
        elapsedMs: performance.now() - started,
      };
    });
  }

  async layerProbe(
    request: TrainRequest,
    jobId: number,
    onProgress: ProgressCallback,
  ): Promise<LayerProbeResult> {
    const last = this.requireEmbedding();
    const encoder = this.requireEncoder();
    const recipe = this.lastRecipe;
    if (!recipe || last.encoded.some((e) => e === undefined)) {
      throw new ModelError(
        'model.not-loaded',
        'The layer probe embeds the pairs again with every layer: embed them here first (imported or restored vectors have no layers).',
      );
    }
    const pairs = this.lastPairs;
    const report = throttle(onProgress);
    const layers = encoder.info.availableLayers;
    return this.runJob('train', jobId, async () => {
      const started = performance.now();
      // One model pass for every layer; vectors per layer are sliced out afterwards.
      const allLayers: EmbeddingRecipe = { ...recipe, layers, normalize: false };
      const steps = embedPairs(pairs, allLayers, encoder.tokenizer, encoder.model, { batching: BATCHING });
      let step = await steps.next();
      while (!step.done) {
        report({ stage: 'embed', done: step.value.done, total: step.value.total, detail: 'all layers' });
        await yieldToEventLoop();
        this.checkCancelled(jobId);
        step = await steps.next();
      }
      const result: LayerProbeResult = { layers: [], classifier: request.classifier, elapsedMs: 0 };
      for (const [slot, layer] of layers.entries()) {
        report({ stage: 'train', done: slot, total: layers.length, detail: `layer ${layer}` }, true);
        await yieldToEventLoop();
        const x = layerPairVectors(step.value, recipe, slot, layers.length, encoder.model.hidden);
        const evaluation = this.evaluate(x, request, jobId, () => undefined);
        result.layers.push({ layer, accuracy: evaluation.accuracy, macroF1: evaluation.macroF1 });
      }
      result.elapsedMs = performance.now() - started;
      return result;
    });
  }

  async project(
    options: UmapOptions,
    jobId: number,
    onProgress: ProgressCallback,
    onLayout: (coordinates: Float32Array) => void,
  ): Promise<ProjectionResult> {
    const last = this.requireEmbedding();
    const report = throttle(onProgress);
    return this.runJob('project', jobId, async () => {
      const started = performance.now();
      const steps = projectUmap(last.vectors, options);
      let step = steps.next();
      let lastYield = performance.now();
      while (!step.done) {
        const { phase, done, total, coordinates } = step.value;
        report({ stage: 'umap', done, total, detail: phase });
        if (coordinates) void Promise.resolve(onLayout(coordinates)).catch(() => undefined);
        // Yield to the event loop every ~50 ms so a cancel message gets through.
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        this.checkCancelled(jobId);
        step = steps.next();
      }
      const result = step.value;
      return {
        coordinates: result.coordinates,
        rows: last.vectors.rows,
        nNeighborsUsed: result.nNeighborsUsed,
        pcaDimsUsed: result.pcaDimsUsed,
        epochs: result.epochs,
        elapsedMs: performance.now() - started,
        options,
      };
    });
  }

  pairDetail(index: number, k: number, metric: Metric): Promise<PairDetail> {
    const { vectors } = this.requireEmbedding();
    let sum = 0;
    for (let d = 0; d < vectors.dim; d++) sum += vectors.data[index * vectors.dim + d] ** 2;
    return Promise.resolve({
      index,
      norm: Math.sqrt(sum),
      neighbors: nearestNeighbors(vectors, index, k, metric),
    });
  }

  getClassifierJson(): Promise<string | null> {
    return Promise.resolve(this.classifier ? JSON.stringify(this.classifier) : null);
  }

  info(): Promise<ModelInfo | null> {
    return Promise.resolve(this.encoder?.info ?? null);
  }

  getVectors(fromRow = 0): Promise<VectorsExport | null> {
    if (!this.last) return Promise.resolve(null);
    const { data, rows, dim } = this.last.vectors;
    const start = Math.min(Math.max(0, Math.floor(fromRow)), rows);
    // A copy: the caller may transfer it, and the worker keeps its own for later jobs.
    return Promise.resolve({ data: data.slice(start * dim), rows: rows - start, dim });
  }

  getPairInputs(index: number): Promise<PairInputs | null> {
    const pair = this.last?.encoded[index];
    if (!pair || !this.encoder) return Promise.resolve(null);
    const toTokens = this.encoder.idsToTokens;
    return Promise.resolve({
      truncated: pair.truncated,
      sequences: pair.sequences.map((s) => ({ ids: s.ids, typeIds: s.typeIds, tokens: toTokens(s.ids) })),
    });
  }

  importVectors(pairs: Pair[], vectors: VectorsExport, options: ImportVectorsOptions): Promise<EmbedSummary> {
    try {
      return Promise.resolve(this.useVectors(pairs, vectors, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private useVectors(pairs: Pair[], vectors: VectorsExport, options: ImportVectorsOptions): EmbedSummary {
    assertHasPairs(pairs);
    const { data, rows, dim } = vectors;
    if (rows !== pairs.length || data.length !== rows * dim || dim < 1) {
      throw new InputError(
        'input.dimension',
        `The vectors are ${rows} × ${dim} (${data.length} numbers) but there are ${pairs.length} pairs: give one vector per pair, in pair order.`,
      );
    }
    const matrix = { data: data instanceof Float32Array ? data : Float32Array.from(data), rows, dim };
    assertFiniteMatrix(matrix, 'imported vectors');
    this.last = {
      vectors: matrix,
      encoded: new Array<undefined>(rows),
      truncated: [],
      tokenCounts: new Int32Array(rows),
      maxLength: 0,
    };
    this.lastPairs = pairs;
    this.lastRecipe = options.recipe;
    this.classifier = null;
    return {
      origin: options.origin,
      note: options.note,
      rows,
      dim,
      elapsedMs: 0,
      pairsPerSecond: 0,
      timing: null,
      truncated: [],
      maxLength: 0,
      maxLengthClamped: false,
      uniqueSequences: 0,
      cachedSequences: 0,
      device: null,
      threads: 0,
      recipe: options.recipe,
      tokenCounts: new Int32Array(rows),
    };
  }

  private requireEmbedding(): CurrentEmbedding {
    if (!this.last) throw new ModelError('model.not-loaded', 'Nothing is embedded yet: press Embed first.');
    return this.last;
  }

  private evaluate(
    x: Matrix,
    request: TrainRequest,
    jobId: number,
    report: (progress: JobProgress) => void,
  ): EvaluationResult {
    if (request.labels.length !== x.rows) {
      throw new ModelError(
        'model.not-loaded',
        `The labels are for ${request.labels.length} pairs but ${x.rows} are embedded: embed again.`,
      );
    }
    return evaluateClassifier(
      x,
      request.labels,
      request.classNames,
      { classifier: request.classifier, params: request.params, scheme: request.scheme, seed: request.seed },
      {
        check: () => this.checkCancelled(jobId),
        onProgress: (p) =>
          report({
            stage: 'train',
            done: p.step,
            total: 0,
            detail: p.folds > 1 ? `model ${p.fold} of ${p.folds}` : undefined,
          }),
      },
    );
  }

  private async runJob<T>(kind: JobKind, jobId: number, run: () => T | Promise<T>): Promise<T> {
    this.startJob(kind, jobId);
    try {
      return await run();
    } finally {
      this.endJob(kind, jobId);
    }
  }

  private requireEncoder(): LoadedEncoder {
    if (!this.encoder)
      throw new ModelError('model.not-loaded', 'No model is loaded: pick a model and press Load.');
    return this.encoder;
  }

  private startJob(kind: JobKind, jobId: number): void {
    const previous = this.running.get(kind);
    if (previous !== undefined) this.cancelled.add(previous);
    this.running.set(kind, jobId);
  }

  private endJob(kind: JobKind, jobId: number): void {
    if (this.running.get(kind) === jobId) this.running.delete(kind);
    this.cancelled.delete(jobId);
  }

  private checkCancelled(jobId: number): void {
    const flags = this.cancelFlags;
    if (this.cancelled.has(jobId) || (flags && Atomics.load(flags, jobId % flags.length) === jobId)) {
      throw new AbortError();
    }
  }
}

/**
 * Lets queued messages (a cancel) run between batches. Not `setTimeout(0)`: nested timers are clamped to
 * 4 ms, which cost 4 ms a batch (a third of the time of the one-pair-per-pass loop on a small model).
 * A MessageChannel message is queued behind the messages already waiting, and is not clamped; Node (the
 * native runtime) has setImmediate for the same.
 */
function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => void immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function sourceKey(source: LoadModelOptions['source']): string {
  if (source.kind !== 'files') return JSON.stringify(source);
  return JSON.stringify([source.name, source.files.map((f) => [f.path, f.file.size])]);
}

/** Wraps a progress callback so calls are ≥ PROGRESS_INTERVAL_MS apart unless forced. */
function throttle(callback: ProgressCallback): (progress: JobProgress, force?: boolean) => void {
  let lastAt = -Infinity;
  let lastStage = '';
  return (progress, force = false) => {
    const now = performance.now();
    if (!force && progress.stage === lastStage && now - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = now;
    lastStage = progress.stage;
    // Progress is advisory: a failed report (e.g. the page went away) must not fail the job.
    void Promise.resolve(callback(progress)).catch(() => undefined);
  };
}
