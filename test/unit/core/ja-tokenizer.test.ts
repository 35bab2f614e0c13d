import { describe, expect, it } from 'vitest';
import {
  characterPieces,
  createJapaneseBertTokenizer,
  japaneseTokenizerKind,
  parseVocab,
  splitSpecialTokens,
  wordPiece,
  type WordSegmenter,
} from '../../../src/core/ja-tokenizer';

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  '犬',
  'が',
  '走る',
  '。',
  '猫',
  '寝',
  '##る',
  'お',
  '##腹',
  '[',
  ']',
  'S',
  '##E',
  '##P',
];
const vocabSet = new Set(VOCAB);

/** Splits on spaces and between characters of different scripts: enough to drive the tokenizer. */
const fakeSegmenter: WordSegmenter = {
  segment: (text) =>
    text
      .split(/\s+/u)
      .filter(Boolean)
      .flatMap((word) => word.match(/走る|寝る|\[|\]|[A-Z]+|./gu) ?? []),
};

describe('parseVocab', () => {
  it('keeps empty lines as tokens and drops only the empty string after the last newline', () => {
    expect(parseVocab('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(parseVocab('a\nb')).toEqual(['a', 'b']);
  });
  it('keeps a carriage return, as rstrip("\\n") does', () => {
    expect(parseVocab('a\r\nb\n')).toEqual(['a\r', 'b']);
  });
});

describe('splitSpecialTokens', () => {
  const specials = ['[SEP]', '[CLS]', '[UNK]'];
  it('cuts exact special tokens anywhere, without spaces around them', () => {
    expect(splitSpecialTokens('犬[SEP]猫', specials)).toEqual([
      { text: '犬', special: false },
      { text: '[SEP]', special: true },
      { text: '猫', special: false },
    ]);
  });
  it('is case-sensitive and leaves full-width brackets alone', () => {
    expect(splitSpecialTokens('[sep]［ＳＥＰ］', specials)).toEqual([
      { text: '[sep]［ＳＥＰ］', special: false },
    ]);
  });
  it('drops empty pieces between adjacent tokens', () => {
    expect(splitSpecialTokens('[CLS][SEP]', specials).map((p) => p.text)).toEqual(['[CLS]', '[SEP]']);
    expect(splitSpecialTokens('', specials)).toEqual([]);
  });
});

describe('wordPiece', () => {
  it('matches greedily from the left with ## on continuation pieces', () => {
    expect(wordPiece('お腹', vocabSet, '[UNK]')).toEqual(['お', '##腹']);
    expect(wordPiece('寝る', vocabSet, '[UNK]')).toEqual(['寝', '##る']);
  });
  it('turns the whole part into [UNK] when a position matches nothing, dropping earlier pieces', () => {
    expect(wordPiece('お腹X', vocabSet, '[UNK]')).toEqual(['[UNK]']);
  });
  it('splits on whitespace first and handles each part', () => {
    expect(wordPiece('犬 猫', vocabSet, '[UNK]')).toEqual(['犬', '猫']);
    expect(wordPiece(' \r ', vocabSet, '[UNK]')).toEqual([]);
  });
  it('counts code points, not UTF-16 units, against the 100-character limit', () => {
    const vocab = new Set(['𠮷', '##𠮷']);
    expect(wordPiece('𠮷'.repeat(100), vocab, '[UNK]')).toHaveLength(100);
    expect(wordPiece('𠮷'.repeat(101), vocab, '[UNK]')).toEqual(['[UNK]']);
  });
});

describe('characterPieces', () => {
  it('gives one token per character and [UNK] for characters outside the vocabulary', () => {
    expect(characterPieces('犬Z猫', vocabSet, '[UNK]')).toEqual(['犬', '[UNK]', '猫']);
  });
});

describe('createJapaneseBertTokenizer', () => {
  const tok = createJapaneseBertTokenizer(VOCAB, fakeSegmenter);
  it('normalises with NFKC before segmenting (full-width to ASCII)', () => {
    expect(tok.tokenize('［ＳＥＰ］', true)).toEqual(['[', 'S', '##E', '##P', ']']);
  });
  it('a literal [SEP] is the special token only when literal special tokens are on', () => {
    expect(tok.encode('犬[SEP]猫', true)).toEqual([5, 3, 9]);
    expect(tok.encode('犬[SEP]猫', false)).toEqual([5, 14, 16, 17, 18, 15, 9]);
  });
  it('lays out [CLS] A [SEP] and [CLS] A [SEP] B [SEP] with token types 0 then 1', () => {
    expect(tok.encodeWithSpecials('犬が走る。', null, true)).toEqual({
      ids: [2, 5, 6, 7, 8, 3],
      typeIds: [0, 0, 0, 0, 0, 0],
    });
    expect(tok.encodeWithSpecials('犬', '猫', true)).toEqual({
      ids: [2, 5, 3, 9, 3],
      typeIds: [0, 0, 0, 1, 1],
    });
  });
  it('maps ids back to tokens for display', () => {
    expect(tok.idsToTokens([2, 13, 99])).toEqual(['[CLS]', '##腹', '#99']);
  });
  it('refuses a vocabulary without the special tokens', () => {
    expect(() => createJapaneseBertTokenizer(['a', 'b'], fakeSegmenter, 'm')).toThrow(
      /vocab.txt of m has no \[UNK\]/,
    );
  });
});

describe('japaneseTokenizerKind', () => {
  const kind = (config: Record<string, unknown>, model: Record<string, unknown> = {}) =>
    japaneseTokenizerKind(config, model, 'the model');
  it('is null for other tokenizers', () => {
    expect(kind({ tokenizer_class: 'BertTokenizer' })).toBeNull();
    expect(kind({})).toBeNull();
  });
  it('recognises MeCab + IPADIC with WordPiece or characters, also from config.json', () => {
    expect(kind({ tokenizer_class: 'BertJapaneseTokenizer', word_tokenizer_type: 'mecab' })).toBe(
      'mecab-ipadic-wordpiece',
    );
    expect(
      kind(
        { word_tokenizer_type: 'mecab', subword_tokenizer_type: 'character' },
        { tokenizer_class: 'BertJapaneseTokenizer' },
      ),
    ).toBe('mecab-ipadic-character');
  });
  it('names what is unsupported: unidic (cl-tohoku v2/v3), sudachi, jumanpp, basic', () => {
    const ja = { tokenizer_class: 'BertJapaneseTokenizer', word_tokenizer_type: 'mecab' };
    expect(() => kind({ ...ja, mecab_kwargs: { mecab_dic: 'unidic_lite' } })).toThrow(
      /MeCab dictionary "unidic_lite".*not support/,
    );
    expect(() => kind({ ...ja, word_tokenizer_type: 'sudachi' })).toThrow(/word_tokenizer_type "sudachi"/);
    expect(() => kind({ ...ja, word_tokenizer_type: 'jumanpp' })).toThrow(/"jumanpp"/);
    expect(() => kind({ ...ja, subword_tokenizer_type: 'sentencepiece' })).toThrow(
      /subword_tokenizer_type "sentencepiece"/,
    );
  });
});
