import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILE_BYTES,
  MAX_PAIRS,
  STEP_CHARS,
  detectFormat,
  detectedChoice,
  inspectFileBytes,
  parsePairs,
  parsePairsSteps,
  readPairsText,
  type FormatChoice,
} from '../../../src/core/formats';
import { sharedPath } from '../../shared-dir';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('inspectFileBytes', () => {
  it('accepts UTF-8 text, with or without a BOM, in every script', () => {
    expect(() => inspectFileBytes(utf8('犬が走る。\tA dog runs. 😀\n'), 'a.tsv')).not.toThrow();
    expect(() => inspectFileBytes(utf8('\uFEFFa\tb'), 'a.tsv')).not.toThrow();
  });
  it('refuses an empty file, and a file over the limit by its size alone', () => {
    expect(() => inspectFileBytes(new Uint8Array(0), 'e.tsv')).toThrow('e.tsv: the file is empty.');
    expect(() => inspectFileBytes(new Uint8Array(0), 'big.tsv', 200 * 1024 * 1024)).toThrow(
      /big.tsv: the file is too large \(200.0 MB\); Pairscope reads files up to 100.0 MB .* Split the file/,
    );
    expect(() => inspectFileBytes(new Uint8Array(1), 'ok.tsv', MAX_FILE_BYTES)).not.toThrow(/too large/);
  });
  it('names binary files by their signature and says what to do', () => {
    expect(() => inspectFileBytes(new Uint8Array([0x1f, 0x8b, 8, 0]), 'x.gz')).toThrow(
      /gzip archive; decompress/,
    );
    expect(() => inspectFileBytes(new Uint8Array([0x50, 0x4b, 3, 4, 0]), 'x.xlsx')).toThrow(/zip archive/);
    expect(() => inspectFileBytes(utf8('a\tb\nc\u0000d'), 'x.bin')).toThrow(/line 2 holds a NUL byte/);
  });
  it('refuses UTF-16 and invalid UTF-8 with the line and byte offset', () => {
    expect(() => inspectFileBytes(new Uint8Array([0xff, 0xfe, 0x41, 0]), 'u.txt')).toThrow(/UTF-16/);
    const latin1 = new Uint8Array(Buffer.from('ok\tfine\nA caf\u00e9\tx\n', 'latin1'));
    expect(() => inspectFileBytes(latin1, 'l.tsv')).toThrow(
      /line 2 is not valid UTF-8 \(byte 0xE9 at offset 13\)/,
    );
    // Overlong encoding and a lone surrogate are invalid too.
    expect(() => inspectFileBytes(new Uint8Array([0xc0, 0xaf]), 'o')).toThrow(/not valid UTF-8/);
    expect(() => inspectFileBytes(new Uint8Array([0xed, 0xa0, 0x80]), 's')).toThrow(/not valid UTF-8/);
    expect(() => inspectFileBytes(new Uint8Array([0xe3, 0x81]), 't')).toThrow(/not valid UTF-8/);
  });
});

describe('detectFormat', () => {
  it('headerless TSV with 2 or 3 columns: premise, hypothesis, label', () => {
    const d = detectFormat(
      'A cat sits.\tAn animal sits.\tentailment\nA dog runs.\tA dog sleeps.\tcontradiction',
    );
    expect(d).toMatchObject({ format: 'tsv', hasHeader: false, ambiguous: false });
    expect(d.mapping).toEqual({ premise: 0, hypothesis: 1, label: 2, id: null });
  });
  it('a header names the columns in any order, case-insensitively', () => {
    const d = detectFormat('ID\tLabel\tSentence1\tSentence2\n7\t0\tA.\tB.');
    expect(d.hasHeader).toBe(true);
    expect(d.mapping).toEqual({ premise: 2, hypothesis: 3, label: 1, id: 0 });
    expect(d.preview).toEqual([['7', '0', 'A.', 'B.']]);
  });
  it('CSV by extension or by commas; JSON Lines and JSON arrays by their first character', () => {
    expect(detectFormat('premise,hypothesis\n"a, b",c', 'x.csv').format).toBe('csv');
    expect(detectFormat('a, b and c, d').format).toBe('csv');
    const jsonl = detectFormat(
      '{"sentence1": "a", "sentence2": "b", "gold_label": "neutral", "pairID": "9"}',
    );
    expect(jsonl).toMatchObject({
      format: 'jsonl',
      columns: ['sentence1', 'sentence2', 'gold_label', 'pairID'],
    });
    expect(jsonl.mapping).toEqual({ premise: 0, hypothesis: 1, label: 2, id: 3 });
    expect(detectFormat('[{"premise": "a", "hypothesis": "b"}]').format).toBe('json');
  });
  it('four columns without a header, or JSON without sentence keys, are ambiguous with a reason', () => {
    const d = detectFormat('g1\tA dog runs.\tAn animal moves.\tentailment');
    expect(d).toMatchObject({
      ambiguous: true,
      mapping: null,
      columns: ['column 1', 'column 2', 'column 3', 'column 4'],
    });
    expect(d.reason).toMatch(/4 columns and no header/);
    expect(detectFormat('{"a": 1, "b": 2}').reason).toMatch(/No premise\/hypothesis keys among "a", "b"/);
  });
  it('one stray line does not change the detected width', () => {
    expect(detectFormat('a\tb\tc\nd\te\tf\ng\th\ti\tj').mapping).toEqual({
      premise: 0,
      hypothesis: 1,
      label: 2,
      id: null,
    });
  });
});

describe('parsePairs', () => {
  const tsv3: FormatChoice = {
    format: 'tsv',
    hasHeader: false,
    columns: ['column 1', 'column 2', 'column 3'],
    mapping: { premise: 0, hypothesis: 1, label: 2, id: null },
  };
  it('keeps good rows and locates each bad one, with what to do', () => {
    const r = parsePairs('P1\tH1\tentailment\nonly one\n\t\tx\nP4\tH4\nA\tB\tC\tD\n', tsv3);
    expect(r.pairs.map((p) => [p.id, p.premise, p.hypothesis, p.label])).toEqual([
      ['1', 'P1', 'H1', 'entailment'],
      ['4', 'P4', 'H4', null],
    ]);
    expect(r.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^line 2: no hypothesis column — the line has 1 column, 2 are needed/),
      expect.stringMatching(/^line 3: premise and hypothesis are both empty/),
      expect.stringMatching(
        /^line 5: 4 columns, 3 expected \(column 1, column 2, column 3\) — remove the extra TAB/,
      ),
    ]);
    expect(r.issues[0].text).toBe('only one');
  });
  it('CSV: quotes, escaped quotes, commas and newlines inside cells; line numbers of multi-line records', () => {
    const csv =
      'premise,hypothesis,label\r\n"Two\r\nlines",B,x\r\n"He said ""hi"", then left.",C,y\r\nbroken\r\n';
    const choice = detectedChoice(detectFormat(csv, 'a.csv'));
    if (!choice) throw new Error('no choice');
    const r = parsePairs(csv, choice);
    expect(r.pairs.map((p) => [p.id, p.premise])).toEqual([
      ['2', 'Two\r\nlines'],
      ['4', 'He said "hi", then left.'],
    ]);
    expect(r.issues.map((i) => i.line)).toEqual([5]);
  });
  it('TSV cells may start with a quote character without being quoted', () => {
    const r = parsePairs('"Stop," she said.\tShe spoke.\tentailment\nA.\tB.\tneutral', tsv3);
    expect(r.pairs[0].premise).toBe('"Stop," she said.');
  });
  it('JSON Lines: invalid JSON, missing keys and non-text values are located', () => {
    const text = [
      '{"premise": "a", "hypothesis": "b", "label": 1}',
      '{bad',
      '{"premise": "a"}',
      '{"premise": 3, "hypothesis": "x"}',
      '[1]',
    ].join('\n');
    const choice = detectedChoice(detectFormat(text));
    if (!choice) throw new Error('no choice');
    const r = parsePairs(text, choice);
    expect(r.pairs).toEqual([{ id: '1', premise: 'a', hypothesis: 'b', label: '1' }]);
    expect(r.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^line 2: not valid JSON/),
      expect.stringMatching(/^line 3: no "hypothesis" key \(the hypothesis\)/),
      expect.stringMatching(/^line 4: "premise" \(the premise\) is a number, not text/),
      expect.stringMatching(/^line 5: not a JSON object/),
    ]);
  });
  it('flags duplicates (same premise and hypothesis after trimming) and keeps them', () => {
    const r = parsePairs('a\tb\tx\n a \tb\ty\nc\td\tz\na\tb\tw', tsv3);
    expect(r.pairs).toHaveLength(4);
    expect(r.duplicates).toEqual([
      { line: 2, firstLine: 1 },
      { line: 4, firstLine: 1 },
    ]);
  });
  it(`stops at ${MAX_PAIRS} pairs and says so`, () => {
    const text = Array.from({ length: MAX_PAIRS + 2 }, (_, i) => `p${i}\th${i}`).join('\n');
    const r = parsePairs(text, { ...tsv3, mapping: { ...tsv3.mapping, label: null } });
    expect(r.pairs).toHaveLength(MAX_PAIRS);
    expect(r.truncated).toBe(true);
    expect(r.issues.at(-1)?.message).toMatch(`line ${MAX_PAIRS + 1}: more than 200,000 pairs`);
  });
  it('steps are bounded: progress in characters, rising to the end', () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `premise number ${i}\thypothesis ${i}\tlabel`).join(
      '\n',
    );
    const steps = parsePairsSteps(text, tsv3);
    const done: number[] = [];
    let step = steps.next();
    while (!step.done) {
      done.push(step.value.done);
      step = steps.next();
    }
    expect(done.length).toBeGreaterThanOrEqual(Math.floor(text.length / STEP_CHARS));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(text.length);
    expect(step.value.pairs).toHaveLength(60_000);
    expect(step.value.pairs[59_999].id).toBe('60000');
  });
  it('readPairsText explains text that cannot be read', () => {
    expect(readPairsText('', null).result.issues).toEqual([]);
    expect(readPairsText('just words', null).result.issues[0].message).toMatch(/No TAB-separated columns/);
  });
});

describe('the real dataset files', () => {
  const cases = [
    { file: ['snli', 'raw', 'validation.tsv'], pairs: 9842, labels: ['0', '1', '2'] },
    { file: ['rte', 'raw', 'train.tsv'], pairs: 2490, labels: ['0', '1'] },
    { file: ['sick', 'raw', 'SICK.txt'], pairs: 9840, labels: ['CONTRADICTION', 'ENTAILMENT', 'NEUTRAL'] },
    {
      file: ['jnli', 'raw', 'valid-v1.3.json'],
      pairs: 2434,
      labels: ['contradiction', 'entailment', 'neutral'],
    },
    {
      file: ['jnli', 'raw', 'test-v1.3.json'],
      pairs: 2508,
      labels: ['contradiction', 'entailment', 'neutral'],
    },
    { file: ['snli', 'validation.jsonl'], pairs: 9842, labels: ['contradiction', 'entailment', 'neutral'] },
  ];
  it.each(cases)('$file: every line is a pair, labels as written', ({ file, pairs, labels }) => {
    const bytes = new Uint8Array(readFileSync(sharedPath('data', ...file)));
    inspectFileBytes(bytes, file.join('/'));
    const text = new TextDecoder().decode(bytes);
    const reading = readPairsText(text, null, file.at(-1));
    expect(reading.result.issues).toEqual([]);
    expect(reading.result.pairs).toHaveLength(pairs);
    expect(
      text.split('\n').filter((l) => l.trim() !== '').length - (reading.detection.format === 'tsv' ? 1 : 0),
    ).toBe(pairs);
    expect([...new Set(reading.result.pairs.map((p) => p.label))].filter((l) => l !== null).sort()).toEqual(
      labels,
    );
  });
});
