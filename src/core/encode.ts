/**
 * From pairs to model inputs: token sequences per pair mode, truncation, and length-bucketed batches.
 * The tokenizer itself is injected (transformers.js in the worker), so this module stays pure.
 */
import type { Pair } from './pairs';
import type { PairMode } from './recipe';

/** What the encoder needs from a tokenizer. */
export interface TextTokenizer {
  /**
   * Token ids of `text` without added special tokens. With `literalSpecialTokens` false, a special token
   * typed in the text (e.g. "[SEP]") stays plain text; with true it becomes the special token (the origin
   * blog's behaviour).
   */
  encode(text: string, literalSpecialTokens: boolean): number[];
  clsId: number;
  sepId: number;
  padId: number;
  /** The separator token as text ("[SEP]" for BERT), for the origin recipe's string concatenation. */
  sepToken: string;
}

/** One model input sequence. */
export interface EncodedSequence {
  ids: number[];
  typeIds: number[];
  /** True when tokens were cut to fit the maximum length. */
  truncated: boolean;
}

/** Model inputs for one pair: one sequence, or two in `separate` mode (premise, hypothesis). */
export interface EncodedPair {
  sequences: EncodedSequence[];
  truncated: boolean;
}

/**
 * Cuts two token lists to `budget` tokens in total, longest first: one token at a time from the longer list,
 * from the second when they are equal (as HF tokenizers and bert-as-service do). Returns new arrays.
 */
export function truncateLongestFirst(a: number[], b: number[], budget: number): [number[], number[]] {
  let na = a.length;
  let nb = b.length;
  const limit = Math.max(0, budget);
  while (na + nb > limit) {
    if (na > nb) na--;
    else nb--;
  }
  return [a.slice(0, na), b.slice(0, nb)];
}

/**
 * Encodes one pair for a pair mode, with at most `maxLength` tokens per sequence (special tokens
 * included). Pair inputs keep their [CLS] and both [SEP]s; the sentences are cut longest-first.
 * `origin` mode is one text, cut at the end.
 */
export function encodePair(
  pair: Pick<Pair, 'premise' | 'hypothesis'>,
  mode: PairMode,
  tokenizer: TextTokenizer,
  maxLength: number,
): EncodedPair {
  const { clsId, sepId } = tokenizer;
  if (mode === 'origin') {
    // The literal concatenation the blog used: tokenizer.tokenize(premise + "[SEP]" + hypothesis).
    const all = tokenizer.encode(`${pair.premise}${tokenizer.sepToken}${pair.hypothesis}`, true);
    const ids = all.slice(0, maxLength);
    const truncated = ids.length < all.length;
    return { sequences: [{ ids, typeIds: ids.map(() => 0), truncated }], truncated };
  }
  const premise = tokenizer.encode(pair.premise, false);
  const hypothesis = tokenizer.encode(pair.hypothesis, false);
  if (mode === 'standard') {
    const [p, h] = truncateLongestFirst(premise, hypothesis, maxLength - 3);
    const truncated = p.length < premise.length || h.length < hypothesis.length;
    const ids = [clsId, ...p, sepId, ...h, sepId];
    const typeIds = [...Array<number>(p.length + 2).fill(0), ...Array<number>(h.length + 1).fill(1)];
    return { sequences: [{ ids, typeIds, truncated }], truncated };
  }
  const single = (tokens: number[]): EncodedSequence => {
    const kept = tokens.slice(0, Math.max(0, maxLength - 2));
    const ids = [clsId, ...kept, sepId];
    return { ids, typeIds: ids.map(() => 0), truncated: kept.length < tokens.length };
  };
  const sequences = [single(premise), single(hypothesis)];
  return { sequences, truncated: sequences.some((s) => s.truncated) };
}

/** A padded batch, row-major `[rows, length]`, ready for the model. */
export interface PaddedBatch {
  /** Indices into the list of sequences that was batched, one per row. */
  indices: number[];
  rows: number;
  length: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

export interface BatchingOptions {
  /** Most sequences in one batch. */
  maxBatchSize: number;
  /**
   * Most padded tokens (rows × length) in one batch; bounds memory: attention is O(length²) per row, and
   * wasm memory for a [rows, length, hidden] output per layer.
   */
  maxBatchTokens: number;
}

/**
 * Groups sequences into batches of similar length so padding is small: sorts by length (stable, so equal
 * lengths keep input order), then fills batches up to the size and token limits. Every index appears in
 * exactly one batch. Results are later written back by index, so callers see input order.
 */
export function planBatches(lengths: readonly number[], options: BatchingOptions): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const length = lengths[index];
    // Sorted ascending, so this sequence is the longest of the batch so far.
    const wouldBe = (current.length + 1) * length;
    if (current.length > 0 && (current.length >= options.maxBatchSize || wouldBe > options.maxBatchTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Pads the sequences at `indices` on the right with `padId` (attention mask 0 on padding). */
export function padBatch(
  sequences: readonly EncodedSequence[],
  indices: number[],
  padId: number,
): PaddedBatch {
  const rows = indices.length;
  let length = 0;
  for (const i of indices) length = Math.max(length, sequences[i].ids.length);
  const inputIds = new BigInt64Array(rows * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows * length);
  const tokenTypeIds = new BigInt64Array(rows * length);
  indices.forEach((seqIndex, row) => {
    const seq = sequences[seqIndex];
    const offset = row * length;
    for (let t = 0; t < seq.ids.length; t++) {
      inputIds[offset + t] = BigInt(seq.ids[t]);
      attentionMask[offset + t] = 1n;
      tokenTypeIds[offset + t] = BigInt(seq.typeIds[t]);
    }
  });
  return { indices, rows, length, inputIds, attentionMask, tokenTypeIds };
}
