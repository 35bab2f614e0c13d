/**
 * Importing pairs from files: the real dataset files in ../shared/data (SNLI, GLUE RTE, SICK, JGLUE JNLI)
 * open with the right format, mapping and counts; CSV quoting, BOM and CRLF; an ambiguous layout asks for
 * the columns; bad rows are located and the good ones kept; empty, binary, non-UTF-8 and too-large files are
 * refused with a sentence that says what to do — and the text already there is kept.
 */
import { closeSync, mkdtempSync, openSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedPath } from '../shared-dir';
import { expect, test } from './fixtures';
import type { PairscopePage } from './fixtures';

async function openFile(
  app: PairscopePage,
  file: string | { name: string; mimeType: string; buffer: Buffer },
) {
  await app.page.getByTestId('pairs.file').setInputFiles(file);
}

const realFiles = [
  {
    file: ['snli', 'raw', 'validation.tsv'],
    pairs: 9842,
    format: 'TSV, with a header: premise = premise, hypothesis = hypothesis, label = label',
    first: 'Two women are embracing while holding to go packages.',
  },
  {
    file: ['rte', 'raw', 'train.tsv'],
    pairs: 2490,
    format: 'TSV, with a header: premise = sentence1, hypothesis = sentence2, label = label, id = index',
    first: 'No Weapons of Mass Destruction Found in Iraq Yet.',
  },
  {
    file: ['sick', 'raw', 'SICK.txt'],
    pairs: 9840,
    format: 'premise = sentence_A, hypothesis = sentence_B, label = entailment_label, id = pair_ID',
    first: 'A group of kids is playing in a yard',
  },
  {
    file: ['jnli', 'raw', 'valid-v1.3.json'],
    pairs: 2434,
    format: 'JSON Lines: premise = sentence1, hypothesis = sentence2, label = label, id = sentence_pair_id',
    first: '時計がついている場所にパブリックマーケットセンターとかかれた看板が設置されています。',
  },
  {
    file: ['snli', 'validation.jsonl'],
    pairs: 9842,
    format: 'JSON Lines: premise = premise, hypothesis = hypothesis, label = label, id = id',
    first: 'Two women are embracing',
  },
];

for (const { file, pairs, format, first } of realFiles) {
  test(`opens ${file.join('/')} with its format, mapping and every pair`, async ({ app, page }) => {
    await app.open();
    await openFile(app, sharedPath('data', ...file));
    await expect(page.getByTestId('pairs.summary')).toContainText(`${pairs} pairs, ${pairs} labelled`);
    await expect(page.getByTestId('pairs.format')).toContainText(format);
    await expect(page.getByTestId('pairs.issues')).toHaveCount(0);
    await expect(page.getByTestId('pairs.input')).toHaveValue(
      new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    expect(app.errors).toEqual([]);
  });
}

test('JNLI labels keep their names (entailment / contradiction / neutral)', async ({ app, page }) => {
  await app.open();
  await openFile(app, sharedPath('data', 'jnli', 'raw', 'valid-v1.3.json'));
  await expect(page.getByTestId('pairs.summary')).toContainText('2434 pairs, 2434 labelled');
  await app.loadLocalModel('tiny-random-bert');
  await app.embed();
  await expect(page.getByTestId('labels.mapping')).toContainText(
    'classes: entailment, neutral, contradiction',
  );
  expect(app.errors).toEqual([]);
});

test('CSV with a BOM, CRLF, quoted commas, quotes and a newline inside a cell', async ({ app, page }) => {
  const csv =
    '\uFEFFpremise,hypothesis,label\r\n' +
    '"A man, tall and thin, walks.","He is ""walking"".",entailment\r\n' +
    '"Two lines\r\nin one cell.",Something is written.,neutral\r\n' +
    'A cat sleeps.,A cat sleeps.,entailment\r\n' +
    'A cat sleeps.,A cat sleeps.,entailment\r\n';
  await app.open();
  await openFile(app, { name: 'pairs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(page.getByTestId('pairs.summary')).toContainText('4 pairs, 4 labelled, 1 duplicate');
  await expect(page.getByTestId('pairs.format')).toContainText('CSV, with a header');
  await page.getByTestId('pairs.duplicates').locator('summary').click();
  await expect(page.getByTestId('pairs.duplicates')).toContainText('line 6 repeats line 5');
  expect(app.errors).toEqual([]);
});

test('a layout without a header and with four columns asks which column is which', async ({ app, page }) => {
  const tsv = [
    'g1\tA dog runs.\tAn animal moves.\tentailment',
    'g2\tA bird sings.\tIt is silent.\tcontradiction',
  ].join('\n');
  await app.open();
  await openFile(app, { name: 'odd.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
  await expect(page.getByTestId('pairs.mapping')).toBeVisible();
  await expect(page.getByTestId('pairs.mapping')).toContainText('4 columns and no header');
  await expect(page.getByTestId('pairs.summary')).toContainText('0 pairs');
  await page.getByTestId('pairs.mapping.premise').selectOption({ label: 'column 2' });
  await page.getByTestId('pairs.mapping.hypothesis').selectOption({ label: 'column 3' });
  await page.getByTestId('pairs.mapping.label').selectOption({ label: 'column 4' });
  await page.getByTestId('pairs.mapping.id').selectOption({ label: 'column 1' });
  await page.getByTestId('pairs.mapping.apply').click();
  await expect(page.getByTestId('pairs.summary')).toContainText('2 pairs, 2 labelled');
  await expect(page.getByTestId('pairs.format')).toContainText('(your choice)');
  // The choice survives a reload with the text.
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByTestId('pairs.summary')).toContainText('2 pairs, 2 labelled');
  expect(app.errors).toEqual([]);
});

test('bad lines are listed with their line number and the good ones are kept', async ({ app, page }) => {
  await app.open();
  await app.pastePairs([
    ['A woman reads.', 'Someone reads.', 'entailment'],
    ['A line without a hypothesis'],
    ['A boy swims.', 'A boy is in water.', 'entailment'],
    ['', '', 'neutral'],
    ['One', 'two', 'three', 'four'],
  ]);
  await expect(page.getByTestId('pairs.summary')).toContainText('2 pairs, 2 labelled, 3 lines skipped');
  const issues = page.getByTestId('pairs.issues');
  await expect(issues).toContainText('line 2: no hypothesis column');
  await expect(issues).toContainText('line 4: premise and hypothesis are both empty');
  await expect(issues).toContainText('line 5: 4 columns, 3 expected');
  expect(app.errors).toEqual([]);
});

test('empty, binary, non-UTF-8 and too-large files are refused clearly and the text is kept', async ({
  app,
  page,
}) => {
  await app.open();
  await app.pastePairs([['Keep me.', 'I stay.', 'neutral']]);
  const error = page.getByTestId('pairs.fileError');
  await openFile(app, { name: 'empty.tsv', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await expect(error).toHaveText('empty.tsv: the file is empty.');
  await openFile(app, {
    name: 'pairs.tsv.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
  });
  await expect(error).toContainText('this is a gzip archive; decompress it first');
  await openFile(app, {
    name: 'latin1.tsv',
    mimeType: 'text/plain',
    buffer: Buffer.from('A caf\u00e9.\tUn lieu.\n', 'latin1'),
  });
  await expect(error).toContainText('line 1 is not valid UTF-8 (byte 0xE9 at offset 5)');
  await expect(error).toContainText('Save it as UTF-8');
  // A 200 MB file (sparse on disk): refused by its size, before it is read.
  const dir = mkdtempSync(path.join(tmpdir(), 'pairscope-'));
  const big = path.join(dir, 'huge.tsv');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 200 * 1024 * 1024);
  closeSync(fd);
  await openFile(app, big);
  await expect(error).toContainText('huge.tsv: the file is too large (200.0 MB)');
  await expect(error).toContainText('Split the file');
  await expect(page.getByTestId('pairs.summary')).toContainText('1 pair, 1 labelled');
  await expect(page.getByTestId('pairs.input')).toHaveValue('Keep me.\tI stay.\tneutral');
  expect(app.errors).toEqual([]);
});
