import { describe, expect, it } from 'vitest';
import { assertHasPairs, parsePairsText } from '../../../src/core/pairs';

describe('parsePairsText', () => {
  it('reads premise, hypothesis and an optional label per line', () => {
    const { pairs, issues } = parsePairsText(
      'A cat sits.\tAn animal sits.\tentailment\nA dog runs.\tA dog sleeps.',
    );
    expect(issues).toEqual([]);
    expect(pairs).toEqual([
      { id: '1', premise: 'A cat sits.', hypothesis: 'An animal sits.', label: 'entailment' },
      { id: '2', premise: 'A dog runs.', hypothesis: 'A dog sleeps.', label: null },
    ]);
  });

  it('accepts CRLF, a BOM, blank lines, comments and a header', () => {
    const text = '\uFEFFpremise\thypothesis\tlabel\r\n\r\n# a comment\r\nP one\tH one\tneutral\r\n';
    const { pairs, issues } = parsePairsText(text);
    expect(issues).toEqual([]);
    expect(pairs).toEqual([{ id: '4', premise: 'P one', hypothesis: 'H one', label: 'neutral' }]);
  });

  it('reports lines without a hypothesis or with extra columns, and keeps the valid ones', () => {
    const { pairs, issues } = parsePairsText('good\tpair\nno tab here\na\tb\tc\td\n \t \tneutral\nlast\tone');
    expect(pairs.map((p) => p.id)).toEqual(['1', '5']);
    expect(issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(issues[0].message).toBe(
      'line 2: no hypothesis column — separate premise and hypothesis with a TAB character.',
    );
    expect(issues[1].message).toContain('line 3: 4 columns');
    expect(issues[2].message).toContain('line 4: premise and hypothesis are both empty');
  });

  it('keeps pairs with one empty side, and markup as plain text', () => {
    const { pairs } = parsePairsText('\tOnly a hypothesis\n<img src=x onerror=alert(1)>\t<b>bold</b>');
    expect(pairs[0]).toMatchObject({ premise: '', hypothesis: 'Only a hypothesis' });
    expect(pairs[1]).toMatchObject({ premise: '<img src=x onerror=alert(1)>', hypothesis: '<b>bold</b>' });
  });

  it('assertHasPairs explains what to paste', () => {
    expect(() => assertHasPairs([])).toThrow(/No sentence pairs to embed/);
  });
});
