import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/core/dataset';
import { InputError } from '../../../src/core/errors';

/** The InputError a parse throws (fails the test when nothing is thrown). */
function parseError(text: string, options?: Parameters<typeof parseDataset>[1]): InputError {
  try {
    parseDataset(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseDataset: JSONL', () => {
  it('reads premise, hypothesis, label and id; numeric and missing labels; blank lines; CRLF and BOM', () => {
    const text =
      '\uFEFF{"id": "a1", "premise": "A cat sits.", "hypothesis": "An animal sits.", "label": "entailment"}\r\n' +
      '\r\n' +
      '{"premise": "A dog runs.", "hypothesis": "A dog sleeps.", "label": 2}\n' +
      '{"id": 7, "premise": "P", "hypothesis": "H"}\n' +
      '{"premise": "P", "hypothesis": "H", "label": null}\n';
    expect(parseDataset(text)).toEqual([
      { id: 'a1', premise: 'A cat sits.', hypothesis: 'An animal sits.', label: 'entailment' },
      { id: '3', premise: 'A dog runs.', hypothesis: 'A dog sleeps.', label: '2' },
      { id: '7', premise: 'P', hypothesis: 'H', label: null },
      { id: '5', premise: 'P', hypothesis: 'H', label: null },
    ]);
  });

  it('accepts the SNLI/MultiNLI field names sentence1, sentence2 and gold_label', () => {
    const text = '{"gold_label": "-", "sentence1": "S1", "sentence2": "S2", "pairID": "x"}\n';
    expect(parseDataset(text)).toEqual([{ id: '1', premise: 'S1', hypothesis: 'S2', label: '-' }]);
  });

  it('keeps the texts exactly as written (no trimming)', () => {
    const [pair] = parseDataset('{"premise": "  spaced ", "hypothesis": "\\tx", "label": " neutral "}');
    expect(pair).toMatchObject({ premise: '  spaced ', hypothesis: '\tx', label: ' neutral ' });
  });

  it('names the file and line of invalid JSON', () => {
    const error = parseError('{"premise": "a", "hypothesis": "b", "label": "e"}\n\n{"premise": "a",\n', {
      name: 'train.jsonl',
    });
    expect(error.code).toBe('input.line');
    expect(error.message).toMatch(/^train\.jsonl line 3: not valid JSON/);
  });

  it('says which field is missing and lists the fields the object has', () => {
    const error = parseError('{"premise": "a", "hypo": "b", "label": "e"}', { name: 'f' });
    expect(error.message).toBe(
      'f line 1: no hypothesis field: expected one of hypothesis, sentence2, sentence_b, text_b; the object has premise, hypo, label.',
    );
  });

  it('rejects non-string sentences, odd label types, non-objects and pairs with both sides empty', () => {
    expect(parseError('{"premise": 3, "hypothesis": "b"}').message).toContain(
      'line 1: the premise field is 3, not a string',
    );
    expect(parseError('{"premise": "a", "hypothesis": "b", "label": ["e"]}').message).toContain(
      'line 1: the label field is ["e"]',
    );
    expect(parseError('{"premise": "a", "hypothesis": "b"}\n[1, 2]', { format: 'jsonl' }).message).toContain(
      'line 2: expected a JSON object',
    );
    expect(parseError('{"premise": " ", "hypothesis": ""}').message).toContain(
      'line 1: premise and hypothesis are both empty',
    );
  });

  it('explains a JSON array given as JSONL', () => {
    const error = parseError('[\n{"premise": "a", "hypothesis": "b"}\n]', { format: 'jsonl' });
    expect(error.message).toContain('line 1: not valid JSON');
    expect(error.message).toContain('looks like a JSON array');
  });
});

describe('parseDataset: TSV', () => {
  it('reads rows without a header: two or three columns, numeric labels kept raw', () => {
    expect(parseDataset('A cat sits.\tAn animal sits.\t0\nA dog runs.\tA dog sleeps.\n')).toEqual([
      { id: '1', premise: 'A cat sits.', hypothesis: 'An animal sits.', label: '0' },
      { id: '2', premise: 'A dog runs.', hypothesis: 'A dog sleeps.', label: null },
    ]);
  });

  it('reads a header line and picks the named columns in any order (GLUE, MultiNLI layouts)', () => {
    const snli = 'premise\thypothesis\tlabel\r\nTwo women.\tTwo people.\t0\r\n';
    expect(parseDataset(snli)).toEqual([
      { id: '2', premise: 'Two women.', hypothesis: 'Two people.', label: '0' },
    ]);
    const glue = 'index\tsentence1\tsentence2\tlabel\n0\tP "quoted"\tH\tnot_entailment\n1\tP2\tH2\t\n';
    expect(parseDataset(glue)).toEqual([
      { id: '2', premise: 'P "quoted"', hypothesis: 'H', label: 'not_entailment' },
      { id: '3', premise: 'P2', hypothesis: 'H2', label: null },
    ]);
    const mnli = 'gold_label\tsentence1\tsentence2\nneutral\tS1\tS2\n';
    expect(parseDataset(mnli, { format: 'tsv' })).toEqual([
      { id: '2', premise: 'S1', hypothesis: 'S2', label: 'neutral' },
    ]);
  });

  it('names the line of a row without a TAB or with too many columns', () => {
    const noTab = parseError('a\tb\tneutral\nno tab here\n', { name: 'test.tsv' });
    expect(noTab.code).toBe('input.line');
    expect(noTab.message).toMatch(/^test\.tsv line 2: no TAB character/);
    expect(parseError('a\tb\tc\td').message).toMatch(/^input line 1: 4 columns; without a header/);
    const header = parseError('premise\thypothesis\tlabel\na\tb\tc\nx\ty\n');
    expect(header.message).toMatch(/^input line 3: 2 columns but the header has 3/);
  });

  it('rejects a row whose premise and hypothesis are both empty', () => {
    expect(parseError('a\tb\n \t\tneutral').message).toContain(
      'line 2: premise and hypothesis are both empty',
    );
  });
});

describe('parseDataset: format and emptiness', () => {
  it('detects JSONL from a leading "{" and TSV otherwise', () => {
    expect(parseDataset('\n  {"premise": "a", "hypothesis": "b"}')[0].premise).toBe('a');
    expect(parseDataset('{not json}\tb', { format: 'tsv' })[0].premise).toBe('{not json}');
  });

  it('throws input.empty for an empty or blank file, and for a header alone', () => {
    for (const text of ['', '\n\n  \n', 'premise\thypothesis\tlabel\n']) {
      const error = parseError(text, { name: 'empty.tsv' });
      expect(error.code).toBe('input.empty');
      expect(error.message).toContain('empty.tsv holds no sentence pairs');
    }
  });
});
