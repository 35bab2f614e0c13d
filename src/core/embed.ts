/**
 * The embedding pipeline: pairs → token sequences → length-bucketed batches → hidden states → pooled pair
 * vectors, in input order. The model is injected (`EncoderModel`), so this runs the same with
 * ONNX Runtime Web in the worker and onnxruntime-node in tests and the `eval` command.
 */
import { encodePair, padBatch, planBatches } from './encode';
import type { BatchingOptions, EncodedPair, EncodedSequence, PaddedBatch, TextTokenizer } from './encode';
import type { Matrix } from './matrix';
import type { Pair } from './pairs';
import { combineSentenceVectors, normalizeInPlace, poolRow, pooledDimension } from './pooling';
import type { EmbeddingRecipe } from './recipe';
import { recipeDimension, resolveLayers } from './recipe';

/** What the pipeline needs from a loaded encoder. */
export interface EncoderModel {
  /** Number of encoder layers N; hidden states are 0 (embeddings) … N (last). */
  numLayers: number;
  /** Hidden size. */
  hidden: number;
  /** Longest input the model accepts (its position embeddings). */
  maxLength: number;
  /** Graph output name holding hidden state k, for k = 0 … N; null where the graph does not give it. */
  layerOutputs: (string | null)[];
  /** Runs one padded batch and returns the requested outputs, each `[rows, length, hidden]` row-major. */
  run(batch: PaddedBatch, outputNames: string[]): Promise<Record<string, Float32Array>>;
}

/** Pooled sequence vectors kept across jobs, so the same text is never run twice for the same settings. */
export interface SequenceCache {
  get(key: string): Float32Array | undefined;
  set(key: string, vector: Float32Array): void;
}

export interface EmbedOptions {
  batching: BatchingOptions;
  /** Vectors of sequences already embedded with this model (keyed by layers, pooling, normalisation, ids). */
  cache?: SequenceCache;
  /** A clock in milliseconds (`performance.now`); when given, the result carries {@link EmbedTiming}. */
  now?: () => number;
}

/**
 * Where an embedding's time went, in milliseconds (with {@link EmbedOptions.now}): tokenising and
 * de-duplicating, the model's forward passes (padding the batch included), and pooling the hidden states.
 * Time spent by the caller between batches (progress, yielding to the event loop) is in none of them.
 */
export interface EmbedTiming {
  tokenizeMs: number;
  modelMs: number;
  poolMs: number;
  batches: number;
}

/** Progress after each batch: sequences done of total (after de-duplication). */
export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedResult {
  /** One row per pair, in input order. */
  vectors: Matrix;
  /** Indices of pairs whose input was cut to the maximum length. */
  truncated: number[];
  /** Tokens per pair (summed over both sentences in `separate` mode). */
  tokenCounts: Int32Array;
  /** The maximum length actually used (the request clamped to the model). */
  maxLength: number;
  /** The model inputs, for inspection and tests: per pair, its sequences' ids and type ids. */
  encoded: EncodedPair[];
  /** Distinct sequences (repeated texts count once). */
  uniqueSequences: number;
  /** Of those, how many came from the cache instead of the model. */
  cachedSequences: number;
  /** Pooled vectors of the distinct sequences, `uniqueSequences × (layers × pooled width)`, row-major. */
  sequenceVectors: Float32Array;
  /** Per pair, the indices of its sequences in `sequenceVectors`. */
  sequenceIndex: number[][];
  /** Where the time went; null without {@link EmbedOptions.now}. */
  timing: EmbedTiming | null;
}

/** The maximum length a recipe uses on a model: its request clamped to the model's limit. */
export function effectiveMaxLength(recipe: EmbeddingRecipe, model: Pick<EncoderModel, 'maxLength'>): number {
  const requested = recipe.maxLength ?? model.maxLength;
  return Math.max(4, Math.min(requested, model.maxLength));
}

/**
 * Embeds pairs with a recipe. An async generator: it yields progress after every batch, which is where the
 * caller may stop (cancellation), and returns the result. Sequences that repeat (the same premise in many
 * pairs, common in SNLI) are run once.
 */
export async function* embedPairs(
  pairs: readonly Pair[],
  recipe: EmbeddingRecipe,
  tokenizer: TextTokenizer,
  model: EncoderModel,
  options: EmbedOptions,
): AsyncGenerator<EmbedProgress, EmbedResult, void> {
  const layers = resolveLayers(recipe.layers, model.numLayers);
  const outputNames = layers.map((k) => {
    const name = model.layerOutputs[k];
    if (name == null) {
      throw new RangeError(
        `Layer ${k} is not available from this model's graph; only the last layer (${model.numLayers}) can be used.`,
      );
    }
    return name;
  });
  const now = options.now;
  const timing: EmbedTiming = { tokenizeMs: 0, modelMs: 0, poolMs: 0, batches: 0 };
  let t0 = now?.() ?? 0;
  const maxLength = effectiveMaxLength(recipe, model);
  const encoded = pairs.map((pair) => encodePair(pair, recipe.pairMode, tokenizer, maxLength));

  // De-duplicate sequences: identical ids and type ids give identical vectors.
  const unique: EncodedSequence[] = [];
  const seen = new Map<string, number>();
  const sequenceIndex = encoded.map((pair) =>
    pair.sequences.map((seq) => {
      const key = `${seq.ids.join(',')}|${seq.typeIds.join('')}`;
      let index = seen.get(key);
      if (index === undefined) {
        index = unique.length;
        unique.push(seq);
        seen.set(key, index);
      }
      return index;
    }),
  );

  const perLayer = pooledDimension(recipe.pooling, model.hidden);
  const sequenceDim = perLayer * layers.length;
  const pooled = new Float32Array(unique.length * sequenceDim);
  const settingsKey = `${layers.join(',')}|${recipe.pooling}|${recipe.normalize}|`;
  const cacheKey = (seq: EncodedSequence) => `${settingsKey}${seq.ids.join(',')}|${seq.typeIds.join('')}`;
  const missing: number[] = [];
  unique.forEach((seq, index) => {
    const hit = options.cache?.get(cacheKey(seq));
    if (hit && hit.length === sequenceDim) pooled.set(hit, index * sequenceDim);
    else missing.push(index);
  });
  const batches = planBatches(
    missing.map((i) => unique[i].ids.length),
    options.batching,
  ).map((batch) => batch.map((k) => missing[k]));
  let done = 0;
  if (now) timing.tokenizeMs = now() - t0;
  for (const indices of batches) {
    if (now) t0 = now();
    const batch = padBatch(unique, indices, tokenizer.padId);
    const outputs = await model.run(batch, outputNames);
    if (now) {
      const t1 = now();
      timing.modelMs += t1 - t0;
      t0 = t1;
    }
    outputNames.forEach((name, layerSlot) => {
      const data = outputs[name];
      if (!data || data.length !== batch.rows * batch.length * model.hidden) {
        throw new RangeError(
          `Model output "${name}" has ${data?.length ?? 0} values, expected ${batch.rows}×${batch.length}×${model.hidden}.`,
        );
      }
      const states = { data, rows: batch.rows, length: batch.length, dim: model.hidden };
      indices.forEach((seqIndex, row) => {
        poolRow(
          states,
          batch.attentionMask,
          row,
          recipe.pooling,
          pooled,
          seqIndex * sequenceDim + layerSlot * perLayer,
        );
      });
    });
    if (recipe.normalize) {
      for (const seqIndex of indices) normalizeInPlace(pooled, seqIndex * sequenceDim, sequenceDim);
    }
    for (const seqIndex of indices) {
      options.cache?.set(
        cacheKey(unique[seqIndex]),
        pooled.slice(seqIndex * sequenceDim, (seqIndex + 1) * sequenceDim),
      );
    }
    if (now) timing.poolMs += now() - t0;
    timing.batches++;
    done += indices.length;
    yield { done, total: missing.length };
  }

  const dim = recipeDimension(recipe, model.hidden);
  const vectors = new Float32Array(pairs.length * dim);
  const tokenCounts = new Int32Array(pairs.length);
  const truncated: number[] = [];
  encoded.forEach((pair, i) => {
    const seqs = sequenceIndex[i];
    if (recipe.pairMode === 'separate') {
      const u = pooled.subarray(seqs[0] * sequenceDim, (seqs[0] + 1) * sequenceDim);
      const v = pooled.subarray(seqs[1] * sequenceDim, (seqs[1] + 1) * sequenceDim);
      combineSentenceVectors(u, v, recipe.sbertParts, vectors, i * dim);
    } else {
      const s = seqs[0];
      vectors.set(pooled.subarray(s * sequenceDim, (s + 1) * sequenceDim), i * dim);
    }
    tokenCounts[i] = pair.sequences.reduce((sum, seq) => sum + seq.ids.length, 0);
    if (pair.truncated) truncated.push(i);
  });
  return {
    vectors: { data: vectors, rows: pairs.length, dim },
    truncated,
    tokenCounts,
    maxLength,
    encoded,
    uniqueSequences: unique.length,
    cachedSequences: unique.length - missing.length,
    sequenceVectors: pooled,
    sequenceIndex,
    timing: now ? timing : null,
  };
}

/**
 * The pair vectors one layer alone would give, from an embedding made with several layers and
 * `normalize: false` (the layer probe runs the model once for all layers). `slot` is the layer's position
 * in the embedding's `layers`; `normalize` and the pair parts come from `recipe`.
 */
export function layerPairVectors(
  result: EmbedResult,
  recipe: EmbeddingRecipe,
  slot: number,
  layerCount: number,
  hidden: number,
): Matrix {
  const perLayer = pooledDimension(recipe.pooling, hidden);
  const sequenceDim = perLayer * layerCount;
  const single: EmbeddingRecipe = { ...recipe, layers: [0] };
  const dim = recipeDimension(single, hidden);
  const rows = result.sequenceIndex.length;
  const data = new Float32Array(rows * dim);
  const sentence = (s: number): Float32Array => {
    const v = result.sequenceVectors.slice(
      s * sequenceDim + slot * perLayer,
      s * sequenceDim + (slot + 1) * perLayer,
    );
    if (recipe.normalize) normalizeInPlace(v, 0, perLayer);
    return v;
  };
  result.sequenceIndex.forEach((seqs, i) => {
    if (recipe.pairMode === 'separate') {
      combineSentenceVectors(sentence(seqs[0]), sentence(seqs[1]), recipe.sbertParts, data, i * dim);
    } else {
      data.set(sentence(seqs[0]), i * dim);
    }
  });
  return { data, rows, dim };
}
