/**
 * Japanese word segmentation that reproduces MeCab 0.996 with IPADIC 2.7.0, built on the IPADIC data that
 * kuromoji.js bundles (the same dictionary release, compiled into 12 gzipped files).
 *
 * kuromoji's own tokenizer differs from MeCab in how it proposes unknown words: it groups a whole run of one
 * character class however long it is, ignores char.def's LENGTH (so unknown kanji come out one by one), treats
 * spaces as words, and cuts sentences at 、 and 。. This module keeps kuromoji's dictionaries (trie, word costs,
 * connection matrix, character classes) and builds the lattice the way MeCab does:
 * - spaces (char.def class SPACE) are skipped and never part of a word; words on both sides still connect;
 * - where no dictionary word starts, or the character's class has INVOKE 1, unknown words are added: the
 *   whole run of the class when GROUP is 1 and the run is at most {@link MAX_GROUPING_SIZE} + 1 characters,
 *   words of 1..LENGTH characters, and a single character when nothing else was added;
 * - a character belongs to its default class and the compatible ones (char.def lines with several classes);
 *   runs continue while classes overlap, as MeCab's `isKindOf`.
 * kuromoji's compiled character map marks code points that char.def does not list with `1 << DEFAULT`, which is
 * the id of SPACE; those are read back as DEFAULT here, and SPACE is taken from char.def's own list.
 * Then the lowest-cost path (word costs + connection costs) wins, as in MeCab's Viterbi search.
 */
import DynamicDictionaries from 'kuromoji/src/dict/DynamicDictionaries.js';
import type { WordSegmenter } from '../core/ja-tokenizer';

/** MeCab's default `max-grouping-size`: a grouped unknown word is the first character plus at most 24 more. */
export const MAX_GROUPING_SIZE = 24;

/**
 * MeCab's SPACE class in IPADIC's char.def: U+0020, U+00D0 (sic, as the file has it), TAB, VT and LF. CR is
 * not in it, so MeCab makes `\r` a word.
 */
const MECAB_SPACES = new Set([0x20, 0xd0, 0x09, 0x0b, 0x0a]);

/**
 * Dictionary words are short; the trie is searched on at most this many following characters (the longest
 * IPADIC entry is well below it), which keeps long unbroken inputs linear.
 */
const MAX_WORD_CHARS = 64;

/** The 12 files of kuromoji's `dict/` folder, all gzipped. */
export const IPADIC_FILES = [
  'base.dat.gz',
  'check.dat.gz',
  'tid.dat.gz',
  'tid_pos.dat.gz',
  'tid_map.dat.gz',
  'cc.dat.gz',
  'unk.dat.gz',
  'unk_pos.dat.gz',
  'unk_map.dat.gz',
  'unk_char.dat.gz',
  'unk_compat.dat.gz',
  'unk_invoke.dat.gz',
] as const;

export type IpadicFile = (typeof IPADIC_FILES)[number];

/**
 * Reads one dictionary file and returns its **decompressed** bytes; `onBytes` reports the transfer
 * (compressed bytes loaded, total or 0 when unknown).
 */
export type IpadicFileReader = (
  file: IpadicFile,
  onBytes?: (loaded: number, total: number) => void,
) => Promise<Uint8Array>;

/** True when `bytes` start with the gzip magic number (a server may already have decoded the file). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Progress of {@link loadIpadicSegmenter}: bytes of the current file, and which file of how many. */
export interface IpadicProgress {
  file: IpadicFile;
  fileIndex: number;
  files: number;
  loaded: number;
  total: number;
}

/**
 * Loads the 12 files one after the other (so progress is one file's bytes at a time) and builds the
 * segmenter.
 */
export async function loadIpadicSegmenter(
  read: IpadicFileReader,
  onProgress: (progress: IpadicProgress) => void = () => undefined,
): Promise<WordSegmenter> {
  const buffers: ArrayBuffer[] = [];
  for (const [fileIndex, file] of IPADIC_FILES.entries()) {
    const bytes = await read(file, (loaded, total) =>
      onProgress({ file, fileIndex, files: IPADIC_FILES.length, loaded, total }),
    );
    // Own, aligned ArrayBuffers: the typed views below need 2- and 4-byte alignment.
    buffers.push(
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : bytes.slice().buffer,
    );
  }
  const get = (file: IpadicFile): ArrayBuffer => buffers[IPADIC_FILES.indexOf(file)];
  const dic = new DynamicDictionaries();
  dic.loadTrie(new Int32Array(get('base.dat.gz')), new Int32Array(get('check.dat.gz')));
  dic.loadTokenInfoDictionaries(
    new Uint8Array(get('tid.dat.gz')),
    new Uint8Array(get('tid_pos.dat.gz')),
    new Uint8Array(get('tid_map.dat.gz')),
  );
  dic.loadConnectionCosts(new Int16Array(get('cc.dat.gz')));
  dic.loadUnknownDictionaries(
    new Uint8Array(get('unk.dat.gz')),
    new Uint8Array(get('unk_pos.dat.gz')),
    new Uint8Array(get('unk_map.dat.gz')),
    new Uint8Array(get('unk_char.dat.gz')),
    new Uint32Array(get('unk_compat.dat.gz')),
    new Uint8Array(get('unk_invoke.dat.gz')),
  );
  return createMecabSegmenter(dic);
}

interface CharInfo {
  /** Default class id (its unknown-word entries are used). */
  classId: number;
  /** Bit set of the default and compatible classes. */
  kinds: number;
  invoke: boolean;
  group: boolean;
  length: number;
}

interface LatticeNode {
  start: number;
  end: number;
  leftId: number;
  rightId: number;
  cost: number;
  surface: string;
  total: number;
  prev: LatticeNode | null;
}

/** A MeCab-style segmenter over loaded IPADIC dictionaries. */
export function createMecabSegmenter(dic: DynamicDictionaries): WordSegmenter {
  const unknown = dic.unknown_dictionary;
  const known = dic.token_info_dictionary;
  const costs = dic.connection_costs;
  const spaceClass = unknown.lookup(' ');
  // A surrogate pair is always DEFAULT in kuromoji's lookup.
  const defaultClass = unknown.lookup('\u{1F600}');
  const infoCache = new Map<string, CharInfo>();
  const charInfo = (ch: string): CharInfo => {
    let info = infoCache.get(ch);
    if (!info) {
      let cls = unknown.lookup(ch);
      if (MECAB_SPACES.has(ch.codePointAt(0) ?? 0)) cls = spaceClass;
      else if (cls.class_id === spaceClass.class_id) cls = defaultClass;
      let kinds = 1 << cls.class_id;
      for (const compatible of unknown.lookupCompatibleCategory(ch)) kinds |= 1 << compatible.class_id;
      info = {
        classId: cls.class_id,
        kinds,
        invoke: cls.is_always_invoke === 1,
        group: cls.is_grouping === 1,
        length: cls.max_length,
      };
      infoCache.set(ch, info);
    }
    return info;
  };
  const spaceKinds = 1 << spaceClass.class_id;

  return {
    segment(text: string): string[] {
      // Code points without spaces; `limit[i]` is where the space-free stretch holding i ends.
      const chars: string[] = [];
      const limit: number[] = [];
      let stretchStart = 0;
      for (const ch of text) {
        if ((charInfo(ch).kinds & spaceKinds) !== 0) {
          for (let i = stretchStart; i < chars.length; i++) limit[i] = chars.length;
          stretchStart = chars.length;
          continue;
        }
        chars.push(ch);
      }
      for (let i = stretchStart; i < chars.length; i++) limit[i] = chars.length;
      const n = chars.length;
      if (n === 0) return [];

      const endingAt: LatticeNode[][] = Array.from({ length: n + 1 }, () => []);
      const bos: LatticeNode = {
        start: 0,
        end: 0,
        leftId: 0,
        rightId: 0,
        cost: 0,
        surface: '',
        total: 0,
        prev: null,
      };
      endingAt[0].push(bos);
      const add = (start: number, end: number, leftId: number, rightId: number, cost: number): void => {
        let best: LatticeNode | null = null;
        let bestTotal = Infinity;
        for (const prev of endingAt[start]) {
          const total = prev.total + costs.get(prev.rightId, leftId) + cost;
          if (total < bestTotal) {
            bestTotal = total;
            best = prev;
          }
        }
        if (best === null) return;
        const surface = chars.slice(start, end).join('');
        endingAt[end].push({ start, end, leftId, rightId, cost, surface, total: bestTotal, prev: best });
      };
      const addUnknown = (start: number, end: number, classId: number): void => {
        for (const id of unknown.target_map[classId] ?? []) {
          const entry = unknown.dictionary;
          add(start, end, entry.getShort(id), entry.getShort(id + 2), entry.getShort(id + 4));
        }
      };

      for (let pos = 0; pos < n; pos++) {
        // Nodes ending at `pos` are complete: every node added so far starts before `pos`.
        const stop = limit[pos];
        const tail = chars.slice(pos, Math.min(stop, pos + MAX_WORD_CHARS)).join('');
        let found = 0;
        for (const { k, v } of dic.trie.commonPrefixSearch(tail)) {
          // IPADIC words are BMP-only, so the key's UTF-16 length is its length in code points.
          const end = pos + k.length;
          for (const tokenInfoId of known.target_map[v] ?? []) {
            const id = Number(tokenInfoId);
            add(
              pos,
              end,
              known.dictionary.getShort(id),
              known.dictionary.getShort(id + 2),
              known.dictionary.getShort(id + 4),
            );
            found++;
          }
        }
        const head = charInfo(chars[pos]);
        if (found > 0 && !head.invoke) continue;
        let added = 0;
        let groupEnd = -1;
        if (head.group) {
          let end = pos + 1;
          while (end < stop && (charInfo(chars[end]).kinds & head.kinds) !== 0) end++;
          if (end - pos - 1 <= MAX_GROUPING_SIZE) {
            addUnknown(pos, end, head.classId);
            groupEnd = end;
            added++;
          }
        }
        for (let length = 1; length <= head.length; length++) {
          const end = pos + length;
          if (end > stop) break;
          if (length > 1 && (charInfo(chars[end - 1]).kinds & head.kinds) === 0) break;
          if (end === groupEnd) continue;
          addUnknown(pos, end, head.classId);
          added++;
        }
        if (found === 0 && added === 0) addUnknown(pos, pos + 1, head.classId);
      }

      let last: LatticeNode | null = null;
      let bestTotal = Infinity;
      for (const node of endingAt[n]) {
        const total = node.total + costs.get(node.rightId, 0);
        if (total < bestTotal) {
          bestTotal = total;
          last = node;
        }
      }
      const words: string[] = [];
      for (let node = last; node !== null && node !== bos; node = node.prev) words.push(node.surface);
      return words.reverse();
    },
  };
}
