/**
 * The Japanese tokenizer against the Python reference (MeCab 0.996 + IPADIC 2.7.0 + HF WordPiece rules, see
 * shared/data/ja-tokenizer/SPEC.md): every word list and every id sequence, sentences and pairs, including the
 * cases where kuromoji's own tokenizer differs from MeCab (long unknown runs, unknown kanji, Hangul/Arabic
 * next to spaces, a carriage return).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  JA_SPECIAL_TOKENS,
  createJapaneseBertTokenizer,
  parseVocab,
  splitSpecialTokens,
  type JapaneseBertTokenizer,
  type WordSegmenter,
} from '../../../src/core/ja-tokenizer';
import { createNodeIpadicReader } from '../../../src/node/ipadic-node';
import { IPADIC_FILES, loadIpadicSegmenter, MAX_GROUPING_SIZE } from '../../../src/worker/ipadic';
import { jaReferenceRecords, type JaReferenceRecord } from '../../data';
import { sharedPath } from '../../shared-dir';

let segmenter: WordSegmenter;
let tokenizer: JapaneseBertTokenizer;
const records: JaReferenceRecord[] = jaReferenceRecords();

beforeAll(async () => {
  const seen: string[] = [];
  segmenter = await loadIpadicSegmenter(createNodeIpadicReader(), (p) => seen.push(p.file));
  expect(new Set(seen)).toEqual(new Set(IPADIC_FILES));
  const vocab = parseVocab(readFileSync(sharedPath('models', 'tiny-random-bert-ja', 'vocab.txt'), 'utf8'));
  tokenizer = createJapaneseBertTokenizer(vocab, segmenter);
}, 30_000);

const sentences = records.filter((r) => r.type === 'sentence');
const pairs = records.filter((r) => r.type === 'pair');

describe('IPADIC segmenter and tokenizer vs the MeCab reference', () => {
  it('has the fixture sizes the spec states', () => {
    expect(sentences).toHaveLength(203);
    expect(pairs).toHaveLength(85);
  });

  it.each(sentences.map((r) => [r.id, r] as const))('sentence %s: words and ids', (_id, record) => {
    const words = splitSpecialTokens(record.text, JA_SPECIAL_TOKENS).flatMap((piece) =>
      piece.special ? [piece.text] : segmenter.segment(piece.text.normalize('NFKC')),
    );
    expect(words).toEqual(record.mecab_words);
    const encoded = tokenizer.encodeWithSpecials(record.text, null, true);
    expect(tokenizer.idsToTokens(encoded.ids.slice(1, -1))).toEqual(record.tokens);
    expect(encoded.ids).toEqual(record.input_ids);
    expect(encoded.typeIds).toEqual(record.token_type_ids);
  });

  it.each(pairs.map((r) => [r.id, r] as const))(
    'pair %s: pair layout and the seed-style joined text',
    (_id, record) => {
      const pair = tokenizer.encodeWithSpecials(record.premise, record.hypothesis, true);
      expect(pair.ids).toEqual(record.input_ids);
      expect(pair.typeIds).toEqual(record.token_type_ids);
      const joined = tokenizer.encodeWithSpecials(record.seed_joined_text, null, true);
      expect(joined.ids).toEqual(record.seed_joined_input_ids);
      expect(joined.typeIds).toEqual(record.seed_joined_token_type_ids);
    },
  );
});

describe('MeCab rules the segmenter reproduces', () => {
  it('groups an unknown run only up to 25 characters: the rest come out one by one', () => {
    const words = segmenter.segment('x'.repeat(40));
    expect(words).toHaveLength(40 - (MAX_GROUPING_SIZE + 1) + 1);
    expect(words[words.length - 1]).toBe('x'.repeat(MAX_GROUPING_SIZE + 1));
    expect(segmenter.segment('y'.repeat(MAX_GROUPING_SIZE + 1))).toEqual(['y'.repeat(MAX_GROUPING_SIZE + 1)]);
  });
  it('never puts spaces, tabs or newlines in a word, but keeps a carriage return as a word', () => {
    expect(segmenter.segment(' 犬\tが \n')).toEqual(['犬', 'が']);
    expect(segmenter.segment('犬\r猫')).toContain('\r');
  });
  it('gives nothing for empty or all-space text', () => {
    expect(segmenter.segment('')).toEqual([]);
    expect(segmenter.segment('  \t')).toEqual([]);
  });
});
