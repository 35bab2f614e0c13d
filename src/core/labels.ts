/**
 * Label normalisation: maps the many spellings of entailment labels found in NLI files (SNLI, MultiNLI, SICK,
 * RTE/GLUE, JNLI, hand-made CSVs) to canonical class names, and turns a column of raw labels into a class
 * list plus a mapping. Unknown labels are kept as their own classes, so nothing is silently lost.
 */
import { InputError } from './errors';

/** The canonical class names Pairscope knows, in canonical order. */
export const CANONICAL_CLASSES = ['entailment', 'neutral', 'contradiction', 'not_entailment'] as const;

/** One of {@link CANONICAL_CLASSES}. */
export type CanonicalClass = (typeof CANONICAL_CLASSES)[number];

/** GLUE/SNLI/MultiNLI/XNLI order of numeric labels for three classes: 0, 1, 2. */
export const THREE_WAY_NUMERIC_ORDER: readonly string[] = ['entailment', 'neutral', 'contradiction'];

/** GLUE RTE/QNLI/WNLI order of numeric labels for two classes: 0, 1. */
export const BINARY_NUMERIC_ORDER: readonly string[] = ['entailment', 'not_entailment'];

/**
 * Spellings, after lower-casing, trimming and turning runs of spaces, `_` and `-` into one `_`.
 * `yes`/`no` are the answers of yes/no entailment datasets (e.g. "does the premise entail the hypothesis?"),
 * so `no` means not_entailment, not contradiction.
 */
const SPELLINGS: Readonly<Record<string, CanonicalClass>> = {
  entailment: 'entailment',
  e: 'entailment',
  entail: 'entailment',
  entails: 'entailment',
  entailed: 'entailment',
  yes: 'entailment',
  含意: 'entailment',
  neutral: 'neutral',
  n: 'neutral',
  中立: 'neutral',
  contradiction: 'contradiction',
  c: 'contradiction',
  矛盾: 'contradiction',
  not_entailment: 'not_entailment',
  not_entailed: 'not_entailment',
  not_entail: 'not_entailment',
  non_entailment: 'not_entailment',
  nonentailment: 'not_entailment',
  no: 'not_entailment',
  非含意: 'not_entailment',
};

/**
 * Raw values that mean "no gold label": `-` (SNLI/MultiNLI pairs without annotator consensus), `-1` (the same
 * in Hugging Face datasets) and the empty string. Such rows are unlabelled and excluded from training and
 * evaluation.
 */
const UNLABELLED = new Set(['-', '-1', '']);

const NUMERIC = /^\d+$/;

/**
 * Maps one raw label to a canonical class name, case-insensitively and ignoring surrounding whitespace:
 *
 * - `entailment`, `e`, `entail(s|ed)`, `yes`, `含意` → `'entailment'`;
 * - `neutral`, `n`, `中立` → `'neutral'`;
 * - `contradiction`, `c`, anything starting with `contradict` (`contradicts`, `contradictory`), `矛盾`
 *   → `'contradiction'`;
 * - `not_entailment`, `not entailment`, `not-entailed`, `non-entailment`, `no`, `非含意` → `'not_entailment'`;
 * - `-`, `-1` and `''` → `null` (unlabelled, excluded);
 * - anything else — including digit strings like `'0'`, which only {@link inferLabelScheme} can map because
 *   their meaning depends on the dataset — comes back trimmed, with its case kept.
 */
export function normalizeLabel(raw: string): string | null {
  const trimmed = raw.trim();
  if (UNLABELLED.has(trimmed)) return null;
  const key = trimmed.toLowerCase().replace(/[\s_-]+/g, '_');
  const known = SPELLINGS[key];
  if (known !== undefined) return known;
  if (key.startsWith('contradict')) return 'contradiction';
  return trimmed;
}

/** Result of {@link inferLabelScheme}. */
export interface LabelScheme {
  /**
   * The classes that occur, in canonical order: entailment, neutral, contradiction, not_entailment, then
   * custom classes sorted (numerically when both are digit strings, else by code unit). A class id is an
   * index into this array.
   */
  classes: string[];
  /** Every distinct raw label, exactly as given (not trimmed), → its class name, or `null` when unlabelled. */
  mapping: Record<string, string | null>;
  /** The order digit labels were read in (index = numeric value), when digit labels were mapped. */
  numericOrder?: string[];
  /**
   * `'three-way'` when every class is entailment/neutral/contradiction; `'binary'` when every class is
   * entailment/not_entailment and not_entailment occurs; otherwise `'custom'`.
   */
  task: 'three-way' | 'binary' | 'custom';
}

/** Options of {@link inferLabelScheme}. */
export interface InferLabelSchemeOptions {
  /**
   * How to read digit labels: `numericOrder[k]` is the class of label `k` (names are normalised with
   * {@link normalizeLabel}, so `['e', 'n', 'c']` works). When given, digit labels are always mapped through
   * it. When absent and every labelled value is a digit string, the default is
   * {@link BINARY_NUMERIC_ORDER} if the largest value is 1 (or 0), {@link THREE_WAY_NUMERIC_ORDER} if it is 2,
   * and digit strings stay custom classes if it is larger. Digit strings mixed with names stay custom
   * classes unless an order is given.
   */
  numericOrder?: readonly string[];
}

function compareCustom(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function taskOf(classes: readonly string[]): LabelScheme['task'] {
  const threeWay = new Set(THREE_WAY_NUMERIC_ORDER);
  if (classes.length > 0 && classes.every((c) => threeWay.has(c))) return 'three-way';
  if (
    classes.includes('not_entailment') &&
    classes.every((c) => c === 'entailment' || c === 'not_entailment')
  ) {
    return 'binary';
  }
  return 'custom';
}

/**
 * Reads a column of raw labels and decides the classes and how each raw value maps to one.
 *
 * @param rawLabels - one raw label per row (any spelling {@link normalizeLabel} knows, digits, or free text).
 * @returns the scheme; `classes` is empty when every row is unlabelled.
 * @throws InputError `input.option` when a `numericOrder` entry is unlabelled (`-`, `''`), and
 *   `input.label` when a digit label has no entry in `numericOrder`.
 */
export function inferLabelScheme(
  rawLabels: readonly string[],
  options: InferLabelSchemeOptions = {},
): LabelScheme {
  const distinct = [...new Set(rawLabels)];
  const normalized = new Map<string, string | null>(distinct.map((raw) => [raw, normalizeLabel(raw)]));
  const labelled = [...normalized.values()].filter((v): v is string => v !== null);
  const digits = labelled.filter((v) => NUMERIC.test(v));

  let numericOrder: string[] | undefined;
  if (options.numericOrder !== undefined) {
    numericOrder = options.numericOrder.map((name, k) => {
      const canonical = normalizeLabel(name);
      if (canonical === null) {
        throw new InputError('input.option', `numericOrder[${k}] is '${name}', which is not a class name.`);
      }
      return canonical;
    });
  } else if (digits.length > 0 && digits.length === labelled.length) {
    const largest = Math.max(...digits.map(Number));
    if (largest <= 1) numericOrder = [...BINARY_NUMERIC_ORDER];
    else if (largest === 2) numericOrder = [...THREE_WAY_NUMERIC_ORDER];
  }

  // No prototype, so a raw label such as '__proto__' is an ordinary key.
  const mapping = Object.create(null) as Record<string, string | null>;
  for (const [raw, value] of normalized) {
    if (value !== null && numericOrder !== undefined && NUMERIC.test(value)) {
      const name = numericOrder[Number(value)];
      if (name === undefined) {
        throw new InputError(
          'input.label',
          `The label '${raw}' has no class in the numeric order [${numericOrder.join(', ')}]; ` +
            `give a name for every value from 0 to ${value}.`,
        );
      }
      mapping[raw] = name;
    } else {
      mapping[raw] = value;
    }
  }

  const present = new Set(Object.values(mapping).filter((v): v is string => v !== null));
  const canonical = CANONICAL_CLASSES.filter((c) => present.has(c));
  const custom = [...present]
    .filter((c) => !(CANONICAL_CLASSES as readonly string[]).includes(c))
    .sort(compareCustom);
  const classes = [...canonical, ...custom];
  const scheme: LabelScheme = { classes, mapping, task: taskOf(classes) };
  if (numericOrder !== undefined && digits.length > 0) scheme.numericOrder = numericOrder;
  return scheme;
}

/** Result of {@link encodeLabels}. */
export interface EncodedLabels {
  /** Class ids (indices into `scheme.classes`) of the labelled rows, in row order. */
  y: number[];
  /** The row index of each entry of `y`; unlabelled rows are left out. */
  rows: number[];
}

/**
 * Turns raw labels into class ids with a scheme from {@link inferLabelScheme}, leaving out unlabelled rows.
 *
 * @throws InputError `input.label` naming the row of a raw label that the scheme does not know.
 */
export function encodeLabels(rawLabels: readonly string[], scheme: LabelScheme): EncodedLabels {
  const index = new Map(scheme.classes.map((c, k) => [c, k]));
  const y: number[] = [];
  const rows: number[] = [];
  rawLabels.forEach((raw, row) => {
    if (!Object.hasOwn(scheme.mapping, raw)) {
      throw new InputError(
        'input.label',
        `Row ${row} has the label '${raw}', which the label scheme does not know.`,
      );
    }
    const name = scheme.mapping[raw];
    if (name === null || name === undefined) return;
    const id = index.get(name);
    if (id === undefined) {
      throw new InputError(
        'input.label',
        `Row ${row} maps to the class '${name}', which is not in the scheme.`,
      );
    }
    y.push(id);
    rows.push(row);
  });
  return { y, rows };
}
