/**
 * Pair files in the shapes NLI datasets come in, pasted or opened: TSV and CSV with or without a header
 * (quotes, embedded tabs/newlines, BOM, CRLF; parsed by papaparse), JSON Lines (SNLI/MultiNLI `sentence1`,
 * `sentence2`, `gold_label`; `premise`/`hypothesis`/`label`; JGLUE JNLI `sentence_pair_id`, `sentence1`,
 * `sentence2`, `label`), a JSON array of such objects, the GLUE RTE TSV and SICK.
 *
 * Three steps, all pure:
 * 1. {@link inspectFileBytes}: empty, binary, UTF-16 or invalid UTF-8 bytes, or too large a file, each get a
 *    clear message before any decoding;
 * 2. {@link detectFormat}: the format, whether there is a header, the columns and which of them hold the
 *    premise, hypothesis, label and id — with a preview, and `ambiguous` when the user must choose;
 * 3. {@link parsePairsSteps}: the rows, a bounded amount of work per step (so a page can show progress and
 *    stay responsive), valid rows always kept, every bad row reported with its line and what to do,
 *    duplicates flagged.
 */
import Papa from 'papaparse';
import { InputError } from './errors';
import type { Pair, ParseIssue } from './pairs';
import { findDuplicates } from './pairs';

export type PairFormat = 'tsv' | 'csv' | 'jsonl' | 'json';

/** Which column (index into `columns`) holds what; `label` and `id` may be absent. */
export interface ColumnMapping {
  premise: number;
  hypothesis: number;
  label: number | null;
  id: number | null;
}

/** How to read a text: format, header and mapping. */
export interface FormatChoice {
  format: PairFormat;
  /** Delimited formats: the first record names the columns. JSON formats always have names. */
  hasHeader: boolean;
  /** The column names the mapping indexes (JSON keys are looked up by these names). */
  columns: string[];
  mapping: ColumnMapping;
}

/** What {@link detectFormat} found. */
export interface FormatDetection {
  format: PairFormat;
  hasHeader: boolean;
  /** Column names: header cells, JSON keys, or `column 1` … `column n`. */
  columns: string[];
  /** The proposed mapping; null when no premise/hypothesis pair could be found. */
  mapping: ColumnMapping | null;
  /** True when the user should confirm or choose the mapping (no header and more than 3 columns, …). */
  ambiguous: boolean;
  /** Why it is ambiguous, for the user. */
  reason: string | null;
  /** The first records as cells (after the header), for a preview table. */
  preview: string[][];
}

/** A pair that repeats an earlier one (same premise and hypothesis after trimming). */
export interface Duplicate {
  line: number;
  firstLine: number;
}

export interface PairsParseResult {
  pairs: Pair[];
  issues: ParseIssue[];
  duplicates: Duplicate[];
  /** True when the input had more than {@link MAX_PAIRS} pairs and the rest was not read. */
  truncated: boolean;
}

/** Progress of {@link parsePairsSteps}, in characters of the text. */
export interface ParseProgress {
  done: number;
  total: number;
}

/**
 * Most pairs read from one input. 200,000 pairs at BERT-base size are 600 MB of vectors, about what a browser
 * tab can hold; the app is tested with 100,000.
 */
export const MAX_PAIRS = 200_000;

/** Largest file accepted: 100 MiB is ~500,000 NLI pairs of typical length, well over {@link MAX_PAIRS}. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** Characters parsed per step: about 10–30 ms of work on a slow machine. */
export const STEP_CHARS = 512 * 1024;

const PREMISE_NAMES = ['premise', 'sentence1', 'sentence_a', 'text_a', 'sentence 1', 's1', 'text1'];
const HYPOTHESIS_NAMES = ['hypothesis', 'sentence2', 'sentence_b', 'text_b', 'sentence 2', 's2', 'text2'];
const LABEL_NAMES = ['label', 'gold_label', 'entailment_label', 'gold', 'labels', 'class'];
const ID_NAMES = ['id', 'pairid', 'pair_id', 'sentence_pair_id', 'index', 'idx', 'guid'];

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

/** Known binary file signatures, and what to tell the user. */
const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip archive; decompress it first' },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a zip archive (or an Excel/Word file); extract or export it as CSV or TSV',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document; export the pairs as CSV, TSV or JSON Lines' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  {
    bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59],
    what: 'a NumPy .npy file; import it as vectors under Embed',
  },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file; export the pairs as CSV, TSV or JSON Lines' },
];

/**
 * Checks a file's bytes before decoding: throws `InputError` `input.file` with a sentence that names the file
 * and says what to do when it is empty, too large, binary, UTF-16 or not valid UTF-8 (with the line and byte
 * offset of the first bad byte). A UTF-8 byte order mark is fine.
 */
export function inspectFileBytes(bytes: Uint8Array, name: string, byteLength = bytes.byteLength): void {
  const fail = (message: string): never => {
    throw new InputError('input.file', `${name}: ${message}`);
  };
  if (byteLength === 0) fail('the file is empty.');
  if (byteLength > MAX_FILE_BYTES) {
    fail(
      `the file is too large (${formatBytes(byteLength)}); Pairscope reads files up to ${formatBytes(MAX_FILE_BYTES)} and ${MAX_PAIRS.toLocaleString('en-US')} pairs. Split the file.`,
    );
  }
  for (const { bytes: magic, what } of SIGNATURES) {
    if (magic.every((b, i) => bytes[i] === b)) fail(`this is ${what}, not a text file of pairs.`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail('the file is UTF-16 text; save it as UTF-8 and open it again.');
  }
  let line = 1;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0) fail(`line ${line} holds a NUL byte: this is a binary file, not text.`);
      if (b === 0x0a) line++;
      i++;
      continue;
    }
    // Lead byte → sequence length and the valid range of the second byte (RFC 3629: no overlongs, no
    // surrogates, nothing above U+10FFFF).
    let length = 0;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    }
    let ok = length > 0 && i + length <= n && bytes[i + 1] >= low && bytes[i + 1] <= high;
    for (let k = 2; ok && k < length; k++) ok = bytes[i + k] >= 0x80 && bytes[i + k] <= 0xbf;
    if (!ok) {
      fail(
        `line ${line} is not valid UTF-8 (byte 0x${b.toString(16).toUpperCase()} at offset ${i}); the file is probably in another encoding (Latin-1, Shift_JIS, …). Save it as UTF-8 and open it again.`,
      );
    }
    i += length;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function findColumn(columns: readonly string[], names: readonly string[]): number | null {
  const lower = columns.map((c) => c.trim().toLowerCase());
  for (const name of names) {
    const index = lower.indexOf(name);
    if (index >= 0) return index;
  }
  return null;
}

function mappingFromNames(columns: readonly string[]): ColumnMapping | null {
  const premise = findColumn(columns, PREMISE_NAMES);
  const hypothesis = findColumn(columns, HYPOTHESIS_NAMES);
  if (premise === null || hypothesis === null) return null;
  return {
    premise,
    hypothesis,
    label: findColumn(columns, LABEL_NAMES),
    id: findColumn(columns, ID_NAMES),
  };
}

function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    if (line.trim() !== '') lines.push(line);
    if (end < 0) break;
    start = end + 1;
  }
  return lines;
}

/**
 * TSV files of NLI data are written without quoting and have `"` inside cells, so quotes only quote when the
 * sample's quoted cells all close (`"…"`), as a CSV writer would produce.
 */
function tsvUsesQuotes(lines: readonly string[]): boolean {
  const cells = lines.flatMap((line) => line.split('\t'));
  const opened = cells.filter((c) => c.startsWith('"'));
  return opened.length > 0 && opened.every((c) => c.length > 1 && c.endsWith('"'));
}

function delimitedRecords(text: string, format: 'tsv' | 'csv', quoted: boolean, limit?: number): string[][] {
  const result = Papa.parse<string[]>(text, {
    delimiter: format === 'tsv' ? '\t' : ',',
    quoteChar: quoted ? '"' : '\u0000',
    skipEmptyLines: 'greedy',
    preview: limit,
  });
  return result.data;
}

/** A JSON value as a cell: strings as they are, numbers and booleans as written, objects as JSON. */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
  return JSON.stringify(value) ?? '';
}

function jsonColumns(objects: readonly Record<string, unknown>[]): string[] {
  const keys: string[] = [];
  for (const object of objects)
    for (const key of Object.keys(object)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/**
 * Finds the format, header and column mapping of a text from its first lines (and the file name's
 * extension as a hint). Never throws: an unreadable text gives `mapping: null` and a reason.
 */
export function detectFormat(input: string, fileName = ''): FormatDetection {
  const text = stripBom(input);
  const lines = firstLines(text, 50);
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const first = lines[0]?.trimStart() ?? '';

  if (first.startsWith('[')) {
    let objects: Record<string, unknown>[] = [];
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed))
        objects = parsed.slice(0, 50).filter((o) => o && typeof o === 'object') as Record<string, unknown>[];
    } catch {
      // Reported by the parser with a location.
    }
    return jsonDetection('json', objects);
  }
  if (first.startsWith('{')) {
    const objects: Record<string, unknown>[] = [];
    for (const line of lines) {
      try {
        const value = JSON.parse(line) as unknown;
        if (value && typeof value === 'object' && !Array.isArray(value))
          objects.push(value as Record<string, unknown>);
      } catch {
        // A bad line is reported when parsing.
      }
    }
    return jsonDetection('jsonl', objects);
  }

  const tabs = lines.filter((l) => l.includes('\t')).length;
  const format: 'tsv' | 'csv' =
    extension === 'csv'
      ? 'csv'
      : extension === 'tsv' || tabs >= Math.max(1, lines.length / 2)
        ? 'tsv'
        : lines.some((l) => l.includes(','))
          ? 'csv'
          : 'tsv';
  const quoted = format === 'csv' || tsvUsesQuotes(lines);
  const records = delimitedRecords(lines.join('\n'), format, quoted, 12);
  const head = records[0] ?? [];
  const named = mappingFromNames(head);
  if (named) {
    return {
      format,
      hasHeader: true,
      columns: head.map((c) => c.trim()),
      mapping: named,
      ambiguous: false,
      reason: null,
      preview: records.slice(1, 9),
    };
  }
  const width = typicalWidth(records);
  const columns = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  // Header cells are short names: no sentence punctuation, at most 30 characters.
  const looksLikeHeader =
    head.length === width && head.every((c) => /^[A-Za-z_][\w -]{0,29}$/.test(c.trim()));
  if (width === 2 || width === 3) {
    return {
      format,
      hasHeader: false,
      columns,
      mapping: { premise: 0, hypothesis: 1, label: width === 3 ? 2 : null, id: null },
      ambiguous: looksLikeHeader,
      reason: looksLikeHeader
        ? 'The first line looks like a header but names no premise/hypothesis column: check the columns.'
        : null,
      preview: records.slice(0, 8),
    };
  }
  return {
    format,
    hasHeader: looksLikeHeader,
    columns: looksLikeHeader ? head.map((c) => c.trim()) : columns,
    mapping: null,
    ambiguous: true,
    reason:
      width < 2
        ? `No ${format === 'tsv' ? 'TAB' : 'comma'}-separated columns found: separate premise and hypothesis with a TAB (or use CSV / JSON Lines).`
        : `${width} columns and no header naming the premise and hypothesis: choose which column is which.`,
    preview: records.slice(looksLikeHeader ? 1 : 0, 8),
  };
}

/** The most common record width (the larger on a tie): one stray line does not change the layout. */
function typicalWidth(records: readonly string[][]): number {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [width, count] of counts) {
    if (count > bestCount || (count === bestCount && width > best)) {
      best = width;
      bestCount = count;
    }
  }
  return best;
}

function jsonDetection(format: 'json' | 'jsonl', objects: Record<string, unknown>[]): FormatDetection {
  const columns = jsonColumns(objects);
  const mapping = mappingFromNames(columns);
  return {
    format,
    hasHeader: true,
    columns,
    mapping,
    ambiguous: mapping === null,
    reason:
      mapping === null
        ? objects.length === 0
          ? 'No JSON objects could be read from the first lines.'
          : `No premise/hypothesis keys among ${columns.map((c) => `"${c}"`).join(', ')}: choose which key is which.`
        : null,
    preview: objects.slice(0, 8).map((o) => columns.map((c) => stringify(o[c]))),
  };
}

/**
 * Cuts `text` into pieces of about `size` characters that end at a line end outside quotes, so that each
 * piece parses on its own. Returns [start, end) offsets and the 1-based line each piece starts on.
 */
function slices(text: string, size: number, quoted: boolean): { start: number; end: number; line: number }[] {
  const out: { start: number; end: number; line: number }[] = [];
  let start = 0;
  let line = 1;
  let inQuotes = false;
  let lines = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (quoted && c === 34) inQuotes = !inQuotes;
    else if (c === 10) {
      lines++;
      if (!inQuotes && i + 1 - start >= size) {
        out.push({ start, end: i + 1, line });
        line += lines;
        lines = 0;
        start = i + 1;
      }
    }
    i++;
  }
  if (start < text.length) out.push({ start, end: text.length, line });
  return out;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

/**
 * Reads pairs with a format choice, a bounded amount of work per step: yields progress (characters of the
 * text done) between steps of about {@link STEP_CHARS} characters and returns the result. Run it to the end
 * with {@link parsePairs}.
 */
export function* parsePairsSteps(
  input: string,
  choice: FormatChoice,
): Generator<ParseProgress, PairsParseResult> {
  const text = stripBom(input);
  const collector = new Collector(choice.mapping, choice.columns, choice.format === 'csv' ? 'comma' : 'TAB');
  if (choice.format === 'json') {
    yield { done: 0, total: text.length };
    collector.readJsonArray(text);
    return collector.result();
  }
  if (choice.format === 'jsonl') {
    let start = 0;
    let line = 1;
    while (start < text.length && !collector.full) {
      const stop = Math.min(text.length, start + STEP_CHARS);
      let end = text.indexOf('\n', stop - 1);
      if (end < 0) end = text.length;
      for (const raw of text.slice(start, end).split('\n')) {
        collector.readJsonLine(raw.replace(/\r$/, ''), line++);
        if (collector.full) break;
      }
      start = end + 1;
      yield { done: Math.min(start, text.length), total: text.length };
    }
    return collector.result();
  }
  const quoted = choice.format === 'csv' || tsvUsesQuotes(firstLines(text, 50));
  let skipHeader = choice.hasHeader;
  for (const piece of slices(text, STEP_CHARS, quoted)) {
    const chunk = text.slice(piece.start, piece.end);
    let line = piece.line;
    let cursor = 0;
    Papa.parse<string[]>(chunk, {
      delimiter: choice.format === 'tsv' ? '\t' : ',',
      quoteChar: quoted ? '"' : '\u0000',
      skipEmptyLines: false,
      step: (row) => {
        const end = row.meta.cursor;
        const startLine = line;
        // papaparse's cursor is just past the record's line end: the record spans [cursor, end). Count its
        // line ends (a quoted CSV cell may hold newlines).
        line += countNewlines(chunk, cursor, end);
        cursor = end;
        const cells = row.data;
        if (cells.length === 1 && cells[0].trim() === '') return;
        if (skipHeader) {
          skipHeader = false;
          return;
        }
        if (!collector.full)
          collector.readCells(cells, startLine, cells.join(choice.format === 'tsv' ? '\t' : ','));
      },
    });
    yield { done: piece.end, total: text.length };
    if (collector.full) break;
  }
  return collector.result();
}

/** {@link parsePairsSteps} run to the end. */
export function parsePairs(text: string, choice: FormatChoice): PairsParseResult {
  const steps = parsePairsSteps(text, choice);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Accumulates pairs (with their lines) and issues; knows the mapping and the limit. Duplicates are found at the end. */
class Collector {
  readonly pairs: Pair[] = [];
  readonly issues: ParseIssue[] = [];
  /** The line each pair came from (parallel to `pairs`). */
  private readonly lines: number[] = [];
  full = false;

  constructor(
    private readonly mapping: ColumnMapping,
    private readonly names: readonly string[],
    private readonly delimiterName = 'TAB',
  ) {}

  result(): PairsParseResult {
    const duplicateOf = findDuplicates(this.pairs);
    const duplicates: Duplicate[] = [];
    duplicateOf.forEach((first, i) => {
      if (first >= 0 && first !== i) duplicates.push({ line: this.lines[i], firstLine: this.lines[first] });
    });
    return { pairs: this.pairs, issues: this.issues, duplicates, truncated: this.full };
  }

  private issue(line: number, text: string, message: string): void {
    this.issues.push({ line, text, message: `line ${line}: ${message}` });
  }

  private add(
    line: number,
    premise: string,
    hypothesis: string,
    label: string,
    id: string,
    raw: string,
  ): void {
    if (this.pairs.length >= MAX_PAIRS) {
      this.full = true;
      this.issue(
        line,
        raw,
        `more than ${MAX_PAIRS.toLocaleString('en-US')} pairs — this line and the rest were not read. Split the input.`,
      );
      return;
    }
    const p = premise.trim();
    const h = hypothesis.trim();
    if (p === '' && h === '') {
      this.issue(line, raw, 'premise and hypothesis are both empty — fill them in or delete the line.');
      return;
    }
    const l = label.trim();
    this.lines.push(line);
    this.pairs.push({
      id: id.trim() === '' ? String(line) : id.trim(),
      premise: p,
      hypothesis: h,
      label: l === '' ? null : l,
    });
  }

  readCells(cells: string[], line: number, raw: string): void {
    const { premise, hypothesis, label, id } = this.mapping;
    const needed = Math.max(premise, hypothesis) + 1;
    if (cells.length < needed) {
      const missing = cells.length <= premise ? 'no premise column' : 'no hypothesis column';
      this.issue(
        line,
        raw,
        `${missing} — the line has ${cells.length} column${cells.length === 1 ? '' : 's'}, ${needed} are needed. Separate the columns with the delimiter, or fix the line.`,
      );
      return;
    }
    if (this.names.length >= 2 && cells.length > this.names.length) {
      this.issue(
        line,
        raw,
        `${cells.length} columns, ${this.names.length} expected (${this.names.join(', ')}) — remove the extra ${this.delimiterName} characters.`,
      );
      return;
    }
    this.add(
      line,
      cells[premise],
      cells[hypothesis],
      label === null ? '' : (cells[label] ?? ''),
      id === null ? '' : (cells[id] ?? ''),
      raw,
    );
  }

  private readObject(value: unknown, line: number, raw: string): void {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.issue(line, raw, 'not a JSON object — each line must be {"premise": …, "hypothesis": …}.');
      return;
    }
    const object = value as Record<string, unknown>;
    const names = this.names;
    const get = (index: number | null): unknown => (index === null ? undefined : object[names[index]]);
    const premise = get(this.mapping.premise);
    const hypothesis = get(this.mapping.hypothesis);
    for (const [what, v, index] of [
      ['premise', premise, this.mapping.premise],
      ['hypothesis', hypothesis, this.mapping.hypothesis],
    ] as const) {
      if (typeof v !== 'string') {
        this.issue(
          line,
          raw,
          v === undefined
            ? `no "${names[index]}" key (the ${what}) — add it or choose another key.`
            : `"${names[index]}" (the ${what}) is ${v === null ? 'null' : `a ${typeof v}`}, not text.`,
        );
        return;
      }
    }
    this.add(
      line,
      premise as string,
      hypothesis as string,
      stringify(get(this.mapping.label)),
      stringify(get(this.mapping.id)),
      raw,
    );
  }

  readJsonLine(raw: string, line: number): void {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      this.issue(line, raw, `not valid JSON (${(error as Error).message}) — fix the line or delete it.`);
      return;
    }
    this.readObject(value, line, raw);
  }

  readJsonArray(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.issue(1, text.slice(0, 200), `not valid JSON (${(error as Error).message}).`);
      return;
    }
    if (!Array.isArray(value)) {
      this.issue(1, text.slice(0, 200), 'the JSON is not an array of objects.');
      return;
    }
    value.forEach((item, index) => {
      if (!this.full) this.readObject(item, index + 1, JSON.stringify(item) ?? '');
    });
  }
}

/** What {@link readPairsText} returns. */
export interface PairsReading {
  detection: FormatDetection;
  /** The choice used: the caller's, or the detected one; null when the text could not be read. */
  choice: FormatChoice | null;
  result: PairsParseResult;
}

/** The choice {@link detectFormat} proposes, or null when it found no mapping. */
export function detectedChoice(detection: FormatDetection): FormatChoice | null {
  return detection.mapping
    ? {
        format: detection.format,
        hasHeader: detection.hasHeader,
        columns: detection.columns,
        mapping: detection.mapping,
      }
    : null;
}

/**
 * Detects (unless `choice` is given) and parses in one go, for pasted text. When no mapping was found, the
 * result is empty and its one issue says why and what to do.
 */
export function readPairsText(text: string, choice: FormatChoice | null, fileName = ''): PairsReading {
  const detection = detectFormat(text, fileName);
  const used = choice ?? detectedChoice(detection);
  if (used) return { detection, choice: used, result: parsePairs(text, used) };
  const issues: ParseIssue[] =
    text.trim() === ''
      ? []
      : [{ line: 1, text: '', message: detection.reason ?? 'The text holds no pairs.' }];
  return { detection, choice: null, result: { pairs: [], issues, duplicates: [], truncated: false } };
}
