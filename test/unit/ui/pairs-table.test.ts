import { describe, expect, it } from 'vitest';
import type { Pair } from '../../../src/core/pairs';
import { findDuplicates } from '../../../src/core/pairs';
import { readPairsText } from '../../../src/core/formats';
import type { PairsFilter, PredictionSource, SortSpec, TablePredictions } from '../../../src/ui/pairs-table';
import {
  NO_FILTER,
  alignPredictions,
  buildPairsTable,
  filterPairs,
  isFiltering,
  nextSort,
  sortPairs,
  visibleRows,
} from '../../../src/ui/pairs-table';

const pair = (id: string, premise: string, hypothesis: string, label: string | null = null): Pair => ({
  id,
  premise,
  hypothesis,
  label,
});

const pairs: Pair[] = [
  pair('1', 'b cat', 'Zebra', 'neutral'),
  pair('2', 'a dog', 'apple', null),
  pair('10', 'b cat', 'apple', 'entailment'),
  pair('3', 'A dog', 'Éclair', 'neutral'),
  pair('4', 'c bird', 'apple', null),
];

/** entailment = 0, neutral = 1; predictions with probabilities of the predicted class 0.9, 0.6, 0.6, 0.8, 0.7. */
const source: PredictionSource = {
  classNames: ['entailment', 'neutral'],
  predictions: new Int32Array([0, 1, 0, 1, 0]),
  probabilities: new Float32Array([0.9, 0.1, 0.4, 0.6, 0.6, 0.4, 0.2, 0.8, 0.7, 0.3]),
  roles: new Uint8Array([1, 0, 2, 2, 0]),
};
const gold = [1, null, 0, 1, null];

const order = (s: SortSpec | null, p: readonly Pair[] = pairs, pred: TablePredictions | null = null) =>
  Array.from(sortPairs(buildPairsTable(p, pred), s));
const filtered = (filter: Partial<PairsFilter>, pred: TablePredictions | null = null) => {
  const table = buildPairsTable(pairs, pred);
  return Array.from(visibleRows(sortPairs(table, null), filterPairs(table, { ...NO_FILTER, ...filter })));
};
const predictions = (): TablePredictions => alignPredictions(pairs, pairs, source, gold)!;

describe('sortPairs', () => {
  it('keeps the pairs’ order without a sort', () => {
    expect(order(null)).toEqual([0, 1, 2, 3, 4]);
  });

  it('sorts text like localeCompare, ascending and descending, stable on ties', () => {
    const byLocale = [0, 1, 2, 3, 4].sort(
      (a, b) => pairs[a].premise.localeCompare(pairs[b].premise) || a - b,
    );
    expect(order({ column: 'premise', direction: 'asc' })).toEqual(byLocale);
    // 'a dog' < 'A dog' (lower case first at the tertiary level) < 'b cat' (0, 2 tie) < 'c bird'.
    expect(order({ column: 'premise', direction: 'asc' })).toEqual([1, 3, 0, 2, 4]);
    // Descending reverses the groups but ties keep the pairs' order.
    expect(order({ column: 'premise', direction: 'desc' })).toEqual([4, 0, 2, 3, 1]);
    // Accents and case collate, not code units: 'Éclair' between 'apple' and 'Zebra'.
    expect(order({ column: 'hypothesis', direction: 'asc' })).toEqual([1, 2, 4, 3, 0]);
  });

  it('sorts numeric ids as numbers and text ids after them, in numeric collation', () => {
    expect(order({ column: 'id', direction: 'asc' })).toEqual([0, 1, 3, 4, 2]);
    expect(order({ column: 'id', direction: 'desc' })).toEqual([2, 4, 3, 1, 0]);
    const mixed = [
      pair('snli-10', 'x', 'y'),
      pair('7', 'x', 'y'),
      pair('snli-9', 'x', 'y'),
      pair('-1.5', 'x', 'y'),
    ];
    expect(order({ column: 'id', direction: 'asc' }, mixed)).toEqual([3, 1, 2, 0]);
  });

  it('puts unlabelled pairs last in both directions', () => {
    expect(order({ column: 'label', direction: 'asc' })).toEqual([2, 0, 3, 1, 4]);
    expect(order({ column: 'label', direction: 'desc' })).toEqual([0, 3, 2, 1, 4]);
  });

  it('sorts probabilities numerically and predictions / roles by their names', () => {
    const pred = predictions();
    // 0.9, 0.6, 0.6, 0.8, 0.7: the tie (1, 2) keeps its order in both directions.
    expect(order({ column: 'probability', direction: 'asc' }, pairs, pred)).toEqual([1, 2, 4, 3, 0]);
    expect(order({ column: 'probability', direction: 'desc' }, pairs, pred)).toEqual([0, 3, 4, 1, 2]);
    expect(order({ column: 'prediction', direction: 'asc' }, pairs, pred)).toEqual([0, 2, 4, 1, 3]);
    // test < train < unlabelled
    expect(order({ column: 'role', direction: 'asc' }, pairs, pred)).toEqual([2, 3, 0, 1, 4]);
  });

  it('compares numbers numerically, not as text (10 > 9, negatives first)', () => {
    const ids = ['9', '10', '-3', '2.5', '100'].map((id) => pair(id, 'p', 'h'));
    expect(order({ column: 'id', direction: 'asc' }, ids).map((i) => ids[i].id)).toEqual([
      '-3',
      '2.5',
      '9',
      '10',
      '100',
    ]);
  });

  it('ignores a prediction column when there are no predictions', () => {
    expect(order({ column: 'probability', direction: 'desc' })).toEqual([0, 1, 2, 3, 4]);
  });

  it('handles no pairs and one pair', () => {
    expect(order({ column: 'premise', direction: 'asc' }, [])).toEqual([]);
    expect(order({ column: 'premise', direction: 'desc' }, [pairs[0]])).toEqual([0]);
  });

  it('toggles the direction on the same column and starts ascending on a new one', () => {
    expect(nextSort(null, 'premise')).toEqual({ column: 'premise', direction: 'asc' });
    expect(nextSort({ column: 'premise', direction: 'asc' }, 'premise')).toEqual({
      column: 'premise',
      direction: 'desc',
    });
    expect(nextSort({ column: 'premise', direction: 'desc' }, 'premise').direction).toBe('asc');
    expect(nextSort({ column: 'premise', direction: 'desc' }, 'label')).toEqual({
      column: 'label',
      direction: 'asc',
    });
  });
});

describe('text collation (fast path for common characters)', () => {
  /** The reference: a stable sort with the collator that `localeCompare` uses. */
  const reference = (texts: string[], direction: 'asc' | 'desc') => {
    const collator = new Intl.Collator();
    const sign = direction === 'asc' ? 1 : -1;
    return texts.map((_, i) => i).sort((a, b) => sign * collator.compare(texts[a], texts[b]) || a - b);
  };
  const asPairs = (texts: string[]) => texts.map((t, i) => pair(String(i + 1), t, 'h'));

  it('matches the collator on random strings with punctuation, case, accents, expansions and other scripts', () => {
    let state = 7;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    // A small alphabet, so that prefixes, case and accent variants and exact duplicates are frequent.
    const alphabet = [
      ...'aAbBzZ09 -_.,\'"!?()[]{}~^`|/\\@#$%&*+<=>:;',
      'é',
      'É',
      'e\u0301', // decomposed é: collates equal to the precomposed one
      'æ',
      'ß',
      'ø',
      'þ',
      'ÿ',
      '\u00a0',
      '’',
      '“',
      '–',
      '—',
      '…',
      '\t',
      '\u0001',
      '日',
      'Ω',
      '\u{1F600}',
    ];
    const texts = Array.from({ length: 4000 }, () =>
      Array.from(
        { length: Math.floor(random() * 7) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join(''),
    );
    texts.push(
      'a-b',
      'ab',
      'a b',
      'A',
      'a',
      '',
      'æ',
      'ae',
      'af',
      'ss',
      'ß',
      'st',
      'cote',
      'côte',
      'coté',
      'côté',
    );
    for (const direction of ['asc', 'desc'] as const) {
      expect(order({ column: 'premise', direction }, asPairs(texts))).toEqual(reference(texts, direction));
    }
  });

  it('matches the collator on sentences with long shared prefixes (ASCII only, and with accents)', () => {
    const words = [
      'A man',
      'a man',
      'is',
      'playing',
      'café',
      'cafe',
      'Cafe',
      'the',
      'guitar',
      'guitars',
      'x-ray',
    ];
    let state = 11;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const texts = Array.from({ length: 5000 }, () =>
      Array.from(
        { length: 3 + Math.floor(random() * 6) },
        () => words[Math.floor(random() * words.length)],
      ).join(' '),
    );
    expect(order({ column: 'premise', direction: 'asc' }, asPairs(texts))).toEqual(reference(texts, 'asc'));
    const ascii = texts.map((t) => t.replace(/é/g, 'e'));
    expect(order({ column: 'premise', direction: 'desc' }, asPairs(ascii))).toEqual(reference(ascii, 'desc'));
  });
});

describe('filterPairs', () => {
  it('keeps everything without a filter', () => {
    const table = buildPairsTable(pairs);
    expect(filterPairs(table, NO_FILTER)).toBeNull();
    expect(isFiltering(table, { ...NO_FILTER, query: '   ' })).toBe(false);
    expect(isFiltering(table, { ...NO_FILTER, wrongOnly: true })).toBe(false);
  });

  it('matches the query case-insensitively in id, premise, hypothesis and label', () => {
    expect(filtered({ query: 'DOG' })).toEqual([1, 3]);
    expect(filtered({ query: ' éCLAIR ' })).toEqual([3]);
    expect(filtered({ query: 'entail' })).toEqual([2]);
    expect(filtered({ query: '10' })).toEqual([2]);
    expect(filtered({ query: 'nothing like this' })).toEqual([]);
  });

  it('does not match across field boundaries', () => {
    expect(filtered({ query: 'cat zebra' })).toEqual([]);
  });

  it('filters by one raw label or the unlabelled pairs', () => {
    expect(filtered({ label: { kind: 'label', label: 'neutral' } })).toEqual([0, 3]);
    expect(filtered({ label: { kind: 'unlabelled' } })).toEqual([1, 4]);
    expect(filtered({ label: { kind: 'label', label: 'neutral' }, query: 'cat' })).toEqual([0]);
  });

  it('keeps the labelled pairs predicted wrong (train and test), only when predictions exist', () => {
    const pred = predictions();
    // gold 1 vs 0 (pair 0, train) is wrong; pairs 2 and 3 are right; 1 and 4 are unlabelled.
    expect(filtered({ wrongOnly: true }, pred)).toEqual([0]);
    expect(filtered({ wrongOnly: true })).toEqual([0, 1, 2, 3, 4]);
    expect(buildPairsTable(pairs, pred).wrongCount).toBe(1);
  });

  it('keeps the filtered rows in the sorted order', () => {
    const table = buildPairsTable(pairs);
    const rows = visibleRows(
      sortPairs(table, { column: 'premise', direction: 'desc' }),
      filterPairs(table, { ...NO_FILTER, query: 'apple' }),
    );
    expect(Array.from(rows)).toEqual([4, 2, 1]);
  });
});

describe('duplicates', () => {
  const dups = [
    pair('1', 'A man.', 'A person.', 'entailment'),
    pair('2', ' A man. ', 'A person.  ', 'neutral'),
    pair('3', 'A man.', 'Someone.'),
    pair('4', 'a man.', 'A person.'),
    pair('5', 'A man.', 'A person.'),
  ];

  it('groups pairs with the same trimmed premise and hypothesis (case matters, labels do not)', () => {
    const table = buildPairsTable(dups);
    expect(Array.from(table.duplicateOf)).toEqual([0, 0, -1, -1, 0]);
    expect(Array.from(table.duplicateGroupSize)).toEqual([3, 3, 1, 1, 3]);
    expect(table.duplicatePairs).toBe(3);
    expect(Array.from(findDuplicates([...dups, pair('6', 'A man.', 'Someone.')]))).toEqual([
      0, 0, 2, -1, 0, 2,
    ]);
    expect(table.row(4)).toMatchObject({ duplicateOf: 0, duplicates: 3 });
  });

  it('filters the duplicates', () => {
    const table = buildPairsTable(dups);
    const mask = filterPairs(table, { ...NO_FILTER, duplicatesOnly: true });
    expect(Array.from(visibleRows(sortPairs(table, null), mask))).toEqual([0, 1, 4]);
  });

  it('reports none for unique pairs', () => {
    expect(buildPairsTable(pairs.slice(0, 2)).duplicatePairs).toBe(0);
  });
});

describe('alignPredictions and rows', () => {
  it('aligns predictions with equal pairs, and refuses edited or differently sized pairs', () => {
    expect(
      alignPredictions(
        pairs,
        pairs.map((p) => ({ ...p })),
        source,
        gold,
      ),
    ).not.toBeNull();
    const edited = pairs.map((p, i) => (i === 2 ? { ...p, hypothesis: 'changed' } : p));
    expect(alignPredictions(edited, pairs, source, gold)).toBeNull();
    expect(alignPredictions(pairs.slice(1), pairs.slice(1), source, gold.slice(1))).toBeNull();
  });

  it('shows the label, prediction, probability of the predicted class and role as text', () => {
    const table = buildPairsTable(pairs, predictions());
    expect(table.row(0)).toMatchObject({
      id: '1',
      label: 'neutral',
      prediction: 'entailment',
      probability: '0.900',
      role: 'train',
      wrong: true,
    });
    expect(table.row(1)).toMatchObject({
      label: '',
      prediction: 'neutral',
      role: 'unlabelled',
      wrong: false,
    });
    expect(buildPairsTable(pairs).row(0)).toMatchObject({ prediction: '', probability: '', role: '' });
  });

  it('counts the labels', () => {
    const table = buildPairsTable(pairs);
    expect(table.labels).toEqual([
      { label: 'entailment', count: 1 },
      { label: 'neutral', count: 2 },
    ]);
    expect(table.unlabelled).toBe(2);
  });
});

/** Seeded LCG: the same 100k pairs on every run, read by the app's parser (strings as the app holds them). */
function generatePairs(n: number): Pair[] {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const subjects = ['A man', 'A woman', 'The child', 'Two dogs', 'An old café owner', 'Élodie', 'A cyclist'];
  const verbs = ['is playing', 'watches', 'repairs', 'paints', 'is sleeping near', 'carries', 'sells'];
  const objects = [
    'a guitar',
    'the street',
    'a red bicycle',
    'three apples',
    'the old piano',
    'a crème brûlée',
  ];
  const places = ['in the park', 'at night', 'by the river', 'downtown', 'in the rain', ''];
  const pick = (words: string[]) => words[Math.floor(random() * words.length)];
  const sentence = () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(places)}`.trim() + '.';
  const labels = ['\tentailment', '\tneutral', '\tcontradiction', ''];
  const lines = Array.from(
    { length: n },
    () => `${sentence()} ${sentence()}\t${sentence()}${labels[Math.floor(random() * 4)]}`,
  );
  return readPairsText(lines.join('\n'), null).result.pairs;
}

describe('100k rows', () => {
  it('builds, sorts and filters (timings printed, not asserted)', () => {
    const n = 100_000;
    const many = generatePairs(n);
    const k = 3;
    const probabilities = new Float32Array(n * k).map((_, j) => ((j * 7919) % 1000) / 1000);
    const pred = alignPredictions(
      many,
      many,
      {
        classNames: ['entailment', 'neutral', 'contradiction'],
        predictions: new Int32Array(n).map((_, i) => i % k),
        probabilities,
        roles: new Uint8Array(n).map((_, i) => i % 3),
      },
      many.map((p) =>
        p.label === null ? null : ['entailment', 'neutral', 'contradiction'].indexOf(p.label),
      ),
    );
    const time = <T>(f: () => T): [T, number] => {
      const t0 = performance.now();
      const result = f();
      return [result, performance.now() - t0];
    };
    const [table, buildMs] = time(() => buildPairsTable(many, pred));
    const [byPremise, premiseFirstMs] = time(() => sortPairs(table, { column: 'premise', direction: 'asc' }));
    const [, premiseCachedMs] = time(() => sortPairs(table, { column: 'premise', direction: 'desc' }));
    const [, hypothesisFirstMs] = time(() => sortPairs(table, { column: 'hypothesis', direction: 'asc' }));
    const [, idMs] = time(() => sortPairs(table, { column: 'id', direction: 'desc' }));
    const [, probabilityMs] = time(() => sortPairs(table, { column: 'probability', direction: 'desc' }));
    const [, labelMs] = time(() => sortPairs(table, { column: 'label', direction: 'asc' }));
    const [mask, queryFirstMs] = time(() => filterPairs(table, { ...NO_FILTER, query: 'crème' }));
    const [, queryMs] = time(() => filterPairs(table, { ...NO_FILTER, query: 'piano at night' }));
    const [, labelFilterMs] = time(() =>
      filterPairs(table, { ...NO_FILTER, label: { kind: 'label', label: 'neutral' }, wrongOnly: true }),
    );
    const [rows, visibleMs] = time(() => visibleRows(byPremise, mask));

    // A few checks that the big case is right, beside the timings.
    for (let j = 1; j < n; j += 997) {
      const a = many[byPremise[j - 1]];
      const b = many[byPremise[j]];
      expect(a.premise.localeCompare(b.premise)).toBeLessThanOrEqual(0);
    }
    expect(new Set(byPremise).size).toBe(n);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((i) => many[i].premise.includes('crème') || many[i].hypothesis.includes('crème'))).toBe(
      true,
    );

    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      [
        `pairs table, ${n} rows:`,
        `  build ${f(buildMs)}`,
        `  sort premise: first (collates) ${f(premiseFirstMs)}, again (cached ranks) ${f(premiseCachedMs)}`,
        `  sort hypothesis first ${f(hypothesisFirstMs)}; id ${f(idMs)}; probability ${f(probabilityMs)}; label ${f(labelMs)}`,
        `  filter query: first (builds search text) ${f(queryFirstMs)}, again ${f(queryMs)}; label + wrong-only ${f(labelFilterMs)}`,
        `  sorted ∩ filtered rows ${f(visibleMs)} (${rows.length} rows)`,
      ].join('\n'),
    );
  });
});
