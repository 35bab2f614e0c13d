/**
 * The pairs table's logic, without React or the DOM: rows from pairs and (optionally) a trained classifier's
 * predictions, duplicate detection, filters and a stable sort.
 *
 * Everything works on pair indices (0-based positions in `pairs`) held in typed arrays, so 100k rows filter
 * and sort without allocating an object per row. Sorting goes through a dense rank per column (computed once
 * per column and cached on the table): ordering 100k rows is then one native `Float64Array` sort of
 * `rank × M + index` keys, which is stable by construction (ties keep the pairs' order).
 */
import { ROLE_TEST, ROLE_TRAIN, ROLE_UNLABELLED } from '../core/evaluation';
import type { Pair } from '../core/pairs';
import { findDuplicates } from '../core/pairs';

/** Columns of the table; the last three exist only when predictions are given. */
export type ColumnId = 'id' | 'premise' | 'hypothesis' | 'label' | 'prediction' | 'probability' | 'role';

export type SortDirection = 'asc' | 'desc';

export interface SortSpec {
  column: ColumnId;
  direction: SortDirection;
}

/** Which gold labels to keep: all pairs, unlabelled pairs only, or one raw label (as written). */
export type LabelFilter = { kind: 'all' } | { kind: 'unlabelled' } | { kind: 'label'; label: string };

export interface PairsFilter {
  /** Case-insensitive substring of the id, premise, hypothesis or gold label; blank = no query. */
  query: string;
  label: LabelFilter;
  /** Keep labelled pairs whose prediction differs from the gold label (ignored without predictions). */
  wrongOnly: boolean;
  /** Keep pairs whose premise and hypothesis occur more than once. */
  duplicatesOnly: boolean;
}

export const NO_FILTER: PairsFilter = {
  query: '',
  label: { kind: 'all' },
  wrongOnly: false,
  duplicatesOnly: false,
};

/** A trained classifier's output for every pair, aligned with the table's pairs (index i = pair i). */
export interface TablePredictions {
  classNames: readonly string[];
  /** Predicted class id per pair. */
  predictions: Int32Array;
  /** `pairs × classes`, row-major. */
  probabilities: Float32Array;
  /** ROLE_* per pair (unlabelled, train, test). */
  roles: Uint8Array;
  /** Gold class id per pair, null when unlabelled (through the same label scheme as training). */
  gold: readonly (number | null)[];
}

/** What the classifier summary holds per pair (a `TrainSummary` fits). */
export interface PredictionSource {
  classNames: readonly string[];
  predictions: Int32Array;
  probabilities: Float32Array;
  roles: Uint8Array;
}

/** A raw gold label and how many pairs carry it. */
export interface LabelCount {
  label: string;
  count: number;
}

/** One row as the table shows it (strings ready to render as text). */
export interface RowView {
  index: number;
  id: string;
  premise: string;
  hypothesis: string;
  /** Raw gold label, '' when unlabelled. */
  label: string;
  /** Predicted class name, '' without predictions. */
  prediction: string;
  /** Probability of the predicted class, 3 decimals; '' without predictions. */
  probability: string;
  /** 'train', 'test' or 'unlabelled'; '' without predictions. */
  role: string;
  /** Labelled and predicted wrong. */
  wrong: boolean;
  /** Index of the first pair with the same premise and hypothesis; -1 when the pair is unique. */
  duplicateOf: number;
  /** How many pairs share this premise and hypothesis (1 when unique). */
  duplicates: number;
}

/** Columns that need predictions. */
export const PREDICTION_COLUMNS: readonly ColumnId[] = ['prediction', 'probability', 'role'];
/** Columns shown always, in display order. */
export const BASE_COLUMNS: readonly ColumnId[] = ['id', 'premise', 'hypothesis', 'label'];

const ROLE_NAMES: Record<number, string> = {
  [ROLE_UNLABELLED]: 'unlabelled',
  [ROLE_TRAIN]: 'train',
  [ROLE_TEST]: 'test',
};

/**
 * Aligns a classifier's predictions with the pairs the table shows. The classifier saw `embedded` (the
 * pairs of the last embedding); when the user has edited the pairs since, the predictions no longer describe
 * them and null is returned. O(n) when the arrays differ by reference.
 *
 * @param gold Gold class id per embedded pair (null = unlabelled), e.g. from `pairLabels`.
 * @returns null when the pairs differ from `embedded` (id, text or label) or any array has the wrong length.
 */
export function alignPredictions(
  pairs: readonly Pair[],
  embedded: readonly Pair[],
  source: PredictionSource,
  gold: readonly (number | null)[],
): TablePredictions | null {
  const n = pairs.length;
  const k = source.classNames.length;
  if (
    embedded.length !== n ||
    source.predictions.length !== n ||
    source.roles.length !== n ||
    source.probabilities.length !== n * k ||
    gold.length !== n
  ) {
    return null;
  }
  if (pairs !== embedded) {
    for (let i = 0; i < n; i++) {
      const a = pairs[i];
      const b = embedded[i];
      if (a.id !== b.id || a.premise !== b.premise || a.hypothesis !== b.hypothesis || a.label !== b.label) {
        return null;
      }
    }
  }
  return {
    classNames: source.classNames,
    predictions: source.predictions,
    probabilities: source.probabilities,
    roles: source.roles,
    gold,
  };
}

/** Collation of text cells: the same order as `String.prototype.localeCompare` with default options. */
const textCollator = new Intl.Collator();
/** Ids such as `snli-9` and `snli-10` read in numeric order. */
const idCollator = new Intl.Collator(undefined, { numeric: true });

/** Rank given to a missing value; missing values sort last in both directions. */
const NULL_RANK = -1;

/**
 * Characters the fast collation path may handle itself: printable ASCII, the no-break space, Latin-1 letters,
 * curly quotes and en/em dashes (the usual characters of English NLI data). Those that do not collate as one
 * letter (æ, ß … expand to two) are dropped by the probes in `fastCollation`.
 */
const FAST_CANDIDATES: readonly number[] = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, j) => 0x20 + j),
  0xa0,
  ...Array.from({ length: 0x100 - 0xc0 }, (_, j) => 0xc0 + j).filter((c) => c !== 0xd7 && c !== 0xf7),
  0x2013,
  0x2014,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
];

interface FastCollation {
  /** Primary weight (≥ 1) per UTF-16 code unit; 0 = not handled here. */
  weights: Uint16Array;
  /** Matches a string with any character the fast path does not handle. */
  other: RegExp;
}

let fastCollationCache: FastCollation | null | undefined;

/**
 * Primary collation weights of the FAST_CANDIDATES under `textCollator`, derived from the collator itself
 * (computed once); null when the collator does not behave as the fast path assumes.
 *
 * The fast path relies on the root collation's rules: each handled character has exactly one primary weight
 * (no contraction, expansion or ignorable character; punctuation is not ignored by default). Then two
 * strings of such characters that differ at the primary level are ordered by their first differing weight,
 * and only strings with equal weights (accent or case variants) need the collator. The probes check these
 * properties character by character; a character that fails is left to the collator.
 */
function fastCollation(): FastCollation | null {
  if (fastCollationCache !== undefined) return fastCollationCache;
  const cmp = (a: string, b: string) => Math.sign(textCollator.compare(a, b));
  const base = new Intl.Collator(undefined, { sensitivity: 'base' });
  const chars = FAST_CANDIDATES.map((c) => String.fromCharCode(c)).sort((a, b) => base.compare(a, b));
  const low = ' ';
  const high = 'z';
  const weights = new Uint16Array(0x2020);
  const kept: number[] = [];
  // Walk the weight classes (runs of characters equal at the primary level) in order. A character is kept
  // when it sorts after the last kept class even against `high` (an expansion such as æ = a e sorts before
  // a z, and fails), before its own continuation (not ignorable), and like the first kept member of its class
  // in longer strings (equal primary weight).
  let previous: string | undefined;
  let member: string | undefined;
  let k = 1;
  for (let j = 0; j < chars.length; j++) {
    const c = chars[j];
    if (j > 0 && base.compare(chars[j - 1], c) !== 0) {
      k++;
      if (member !== undefined) previous = member;
      member = undefined;
    }
    const single =
      base.compare(c, '') !== 0 &&
      cmp(c, c + low) === -1 &&
      (previous === undefined || cmp(previous + high, c + low) === -1) &&
      (member === undefined || (cmp(member + high, c + low) === 1 && cmp(c + high, member + low) === 1));
    if (single) {
      weights[c.charCodeAt(0)] = k;
      kept.push(c.charCodeAt(0));
      member ??= c;
    }
  }
  // Weights must fit a byte: `sortFast` packs two characters into one 16-bit digit.
  const behaves =
    k < 256 &&
    weights[0x2d] > 0 &&
    Math.sign(weights[0x2d] - weights[0x62]) === cmp('a-b', 'ab') &&
    cmp('a', 'A') !== 0 &&
    weights[0x61] > 0;
  if (!behaves) {
    fastCollationCache = null;
    return null;
  }
  const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
  fastCollationCache = { weights, other: new RegExp(`[^${kept.map(hex).join('')}]`) };
  return fastCollationCache;
}

/** Below this many strings, a partition is finished by insertion sort. */
const INSERTION_SORT_BELOW = 12;

/**
 * Sorts `order` (indices into `strings`, all handled by the fast path) in `textCollator` order: a multikey
 * quicksort (Bentley & Sedgewick) on primary weights, one character position at a time, so long shared
 * prefixes are read once per partition rather than once per comparison. Strings with equal primary weights
 * are ordered by the collator, and `tied[j] = 1` marks position j as primary-equal to position j - 1.
 */
function sortFast(
  strings: readonly string[],
  order: Uint32Array,
  weights: Uint16Array,
  tied: Uint8Array,
): void {
  // Digit d of a string: the weights of characters 2d and 2d + 1 (weights < 256), 0 past the end. Two
  // characters per step halve the partitioning passes over shared prefixes.
  const at = (s: string, d: number) => {
    const c = 2 * d;
    if (c >= s.length) return 0;
    const high = weights[s.charCodeAt(c)] << 8;
    return c + 1 < s.length ? high | weights[s.charCodeAt(c + 1)] : high;
  };
  /** 0 when a and b (equal before digit d) have equal primary weights, else their first difference. */
  const primaryFrom = (a: string, b: string, d: number) => {
    for (let e = d; ; e++) {
      const ca = at(a, e);
      const cb = at(b, e);
      if (ca !== cb || ca === 0) return ca - cb;
    }
  };
  const compareFrom = (a: string, b: string, d: number) => primaryFrom(a, b, d) || textCollator.compare(a, b);
  const stack: number[] = [0, order.length, 0];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo < 2) continue;
    if (hi - lo < INSERTION_SORT_BELOW) {
      for (let i = lo + 1; i < hi; i++) {
        const v = order[i];
        let j = i - 1;
        while (j >= lo && compareFrom(strings[order[j]], strings[v], d) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      for (let i = lo + 1; i < hi; i++) {
        if (primaryFrom(strings[order[i - 1]], strings[order[i]], d) === 0) tied[i] = 1;
      }
      continue;
    }
    const pivot = at(strings[order[lo + ((hi - lo) >> 1)]], d);
    let lt = lo;
    let gt = hi - 1;
    let i = lo;
    while (i <= gt) {
      const c = at(strings[order[i]], d);
      if (c < pivot) {
        const t = order[lt];
        order[lt++] = order[i];
        order[i++] = t;
      } else if (c > pivot) {
        const t = order[gt];
        order[gt--] = order[i];
        order[i] = t;
      } else i++;
    }
    stack.push(lo, lt, d);
    if (pivot !== 0) stack.push(lt, gt + 1, d + 1);
    else if (gt + 1 - lt > 1) {
      // These strings ended here with equal primary weights: accents and case tell them apart.
      order.subarray(lt, gt + 1).sort((a, b) => textCollator.compare(strings[a], strings[b]));
      tied.fill(1, lt + 1, gt + 1);
    }
    stack.push(gt + 1, hi, d);
  }
}

/**
 * Indices of `strings` (distinct values) in collation order, and per position whether it may collate equal
 * to the one before (then the collator decides). With the default collator, strings of common characters
 * take the fast path (`sortFast`); the others are sorted by the collator and merged in by binary search.
 * Otherwise (or when the probes fail) every comparison goes through the collator.
 */
function collationOrder(
  strings: readonly string[],
  collator: Intl.Collator,
): { order: Uint32Array; mayEqualPrevious: Uint8Array } {
  const fast = collator === textCollator ? fastCollation() : null;
  const byCollator = (a: number, b: number) => collator.compare(strings[a], strings[b]);
  if (!fast) {
    return {
      order: Uint32Array.from(strings.keys()).sort(byCollator),
      mayEqualPrevious: new Uint8Array(strings.length).fill(1),
    };
  }
  const simple: number[] = [];
  const other: number[] = [];
  for (let i = 0; i < strings.length; i++) (fast.other.test(strings[i]) ? other : simple).push(i);
  const simpleOrder = Uint32Array.from(simple);
  const simpleTied = new Uint8Array(simple.length);
  sortFast(strings, simpleOrder, fast.weights, simpleTied);
  if (other.length === 0) return { order: simpleOrder, mayEqualPrevious: simpleTied };
  const otherOrder = Uint32Array.from(other).sort(byCollator);
  const order = new Uint32Array(strings.length);
  const mayEqualPrevious = new Uint8Array(strings.length);
  let k = 0;
  let from = 0;
  /** Appends simple strings [from, to) of simpleOrder; the first one after another string needs the collator. */
  const copySimple = (to: number) => {
    order.set(simpleOrder.subarray(from, to), k);
    mayEqualPrevious.set(simpleTied.subarray(from, to), k);
    if (to > from) mayEqualPrevious[k] = 1;
    k += to - from;
    from = to;
  };
  for (const o of otherOrder) {
    // First simple string after `o`; `otherOrder` is sorted, so the search starts where the last one ended.
    let lo = from;
    let hi = simpleOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (collator.compare(strings[simpleOrder[mid]], strings[o]) <= 0) lo = mid + 1;
      else hi = mid;
    }
    copySimple(lo);
    mayEqualPrevious[k] = 1;
    order[k++] = o;
  }
  copySimple(simpleOrder.length);
  return { order, mayEqualPrevious };
}

/**
 * Dense ranks of text values under a collator: equal (collator says 0) values share a rank, and rank order
 * is collation order. `values[i] === null` gets NULL_RANK. Each distinct value is ranked once.
 */
function rankText(values: readonly (string | null)[], collator: Intl.Collator): Int32Array {
  const slot = new Map<string, number>();
  const distinct: string[] = [];
  const slots = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      slots[i] = NULL_RANK;
      continue;
    }
    let s = slot.get(v);
    if (s === undefined) {
      s = distinct.length;
      slot.set(v, s);
      distinct.push(v);
    }
    slots[i] = s;
  }
  const { order, mayEqualPrevious } = collationOrder(distinct, collator);
  const rankOfSlot = new Int32Array(distinct.length);
  let rank = 0;
  for (let j = 1; j < order.length; j++) {
    if (mayEqualPrevious[j] === 0 || collator.compare(distinct[order[j - 1]], distinct[order[j]]) !== 0)
      rank++;
    rankOfSlot[order[j]] = rank;
  }
  const ranks = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++)
    ranks[i] = slots[i] === NULL_RANK ? NULL_RANK : rankOfSlot[slots[i]];
  return ranks;
}

/**
 * Dense ranks of numbers in numeric order; NaN (missing) gets NULL_RANK. A native typed-array sort of the
 * values plus a binary search per value: no comparator calls.
 */
function rankNumbers(values: Float64Array): Int32Array {
  const present = values.filter((v) => !Number.isNaN(v)).map((v) => v + 0); // + 0 turns -0 into 0
  present.sort();
  let u = 0;
  for (let j = 0; j < present.length; j++)
    if (j === 0 || present[j] !== present[u - 1]) present[u++] = present[j];
  const ranks = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      ranks[i] = NULL_RANK;
      continue;
    }
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (present[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return ranks;
}

/** Ids that are numbers (line numbers, dataset indices) rank numerically, before ids that are text. */
function rankIds(ids: readonly string[]): Int32Array {
  const numbers = new Float64Array(ids.length);
  const texts: (string | null)[] = new Array<string | null>(ids.length);
  let anyText = false;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i].trim();
    const v = id === '' ? NaN : Number(id);
    if (Number.isFinite(v)) {
      numbers[i] = v;
      texts[i] = null;
    } else {
      numbers[i] = NaN;
      texts[i] = ids[i];
      anyText = true;
    }
  }
  const ranks = rankNumbers(numbers);
  if (!anyText) return ranks;
  let offset = 0;
  for (const r of ranks) offset = Math.max(offset, r + 1);
  const textRanks = rankText(texts, idCollator);
  for (let i = 0; i < ids.length; i++) if (textRanks[i] !== NULL_RANK) ranks[i] = offset + textRanks[i];
  return ranks;
}

/**
 * The table's data: the pairs, duplicate groups, label counts and predictions, with lazily computed (and
 * cached) sort ranks and search text. Build one per pairs/predictions change; it never mutates the pairs.
 */
export class PairsTableData {
  readonly n: number;
  /** Per pair: index of the first pair with the same premise and hypothesis, or -1 when unique. */
  readonly duplicateOf: Int32Array;
  /** Per pair: size of its duplicate group (1 when unique). */
  readonly duplicateGroupSize: Uint32Array;
  /** Pairs that belong to a duplicate group (the first occurrence included). */
  readonly duplicatePairs: number;
  /** Distinct raw gold labels, by collation order, with counts; `unlabelled` counts the rest. */
  readonly labels: LabelCount[];
  readonly unlabelled: number;
  /** Probability of the predicted class per pair (empty without predictions). */
  readonly confidence: Float32Array;
  /** 1 when the pair is labelled and predicted wrong (all 0 without predictions). */
  readonly wrong: Uint8Array;
  readonly wrongCount: number;
  readonly #ranks = new Map<ColumnId, Int32Array>();
  #search: string[] | null = null;

  constructor(
    readonly pairs: readonly Pair[],
    readonly predictions: TablePredictions | null = null,
  ) {
    const n = pairs.length;
    this.n = n;
    this.duplicateOf = findDuplicates(pairs);
    this.duplicateGroupSize = new Uint32Array(n).fill(1);
    // Group sizes, counted at each group's first pair (duplicateOf[i] ≤ i).
    const groupSize = new Uint32Array(n);
    for (let i = 0; i < n; i++) if (this.duplicateOf[i] >= 0) groupSize[this.duplicateOf[i]]++;
    const labelCounts = new Map<string, number>();
    let unlabelled = 0;
    for (const pair of pairs) {
      if (pair.label === null) unlabelled++;
      else labelCounts.set(pair.label, (labelCounts.get(pair.label) ?? 0) + 1);
    }
    let duplicatePairs = 0;
    for (let i = 0; i < n; i++) {
      const f = this.duplicateOf[i];
      if (f >= 0) {
        this.duplicateGroupSize[i] = groupSize[f];
        duplicatePairs++;
      }
    }
    this.duplicatePairs = duplicatePairs;
    this.labels = [...labelCounts]
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => textCollator.compare(a.label, b.label));
    this.unlabelled = unlabelled;

    this.confidence = new Float32Array(predictions ? n : 0);
    this.wrong = new Uint8Array(n);
    let wrongCount = 0;
    if (predictions) {
      const k = predictions.classNames.length;
      for (let i = 0; i < n; i++) {
        const p = predictions.predictions[i];
        this.confidence[i] = predictions.probabilities[i * k + p];
        const g = predictions.gold[i];
        if (g !== null && g !== p) {
          this.wrong[i] = 1;
          wrongCount++;
        }
      }
    }
    this.wrongCount = wrongCount;
  }

  /** Whether the column has values to show and sort (prediction columns need predictions). */
  hasColumn(column: ColumnId): boolean {
    return this.predictions !== null || !PREDICTION_COLUMNS.includes(column);
  }

  /**
   * Dense rank per pair for `column` (NULL_RANK = -1 for a missing value), computed on first use and cached.
   * Text compares like `localeCompare`; numbers numerically; ids numerically when they are numbers.
   */
  rank(column: ColumnId): Int32Array {
    let ranks = this.#ranks.get(column);
    if (!ranks) {
      ranks = this.#computeRank(column);
      this.#ranks.set(column, ranks);
    }
    return ranks;
  }

  #computeRank(column: ColumnId): Int32Array {
    const { pairs, predictions } = this;
    switch (column) {
      case 'id':
        return rankIds(pairs.map((p) => p.id));
      case 'premise':
        return rankText(
          pairs.map((p) => p.premise),
          textCollator,
        );
      case 'hypothesis':
        return rankText(
          pairs.map((p) => p.hypothesis),
          textCollator,
        );
      case 'label':
        return rankText(
          pairs.map((p) => p.label),
          textCollator,
        );
      case 'prediction': {
        if (!predictions) return new Int32Array(this.n).fill(NULL_RANK);
        const classRanks = rankText(predictions.classNames, textCollator);
        return predictions.predictions.map((p) => classRanks[p]);
      }
      case 'probability':
        return predictions
          ? rankNumbers(Float64Array.from(this.confidence))
          : new Int32Array(this.n).fill(NULL_RANK);
      case 'role': {
        if (!predictions) return new Int32Array(this.n).fill(NULL_RANK);
        const codes = [ROLE_UNLABELLED, ROLE_TRAIN, ROLE_TEST];
        const roleRanks = rankText(
          codes.map((c) => ROLE_NAMES[c]),
          textCollator,
        );
        const rankOfCode = new Int32Array(256).fill(NULL_RANK);
        codes.forEach((c, j) => (rankOfCode[c] = roleRanks[j]));
        return Int32Array.from(predictions.roles, (r) => rankOfCode[r]);
      }
    }
  }

  /** Lower-cased `id ␁ premise ␁ hypothesis ␁ label` of pair i, built for all pairs on first use. */
  searchText(i: number): string {
    this.#search ??= this.pairs.map((p) =>
      `${p.id}\u0001${p.premise}\u0001${p.hypothesis}\u0001${p.label ?? ''}`.toLowerCase(),
    );
    return this.#search[i];
  }

  /** Pair i as the table shows it. */
  row(i: number): RowView {
    const pair = this.pairs[i];
    const { predictions } = this;
    return {
      index: i,
      id: pair.id,
      premise: pair.premise,
      hypothesis: pair.hypothesis,
      label: pair.label ?? '',
      prediction: predictions ? (predictions.classNames[predictions.predictions[i]] ?? '') : '',
      probability: predictions ? this.confidence[i].toFixed(3) : '',
      role: predictions ? (ROLE_NAMES[predictions.roles[i]] ?? '') : '',
      wrong: this.wrong[i] === 1,
      duplicateOf: this.duplicateOf[i],
      duplicates: this.duplicateGroupSize[i],
    };
  }
}

/**
 * Builds the table data for `pairs`. O(n) (duplicate groups and label counts); sort ranks and search text
 * are computed when first needed.
 *
 * @param predictions aligned with `pairs` (see `alignPredictions`), or null before training.
 */
export function buildPairsTable(
  pairs: readonly Pair[],
  predictions: TablePredictions | null = null,
): PairsTableData {
  return new PairsTableData(pairs, predictions);
}

/**
 * The full order of the pairs under `sort`: a permutation of 0…n-1. Stable in both directions (equal values
 * keep the pairs' order); missing values (unlabelled gold label) come last in both directions. `null`, or a
 * prediction column without predictions, gives the pairs' own order.
 */
export function sortPairs(table: PairsTableData, sort: SortSpec | null): Uint32Array {
  const n = table.n;
  const order = new Uint32Array(n);
  if (!sort || !table.hasColumn(sort.column)) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }
  const ranks = table.rank(sort.column);
  let maxRank = 0;
  for (let i = 0; i < n; i++) if (ranks[i] > maxRank) maxRank = ranks[i];
  // key = sortRank × m + index with m ≥ n: distinct keys, ordered by rank then index. Exact in a double while
  // (maxRank + 2) × m < 2^53, i.e. for any n below ~67 million.
  const m = 2 ** Math.ceil(Math.log2(n + 1));
  const keys = new Float64Array(n);
  const desc = sort.direction === 'desc';
  for (let i = 0; i < n; i++) {
    const r = ranks[i];
    const sortRank = r === NULL_RANK ? maxRank + 1 : desc ? maxRank - r : r;
    keys[i] = sortRank * m + i;
  }
  keys.sort();
  for (let j = 0; j < n; j++) order[j] = keys[j] % m;
  return order;
}

/** Whether any part of the filter removes pairs from this table. */
export function isFiltering(table: PairsTableData, filter: PairsFilter): boolean {
  return (
    filter.query.trim() !== '' ||
    filter.label.kind !== 'all' ||
    (filter.wrongOnly && table.predictions !== null) ||
    filter.duplicatesOnly
  );
}

/**
 * Which pairs pass the filter: `mask[i] === 1` keeps pair i. Returns null when the filter keeps every pair.
 * The query is trimmed and matched case-insensitively as a substring of the id, premise, hypothesis or label.
 */
export function filterPairs(table: PairsTableData, filter: PairsFilter): Uint8Array | null {
  if (!isFiltering(table, filter)) return null;
  const n = table.n;
  const mask = new Uint8Array(n).fill(1);
  const { label } = filter;
  if (label.kind !== 'all') {
    const wanted = label.kind === 'unlabelled' ? null : label.label;
    for (let i = 0; i < n; i++) if (table.pairs[i].label !== wanted) mask[i] = 0;
  }
  if (filter.wrongOnly && table.predictions) {
    for (let i = 0; i < n; i++) if (table.wrong[i] === 0) mask[i] = 0;
  }
  if (filter.duplicatesOnly) {
    for (let i = 0; i < n; i++) if (table.duplicateOf[i] < 0) mask[i] = 0;
  }
  const query = filter.query.trim().toLowerCase();
  if (query !== '') {
    for (let i = 0; i < n; i++) if (mask[i] === 1 && !table.searchText(i).includes(query)) mask[i] = 0;
  }
  return mask;
}

/** The rows to show, in order: `order` (from `sortPairs`) restricted to the pairs `mask` keeps. */
export function visibleRows(order: Uint32Array, mask: Uint8Array | null): Uint32Array {
  if (!mask) return order;
  let count = 0;
  for (let j = 0; j < order.length; j++) count += mask[order[j]];
  const rows = new Uint32Array(count);
  let k = 0;
  for (let j = 0; j < order.length; j++) if (mask[order[j]] === 1) rows[k++] = order[j];
  return rows;
}

/** The next sort after a click on `column`'s header: ascending first, then toggling. */
export function nextSort(current: SortSpec | null, column: ColumnId): SortSpec {
  if (current?.column === column) {
    return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { column, direction: 'asc' };
}
