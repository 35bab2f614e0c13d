/**
 * The tokenizer of cl-tohoku's Japanese BERT (`BertJapaneseTokenizer` with MeCab + IPADIC word segmentation and
 * WordPiece), which transformers.js does not implement. It follows the steps of
 * `shared/data/ja-tokenizer/SPEC.md`: split literal special tokens off the raw text, NFKC-normalise each piece,
 * segment it into words (MeCab in Python; here an injected {@link WordSegmenter}, kuromoji's IPADIC in the
 * worker), WordPiece each word against `vocab.txt`, map to ids. No lower-casing, no accent stripping.
 *
 * Pure: the word segmenter and the vocabulary text are passed in.
 */
import { ModelError } from './errors';

/** Splits normalised text into words, as MeCab does: no word contains whitespace; whitespace is dropped. */
export interface WordSegmenter {
  segment(text: string): string[];
}

/** Special tokens of the cl-tohoku models (class defaults of `BertJapaneseTokenizer`). */
export const JA_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * HF's `WordpieceTokenizer.max_input_chars_per_word`: a whitespace-separated part longer than this many code
 * points becomes `[UNK]` without being looked up.
 */
export const MAX_INPUT_CHARS_PER_WORD = 100;

/**
 * Reads `vocab.txt`: token = line without its trailing `\n`, id = 0-based line number. Every line is kept,
 * empty ones included (the cl-tohoku vocab has a real empty token at id 28443; dropping it would shift every
 * later id). Only the empty string after a final newline is not a token. A `\r` before the `\n` stays part of
 * the token, as in Python's `rstrip("\n")`.
 */
export function parseVocab(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A piece of raw text: a special token matched literally, or text between special tokens. */
export interface TextPiece {
  text: string;
  special: boolean;
}

/**
 * Splits `text` at every exact, case-sensitive occurrence of a special token, before any normalisation
 * (HF's `tokens_trie.split`): `犬[SEP]猫` → `犬`, `[SEP]`, `猫`. The longest token wins where two start at the
 * same place. Empty pieces are dropped.
 */
export function splitSpecialTokens(text: string, specials: readonly string[]): TextPiece[] {
  const sorted = [...specials].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const pieces: TextPiece[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const match = sorted.find((s) => text.startsWith(s, i));
    if (match === undefined) {
      i++;
      continue;
    }
    if (i > start) pieces.push({ text: text.slice(start, i), special: false });
    pieces.push({ text: match, special: true });
    i += match.length;
    start = i;
  }
  if (start < text.length) pieces.push({ text: text.slice(start), special: false });
  return pieces;
}

/**
 * WordPiece of one word (HF `WordpieceTokenizer.tokenize`): split on whitespace; per part, greedy longest match
 * from the left with `##` on non-initial pieces; a part longer than {@link MAX_INPUT_CHARS_PER_WORD} code
 * points, or one where some position matches nothing, becomes the single token `unkToken` (pieces found before
 * the failure are discarded).
 */
export function wordPiece(word: string, vocab: ReadonlySet<string>, unkToken: string): string[] {
  const out: string[] = [];
  for (const part of word.split(/\s+/u)) {
    if (part === '') continue;
    const chars = Array.from(part);
    if (chars.length > MAX_INPUT_CHARS_PER_WORD) {
      out.push(unkToken);
      continue;
    }
    const pieces: string[] = [];
    let start = 0;
    let failed = false;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (end > start) {
        const candidate = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (vocab.has(candidate)) {
          found = candidate;
          break;
        }
        end--;
      }
      if (found === null) {
        failed = true;
        break;
      }
      pieces.push(found);
      start = end;
    }
    if (failed) out.push(unkToken);
    else out.push(...pieces);
  }
  return out;
}

/** The cl-tohoku tokenizer: tokens, ids and the special-token layout around them. */
export interface JapaneseBertTokenizer {
  /**
   * Tokens of `text`, without added special tokens. With `literalSpecialTokens` true a `[SEP]` typed in the
   * text is the special token (HF's behaviour and the origin blog's `premise[SEP]hypothesis`); with false it is
   * plain text and comes out as `[`, `SE`, `##P`, `]`-like pieces.
   */
  tokenize(text: string, literalSpecialTokens: boolean): string[];
  /** {@link tokenize} mapped to ids (anything missing → the `[UNK]` id). */
  encode(text: string, literalSpecialTokens: boolean): number[];
  /** `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, with token types 0 for the first segment and 1 for B. */
  encodeWithSpecials(
    text: string,
    pair: string | null,
    literalSpecialTokens: boolean,
  ): { ids: number[]; typeIds: number[] };
  idsToTokens(ids: readonly number[]): string[];
  vocabSize: number;
  clsId: number;
  sepId: number;
  padId: number;
  unkId: number;
  sepToken: string;
}

/**
 * HF's `CharacterTokenizer` (cl-tohoku's `-char` models): every character of the word is a token, or `[UNK]`
 * when the vocabulary lacks it.
 */
export function characterPieces(word: string, vocab: ReadonlySet<string>, unkToken: string): string[] {
  return Array.from(word.replace(/\s+/gu, '')).map((char) => (vocab.has(char) ? char : unkToken));
}

/**
 * Builds the tokenizer from the vocabulary (`vocab.txt` lines) and a word segmenter; `subword` picks WordPiece
 * (the default) or one token per character.
 */
export function createJapaneseBertTokenizer(
  vocabTokens: readonly string[],
  segmenter: WordSegmenter,
  label = 'the model',
  subword: 'wordpiece' | 'character' = 'wordpiece',
): JapaneseBertTokenizer {
  const ids = new Map<string, number>();
  vocabTokens.forEach((token, id) => {
    // HF's load_vocab keeps the last id of a duplicated token; the cl-tohoku vocab has none.
    ids.set(token, id);
  });
  const vocab = new Set(ids.keys());
  const idOf = (token: string): number => {
    const id = ids.get(token);
    if (id === undefined) {
      throw new ModelError('model.tokenizer', `vocab.txt of ${label} has no ${token} token.`);
    }
    return id;
  };
  const unkId = idOf('[UNK]');
  const clsId = idOf('[CLS]');
  const sepId = idOf('[SEP]');
  const padId = idOf('[PAD]');
  const specials = JA_SPECIAL_TOKENS.filter((t) => ids.has(t));

  const tokenizePlain = (text: string): string[] => {
    const tokens: string[] = [];
    for (const word of segmenter.segment(text.normalize('NFKC'))) {
      tokens.push(
        ...(subword === 'wordpiece'
          ? wordPiece(word, vocab, '[UNK]')
          : characterPieces(word, vocab, '[UNK]')),
      );
    }
    return tokens;
  };
  const tokenize = (text: string, literalSpecialTokens: boolean): string[] => {
    if (!literalSpecialTokens) return tokenizePlain(text);
    const tokens: string[] = [];
    for (const piece of splitSpecialTokens(text, specials)) {
      if (piece.special) tokens.push(piece.text);
      else tokens.push(...tokenizePlain(piece.text));
    }
    return tokens;
  };
  const encode = (text: string, literalSpecialTokens: boolean): number[] =>
    tokenize(text, literalSpecialTokens).map((token) => ids.get(token) ?? unkId);
  return {
    tokenize,
    encode,
    encodeWithSpecials(text, pair, literalSpecialTokens) {
      const a = encode(text, literalSpecialTokens);
      const first = [clsId, ...a, sepId];
      if (pair === null) return { ids: first, typeIds: first.map(() => 0) };
      const b = [...encode(pair, literalSpecialTokens), sepId];
      return { ids: [...first, ...b], typeIds: [...first.map(() => 0), ...b.map(() => 1)] };
    },
    idsToTokens: (list) => list.map((id) => vocabTokens[id] ?? `#${id}`),
    vocabSize: vocabTokens.length,
    clsId,
    sepId,
    padId,
    unkId,
    sepToken: '[SEP]',
  };
}

/** Which Japanese tokenizer a model's configuration asks for. */
export type JapaneseTokenizerKind = 'mecab-ipadic-wordpiece' | 'mecab-ipadic-character';

/**
 * Reads `tokenizer_config.json` (and the `tokenizer_class` of `config.json`): `null` when the model does not
 * use `BertJapaneseTokenizer`, the supported kind when it uses MeCab with IPADIC, and a {@link ModelError}
 * naming what is unsupported otherwise (unidic / unidic_lite — cl-tohoku v2 and v3 —, a custom MeCab
 * dictionary, sudachi, jumanpp, or another subword tokenizer).
 */
export function japaneseTokenizerKind(
  tokenizerConfig: Record<string, unknown>,
  modelConfig: Record<string, unknown>,
  label: string,
): JapaneseTokenizerKind | null {
  const className = tokenizerConfig.tokenizer_class ?? modelConfig.tokenizer_class;
  if (className !== 'BertJapaneseTokenizer') return null;
  const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const wordType = text(tokenizerConfig.word_tokenizer_type ?? 'basic');
  const subwordType = text(tokenizerConfig.subword_tokenizer_type ?? 'wordpiece');
  const unsupported = (what: string): ModelError =>
    new ModelError(
      'model.tokenizer',
      `${label} uses BertJapaneseTokenizer with ${what}, which Pairscope does not support yet. Supported: word_tokenizer_type "mecab" with the IPA dictionary (ipadic), as in cl-tohoku/bert-base-japanese and bert-base-japanese-whole-word-masking.`,
    );
  if (wordType !== 'mecab') throw unsupported(`word_tokenizer_type "${wordType}"`);
  const kwargs = (tokenizerConfig.mecab_kwargs ?? {}) as Record<string, unknown> | null;
  const dic = text(kwargs?.mecab_dic ?? 'ipadic');
  if (dic !== 'ipadic') throw unsupported(`the MeCab dictionary "${dic}"`);
  if (kwargs?.mecab_option) throw unsupported(`MeCab options "${text(kwargs.mecab_option)}"`);
  if (tokenizerConfig.do_lower_case === true) throw unsupported('do_lower_case true');
  if (subwordType === 'wordpiece') return 'mecab-ipadic-wordpiece';
  if (subwordType === 'character') return 'mecab-ipadic-character';
  throw unsupported(`subword_tokenizer_type "${subwordType}"`);
}
