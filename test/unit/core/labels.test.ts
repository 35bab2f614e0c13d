import { describe, expect, it } from 'vitest';
import { encodeLabels, inferLabelScheme, normalizeLabel } from '../../../src/core/labels';

describe('normalizeLabel', () => {
  it.each([
    ['entailment', 'entailment'],
    ['  Entailment ', 'entailment'],
    ['E', 'entailment'],
    ['entails', 'entailment'],
    ['ENTAILED', 'entailment'],
    ['yes', 'entailment'],
    ['含意', 'entailment'],
    ['neutral', 'neutral'],
    ['n', 'neutral'],
    ['中立', 'neutral'],
    ['contradiction', 'contradiction'],
    ['c', 'contradiction'],
    ['contradicts', 'contradiction'],
    ['Contradictory', 'contradiction'],
    ['矛盾', 'contradiction'],
    ['not_entailment', 'not_entailment'],
    ['not entailment', 'not_entailment'],
    ['Not Entailed', 'not_entailment'],
    ['non-entailment', 'not_entailment'],
    ['no', 'not_entailment'],
    ['非含意', 'not_entailment'],
    ['-', null],
    ['-1', null],
    ['', null],
    ['   ', null],
    ['0', '0'],
    [' 2 ', '2'],
    ['Paraphrase', 'Paraphrase'],
    ['entailments', 'entailments'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeLabel(raw)).toBe(expected);
  });
});

describe('inferLabelScheme', () => {
  it('reads SNLI-style names as a three-way task and drops "-"', () => {
    const scheme = inferLabelScheme(['neutral', 'contradiction', '-', 'entailment', 'neutral']);
    expect(scheme.classes).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(scheme.task).toBe('three-way');
    expect(scheme.mapping['-']).toBeNull();
    expect(scheme.numericOrder).toBeUndefined();
  });

  it('maps GLUE 0/1/2 to entailment/neutral/contradiction by default', () => {
    const scheme = inferLabelScheme(['2', '0', '1', '1']);
    expect(scheme.mapping).toEqual({ '0': 'entailment', '1': 'neutral', '2': 'contradiction' });
    expect(scheme.numericOrder).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(scheme.task).toBe('three-way');
  });

  it('maps RTE 0/1 to entailment/not_entailment by default', () => {
    const scheme = inferLabelScheme(['1', '0', '0']);
    expect(scheme.classes).toEqual(['entailment', 'not_entailment']);
    expect(scheme.task).toBe('binary');
  });

  it('honours an explicit numeric order, normalising its names', () => {
    const scheme = inferLabelScheme(['0', '1', '2'], { numericOrder: ['c', 'N', 'entailment'] });
    expect(scheme.mapping).toEqual({ '0': 'contradiction', '1': 'neutral', '2': 'entailment' });
    expect(scheme.classes).toEqual(['entailment', 'neutral', 'contradiction']);
  });

  it('rejects a digit label beyond the numeric order', () => {
    expect(() => inferLabelScheme(['0', '3'], { numericOrder: ['entailment', 'not_entailment'] })).toThrow(
      expect.objectContaining({ code: 'input.label' }),
    );
    expect(() => inferLabelScheme(['0'], { numericOrder: ['-'] })).toThrow(
      expect.objectContaining({ code: 'input.option' }),
    );
  });

  it('keeps unknown labels as custom classes after the canonical ones', () => {
    const scheme = inferLabelScheme(['zeta', 'entailment', 'Alpha', 'not entailed', 'zeta']);
    expect(scheme.classes).toEqual(['entailment', 'not_entailment', 'Alpha', 'zeta']);
    expect(scheme.task).toBe('custom');
  });

  it('keeps digits beyond 2 as custom classes, sorted numerically', () => {
    const scheme = inferLabelScheme(['10', '3', '0']);
    expect(scheme.classes).toEqual(['0', '3', '10']);
    expect(scheme.task).toBe('custom');
  });

  it('keeps digits mixed with names as custom classes', () => {
    expect(inferLabelScheme(['entailment', '1']).classes).toEqual(['entailment', '1']);
  });

  it('reads JNLI (Japanese names) and yes/no', () => {
    expect(inferLabelScheme(['矛盾', '含意', '中立']).classes).toEqual([
      'entailment',
      'neutral',
      'contradiction',
    ]);
    expect(inferLabelScheme(['yes', 'no']).task).toBe('binary');
  });

  it('returns no classes when nothing is labelled, and survives "__proto__"', () => {
    expect(inferLabelScheme(['-', '']).classes).toEqual([]);
    expect(inferLabelScheme(['__proto__', 'e']).classes).toEqual(['entailment', '__proto__']);
  });
});

describe('encodeLabels', () => {
  it('turns raw labels into class ids and skips unlabelled rows', () => {
    const raw = ['neutral', '-', 'E', 'contradiction', 'entailment'];
    const scheme = inferLabelScheme(raw);
    expect(encodeLabels(raw, scheme)).toEqual({ y: [1, 0, 2, 0], rows: [0, 2, 3, 4] });
  });

  it('rejects a label the scheme has not seen', () => {
    const scheme = inferLabelScheme(['entailment', 'neutral']);
    expect(() => encodeLabels(['entailment', 'contradiction'], scheme)).toThrow(
      /^Row 1 has the label 'contradiction'/,
    );
  });
});
