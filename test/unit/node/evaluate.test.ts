/**
 * The headless evaluation (`npm run eval`): recipe building, file reading, and one full run of the origin
 * recipe on SICK checked against the scikit-learn probe in shared/data/reference.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors';
import { formatFixedLikePython } from '../../../src/core/metrics';
import { presetRecipe } from '../../../src/core/recipe';
import {
  buildRecipe,
  encodeEvalLabels,
  evaluate,
  formatConfusion,
  modelFolder,
  readDataset,
} from '../../../src/node/evaluate';
import { sharedPath } from '../../shared-dir';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface ProbeRow {
  accuracy: number;
  macro_f1: number;
  confusion_matrix: number[][];
}

function referenceProbe(key: string): ProbeRow {
  const json = JSON.parse(
    readFileSync(sharedPath('data', 'reference', 'pairscope-mini-nli-probe.json'), 'utf8'),
  ) as { probes: Record<string, ProbeRow> };
  const row = json.probes[key];
  if (!row) throw new Error(`The reference has no probe ${key}.`);
  return row;
}

describe('buildRecipe', () => {
  it('maps sbert to the sbert-nli preset and applies overrides without touching the preset', () => {
    expect(buildRecipe('sbert')).toEqual(presetRecipe('sbert-nli'));
    const recipe = buildRecipe('bert-as-service', { layers: [-1], pooling: 'first', maxLength: 512 });
    expect(recipe).toMatchObject({ pairMode: 'standard', layers: [-1], pooling: 'first', maxLength: 512 });
    expect(presetRecipe('bert-as-service')).toMatchObject({ layers: [-2], pooling: 'mean', maxLength: 25 });
    const parts = { u: true, v: true, absDiff: true, product: true };
    expect(buildRecipe('sbert', { parts }).sbertParts).toEqual(parts);
  });
});

describe('formatConfusion', () => {
  it('uses the layout of the reference report file', () => {
    expect(
      formatConfusion([
        [564, 828, 12],
        [590, 1939, 261],
        [20, 292, 400],
      ]),
    ).toBe(
      'confusion_matrix (rows = true, cols = predicted):\n  564   828    12\n  590  1939   261\n   20   292   400\n',
    );
  });
});

describe('readDataset and modelFolder', () => {
  it('reads the shared SICK file with all its rows labelled', async () => {
    const data = await readDataset(sharedPath('data', 'sick', 'train.jsonl'));
    expect(data.pairs).toHaveLength(4439);
    expect(data.pairs.every((p) => p.label !== null)).toBe(true);
  });

  it('reads the SNLI raw TSV (header, numeric labels)', async () => {
    const data = await readDataset(sharedPath('data', 'snli', 'raw', 'validation.tsv'));
    expect(data.pairs).toHaveLength(9842);
    expect(data.pairs[0]).toMatchObject({ premise: 'Two women are embracing while holding to go packages.' });
    expect(new Set(data.pairs.map((p) => p.label))).toEqual(new Set(['0', '1', '2']));
  });

  it('throws input.file for a missing file or a folder that is not a model', async () => {
    await expect(readDataset('/nonexistent/train.jsonl')).rejects.toMatchObject({ code: 'input.file' });
    expect(() => modelFolder('/nonexistent-model')).toThrow(InputError);
    expect(() => modelFolder(sharedPath('data'))).toThrow(/has no config\.json/);
  });
});

describe('the eval command line', () => {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const run = (...args: string[]) =>
    spawnSync(tsx, ['scripts/eval.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

  it('prints usage with --help and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run eval -- --model <folder>');
  });

  it('exits 2 with a clear message for an unknown flag, a missing file or a bad value', () => {
    const model = sharedPath('models', 'pairscope-mini-nli');
    const train = sharedPath('data', 'sick', 'train.jsonl');
    const cases: [string[], string][] = [
      [['--modle', model], 'Unknown flag --modle.'],
      [
        ['--model', model, '--train', train, '--test', 'missing.jsonl', '--preset', 'origin'],
        'missing.jsonl does not exist',
      ],
      [['--model', model, '--train', train, '--test', train, '--preset', 'bert'], "--preset is 'bert'"],
      [
        ['--model', model, '--train', train, '--test', train, '--preset', 'origin', '--parts', 'u,v'],
        '--parts applies only to --preset sbert',
      ],
      [
        ['--model', model, '--train', train, '--test', train, '--preset', 'origin', '--layer', 'x'],
        "--layer is 'x'",
      ],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
  });
});

describe('evaluate (end to end)', () => {
  it('reproduces the origin-recipe probe of pairscope-mini-nli on SICK within one accuracy point', async () => {
    const reference = referenceProbe('sick_origin_exact_l-2');
    const train = await readDataset(sharedPath('data', 'sick', 'train.jsonl'));
    const test = await readDataset(sharedPath('data', 'sick', 'test.jsonl'));
    const result = await evaluate({
      model: sharedPath('models', 'pairscope-mini-nli'),
      train,
      test,
      preset: 'origin',
      recipe: buildRecipe('origin'),
      classifier: 'logreg',
      seed: 0,
      dtype: 'fp32',
    });
    const { summary } = result;
    expect(summary.n_train).toBe(4439);
    expect(summary.n_test).toBe(4906);
    expect(summary.classes).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(summary.dim).toBe(128);
    expect(summary.layers_resolved).toEqual([3]);
    expect(summary.n_train_truncated + summary.n_test_truncated).toBe(0);
    expect(Math.abs(summary.accuracy - reference.accuracy)).toBeLessThan(0.01);
    expect(Math.abs(summary.macro_f1 - reference.macro_f1)).toBeLessThan(0.01);
    expect(result.reportText).toContain(
      `accuracy                         ${formatFixedLikePython(summary.accuracy, 4)}`,
    );
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(4906);
    expect(result.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([1404, 2790, 712]);
  }, 180_000);
});

describe('encodeEvalLabels', () => {
  it('gives canonical class ids whatever the spelling in each file', () => {
    const labels = encodeEvalLabels(['2', '0', '1', '0'], ['neutral', 'contradiction', 'E']);
    expect(labels.classes).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(labels.task).toBe('three-way');
    expect(labels.yTrain).toEqual([2, 0, 1, 0]);
    expect(labels.yTest).toEqual([1, 2, 0]);
  });

  it("reads the test file's digits in the train file's digit order", () => {
    // Alone, digits 0 and 1 would be read as binary (entailment, not_entailment).
    const labels = encodeEvalLabels(['0', '1', '2'], ['1', '0']);
    expect(labels.yTest).toEqual([1, 0]);
    expect(labels.classes).toEqual(['entailment', 'neutral', 'contradiction']);
  });

  it('keeps a class that only the test file has, in canonical order', () => {
    const labels = encodeEvalLabels(['contradiction', 'entailment'], ['neutral', 'entailment']);
    expect(labels.classes).toEqual(['entailment', 'neutral', 'contradiction']);
    expect(labels.yTrain).toEqual([2, 0]);
    expect(labels.yTest).toEqual([1, 0]);
  });

  it('reads binary RTE-style labels as entailment, not_entailment', () => {
    const labels = encodeEvalLabels(['not_entailment', 'entailment'], ['1', '0']);
    expect(labels.classes).toEqual(['entailment', 'not_entailment']);
    expect(labels.yTrain).toEqual([1, 0]);
    expect(labels.yTest).toEqual([1, 0]);
  });
});
