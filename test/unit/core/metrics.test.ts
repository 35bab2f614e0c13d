import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  formatFixedLikePython,
  macroF1,
  type ReportScores,
} from '../../../src/core/metrics';
import { sharedPath } from '../../shared-dir';

interface ReferenceCase {
  name: string;
  labels: number[];
  target_names: string[] | null;
  y_true: number[];
  y_pred: number[];
  report_text: string;
  report: Record<string, ReportScores | number>;
  confusion_matrix: number[][];
  accuracy: number;
  macro_f1: number;
}

interface ProbeEntry {
  report_text?: string;
  confusion_matrix?: number[][];
  accuracy?: number;
  macro_f1?: number;
}

const reference = JSON.parse(
  readFileSync(sharedPath('data', 'reference', 'classification_reports.json'), 'utf8'),
) as { generator: string; cases: ReferenceCase[] };

describe('classificationReport against scikit-learn 1.2.1', () => {
  it('has reference cases to compare with', () => {
    expect(reference.generator).toContain('scikit-learn 1.2.1');
    expect(reference.cases.length).toBeGreaterThanOrEqual(6);
  });

  for (const c of reference.cases) {
    describe(c.name, () => {
      const nClasses = Math.max(...c.labels) + 1;
      const report = classificationReport(c.y_true, c.y_pred, {
        labels: c.labels,
        targetNames: c.target_names,
        digits: 4,
      });

      it('text is byte-identical', () => {
        expect(report.text).toBe(c.report_text);
      });

      it('dict numbers equal sklearn output_dict', () => {
        expect(Object.keys(report.dict).sort()).toEqual(Object.keys(c.report).sort());
        for (const [key, expected] of Object.entries(c.report)) {
          const actual = report.dict[key];
          if (typeof expected === 'number') {
            expect(actual).toBeCloseTo(expected, 12);
          } else {
            const row = actual as ReportScores;
            expect(row.precision).toBeCloseTo(expected.precision, 12);
            expect(row.recall).toBeCloseTo(expected.recall, 12);
            expect(row['f1-score']).toBeCloseTo(expected['f1-score'], 12);
            expect(row.support).toBe(expected.support);
          }
        }
      });

      it('confusion matrix, accuracy and macro-F1 equal', () => {
        expect(confusionMatrix(c.y_true, c.y_pred, nClasses)).toEqual(c.confusion_matrix);
        expect(Math.abs(accuracy(c.y_true, c.y_pred) - c.accuracy)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(macroF1(c.y_true, c.y_pred, nClasses) - c.macro_f1)).toBeLessThanOrEqual(1e-12);
      });
    });
  }
});

describe('classificationReport against the pairscope-mini-nli probe reports', () => {
  // The probe file has no predictions, but a report depends only on the confusion matrix, so expanding each
  // matrix into (true, predicted) pairs reproduces the inputs up to order.
  const probeFile = JSON.parse(
    readFileSync(sharedPath('data', 'reference', 'pairscope-mini-nli-probe.json'), 'utf8'),
  ) as {
    probes: Record<string, ProbeEntry>;
    cross_encoder_head: Record<string, ProbeEntry>;
    label_names: Record<string, string[]>;
  };
  const entries = [
    ...Object.entries(probeFile.probes),
    ...Object.entries(probeFile.cross_encoder_head),
  ].filter(
    (e): e is [string, Required<ProbeEntry>] =>
      e[1].report_text !== undefined && e[1].confusion_matrix !== undefined,
  );

  it('has probe reports', () => {
    expect(entries.length).toBeGreaterThanOrEqual(9);
  });

  for (const [key, probe] of entries) {
    it(`${key}: text is byte-identical`, () => {
      const cm = probe.confusion_matrix;
      const yTrue: number[] = [];
      const yPred: number[] = [];
      cm.forEach((row, t) =>
        row.forEach((count, p) => {
          for (let i = 0; i < count; i++) {
            yTrue.push(t);
            yPred.push(p);
          }
        }),
      );
      const names = cm.length === 2 ? probeFile.label_names['rte'] : probeFile.label_names['nli3'];
      const labels = cm.map((_, k) => k);
      const report = classificationReport(yTrue, yPred, { labels, targetNames: names });
      expect(report.text).toBe(probe.report_text);
      expect(confusionMatrix(yTrue, yPred, cm.length)).toEqual(cm);
      expect(Math.abs(accuracy(yTrue, yPred) - probe.accuracy)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(macroF1(yTrue, yPred, cm.length) - probe.macro_f1)).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('classificationReport, hand-computed', () => {
  it('lays out a two-class report with numeric names', () => {
    // each class: tp 1, predicted 2, support 2 → precision 0.5, recall 0.5, F1 0.5
    const report = classificationReport([0, 0, 1, 1], [0, 1, 0, 1], { labels: [0, 1] });
    expect(report.text).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           0     0.5000    0.5000    0.5000         2',
        '           1     0.5000    0.5000    0.5000         2',
        '',
        '    accuracy                         0.5000         4',
        '   macro avg     0.5000    0.5000    0.5000         4',
        'weighted avg     0.5000    0.5000    0.5000         4',
        '',
      ].join('\n'),
    );
    expect(report.classNames).toEqual(['0', '1']);
  });

  it('widens the name column for long names, counting code points', () => {
    const report = classificationReport([0, 1], [0, 1], {
      labels: [0, 1],
      targetNames: ['含意', 'not_entailment_long'],
    });
    const lines = report.text.split('\n');
    expect(lines[2]).toBe(`${' '.repeat(17)}含意     1.0000    1.0000    1.0000         1`);
    expect(lines[3]?.startsWith('not_entailment_long ')).toBe(true);
  });

  it('uses a micro avg row when a listed label never occurs', () => {
    const report = classificationReport([0, 1], [0, 0], { labels: [0, 1, 2] });
    expect(report.text).toContain('   micro avg     0.5000    0.5000    0.5000         2\n');
    expect(report.dict['accuracy']).toBeUndefined();
  });

  it('honours digits', () => {
    const report = classificationReport([0, 0, 1], [0, 1, 1], { labels: [0, 1], digits: 2 });
    expect(report.text.split('\n')[2]).toBe('           0       1.00      0.50      0.67         2');
  });

  it('rejects mismatched names, lengths and empty input', () => {
    expect(() => classificationReport([0], [0], { labels: [0, 1], targetNames: ['a'] })).toThrow(InputError);
    expect(() => classificationReport([0, 1], [0], { labels: [0, 1] })).toThrow(/pair up/);
    expect(() => classificationReport([], [], { labels: [0, 1] })).toThrow(InputError);
  });
});

describe('formatFixedLikePython', () => {
  it.each([
    [0.03125, 4, '0.0312'], // exact tie: half to even (toFixed gives 0.0313)
    [0.00015, 4, '0.0001'], // the double is just below the tie 0.00015
    [0.09375, 4, '0.0938'], // exact tie, rounds up to even
    [1, 4, '1.0000'],
    [0, 4, '0.0000'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [2.5, 0, '2'],
    [0.6411290322580645, 4, '0.6411'],
    [123.456, 2, '123.46'],
    [-0.00001, 4, '-0.0000'],
    [1e22, 1, '10000000000000000000000.0'],
  ])('%s with %s digits is %s', (value, digits, expected) => {
    expect(formatFixedLikePython(value, digits)).toBe(expected);
  });
});

describe('confusionMatrix, accuracy, macroF1', () => {
  it('computes a hand-checked case', () => {
    const yTrue = [0, 0, 1, 1, 2, 2];
    const yPred = [0, 1, 1, 1, 2, 0];
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 15);
    // F1: class0 P=1/2 R=1/2 → 1/2; class1 P=2/3 R=1 → 0.8; class2 P=1 R=1/2 → 2/3
    expect(macroF1(yTrue, yPred, 3)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 15);
  });

  it('matches sklearn f1_score(average="macro") with 10 classes (pairwise-summation path)', () => {
    const yTrue = [
      8, 0, 1, 2, 1, 8, 8, 5, 0, 0, 3, 4, 6, 4, 2, 1, 6, 7, 0, 1, 4, 3, 8, 5, 4, 4, 6, 5, 1, 7, 7, 9, 7, 2, 3,
      6, 6, 6, 8, 2, 9, 0, 0, 9, 9, 2, 1, 3, 0, 8, 6, 5, 2, 4, 1, 7, 4, 0, 2, 7,
    ];
    const yPred = [
      8, 0, 6, 3, 1, 5, 8, 6, 8, 0, 0, 5, 3, 5, 2, 1, 0, 7, 6, 1, 4, 3, 9, 5, 7, 4, 4, 5, 6, 7, 7, 5, 1, 2, 0,
      6, 6, 6, 9, 3, 3, 9, 0, 3, 9, 2, 1, 3, 0, 4, 6, 5, 2, 5, 0, 9, 4, 5, 7, 7,
    ];
    // f1_score(y_true, y_pred, average='macro', labels=range(10), zero_division=0)
    expect(macroF1(yTrue, yPred, 10)).toBe(0.5085780885780886);
  });

  it('counts an absent class as F1 0 in the macro average', () => {
    expect(macroF1([0, 1], [0, 1], 3)).toBeCloseTo(2 / 3, 15);
  });

  it('rejects out-of-range ids, length mismatch and empty accuracy', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      expect.objectContaining({ code: 'input.label' }),
    );
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(
      expect.objectContaining({ code: 'input.dimension' }),
    );
    expect(() => accuracy([], [])).toThrow(expect.objectContaining({ code: 'input.empty' }));
  });
});
