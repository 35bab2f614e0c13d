import { describe, expect, it } from 'vitest';
import { encodePair, padBatch, planBatches, truncateLongestFirst } from '../../../src/core/encode';
import type { TextTokenizer } from '../../../src/core/encode';

/** A word-level fake: each word is its length + 1000; "[SEP]" is special only when literal is allowed. */
const fake: TextTokenizer = {
  clsId: 101,
  sepId: 102,
  padId: 0,
  sepToken: '[SEP]',
  encode: (text, literal) =>
    text
      .replace(/\[SEP\]/g, literal ? ' \u0000 ' : ' [ sep ] ')
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => (w === '\u0000' ? 102 : 1000 + w.length)),
};

describe('truncateLongestFirst', () => {
  it('cuts the longer list first and the second on ties', () => {
    expect(truncateLongestFirst([1, 2, 3, 4], [5, 6], 4)).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(truncateLongestFirst([1, 2, 3], [4, 5, 6], 4)).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(truncateLongestFirst([1, 2, 3], [4, 5, 6], 5)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(truncateLongestFirst([1], [2], 0)).toEqual([[], []]);
  });
});

describe('encodePair', () => {
  const pair = { premise: 'a bb ccc', hypothesis: 'dddd e' };

  it('origin: the single text premise[SEP]hypothesis, no [CLS], no final [SEP], types 0', () => {
    const { sequences } = encodePair(pair, 'origin', fake, 512);
    expect(sequences).toHaveLength(1);
    expect(sequences[0].ids).toEqual([1001, 1002, 1003, 102, 1004, 1001]);
    expect(sequences[0].typeIds).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('standard: [CLS] p [SEP] h [SEP] with types 0/1', () => {
    const { sequences } = encodePair(pair, 'standard', fake, 512);
    expect(sequences[0].ids).toEqual([101, 1001, 1002, 1003, 102, 1004, 1001, 102]);
    expect(sequences[0].typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('separate: each sentence alone', () => {
    const { sequences } = encodePair(pair, 'separate', fake, 512);
    expect(sequences.map((s) => s.ids)).toEqual([
      [101, 1001, 1002, 1003, 102],
      [101, 1004, 1001, 102],
    ]);
  });

  it('a "[SEP]" typed by the user stays text in standard mode and separates in origin mode', () => {
    const typed = { premise: 'x [SEP] y', hypothesis: 'z' };
    const standard = encodePair(typed, 'standard', fake, 512).sequences[0].ids;
    expect(standard.filter((id) => id === 102)).toHaveLength(2);
    const origin = encodePair(typed, 'origin', fake, 512).sequences[0].ids;
    expect(origin.filter((id) => id === 102)).toHaveLength(2);
  });

  it('truncates pairs longest-first and never drops the final [SEP]', () => {
    const long = { premise: Array(5000).fill('w').join(' '), hypothesis: 'short one' };
    const encoded = encodePair(long, 'standard', fake, 16);
    const ids = encoded.sequences[0].ids;
    expect(encoded.truncated).toBe(true);
    expect(ids).toHaveLength(16);
    expect(ids.at(-1)).toBe(102);
    expect(ids.slice(-3)).toEqual([1005, 1003, 102]);
    const origin = encodePair(long, 'origin', fake, 16);
    expect(origin.sequences[0].ids).toHaveLength(16);
    expect(origin.truncated).toBe(true);
  });

  it('empty and whitespace-only sentences give just the special tokens', () => {
    const empty = encodePair({ premise: '   ', hypothesis: '' }, 'standard', fake, 512);
    expect(empty.sequences[0].ids).toEqual([101, 102, 102]);
    expect(encodePair({ premise: '', hypothesis: '' }, 'origin', fake, 512).sequences[0].ids).toEqual([102]);
  });
});

describe('planBatches and padBatch', () => {
  it('groups by length, covers every index once, and respects both limits', () => {
    const lengths = [5, 50, 6, 48, 7, 5, 49, 100];
    const batches = planBatches(lengths, { maxBatchSize: 3, maxBatchTokens: 160 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const batch of batches) {
      const longest = Math.max(...batch.map((i) => lengths[i]));
      expect(batch.length).toBeLessThanOrEqual(3);
      if (batch.length > 1) expect(batch.length * longest).toBeLessThanOrEqual(160);
    }
    expect(batches[0]).toEqual([0, 5, 2]);
    // Padding is smaller than batching in input order (what a naive loop does).
    const paddedTokens = (groups: number[][]) =>
      groups.reduce((sum, b) => sum + b.length * Math.max(...b.map((i) => lengths[i])), 0);
    const inOrder = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ];
    // [5,5,6] [7,48,49] [50] [100]: the 100-token sequence would make a 2×100 batch exceed 160 tokens.
    expect(paddedTokens(batches)).toBe(18 + 147 + 50 + 100);
    expect(paddedTokens(inOrder)).toBe(150 + 144 + 200);
  });

  it('pads on the right with mask 0', () => {
    const sequences = [
      { ids: [101, 7, 102], typeIds: [0, 0, 0], truncated: false },
      { ids: [101, 102], typeIds: [0, 1], truncated: false },
    ];
    const batch = padBatch(sequences, [1, 0], 0);
    expect(batch.rows).toBe(2);
    expect(batch.length).toBe(3);
    expect(Array.from(batch.inputIds)).toEqual([101n, 102n, 0n, 101n, 7n, 102n]);
    expect(Array.from(batch.attentionMask)).toEqual([1n, 1n, 0n, 1n, 1n, 1n]);
    expect(Array.from(batch.tokenTypeIds)).toEqual([0n, 1n, 0n, 0n, 0n, 0n]);
  });
});
