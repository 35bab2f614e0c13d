/**
 * Data out and back in: embeddings as .npy (a valid NumPy header, float32 data equal to the vectors) and as
 * TensorBoard Projector TSV; the classifier as JSON; a session file that re-imports to the same state; and
 * vectors made elsewhere imported for the current pairs.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, maxAbsDiff, test } from './fixtures';

async function downloads(page: Page, count: number, click: () => Promise<void>): Promise<Download[]> {
  const seen: Download[] = [];
  const done = new Promise<void>((resolve) => {
    page.on('download', (d) => {
      seen.push(d);
      if (seen.length === count) resolve();
    });
  });
  await click();
  await done;
  return seen;
}

async function bytesOf(download: Download): Promise<Buffer> {
  const file = await download.path();
  return readFileSync(file);
}

test('exports: .npy, Projector TSV, classifier JSON; session file round trip; vectors import', async ({
  app,
  page,
}) => {
  test.setTimeout(180_000);
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await page.getByTestId('pairs.sample').click();
  await app.embed();
  const vectors = await app.vectors();
  if (!vectors) throw new Error('no vectors');
  expect(vectors.rows).toBe(18);
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('classifier.param.maxIter').fill('200');
  await page.getByTestId('classifier.testFraction').fill('0.34');
  await page.getByTestId('classifier.train').click();
  await expect(page.getByTestId('report.accuracy')).toBeVisible({ timeout: 60_000 });
  const accuracy = await page.getByTestId('report.accuracy').textContent();

  // .npy: magic, version 1.0, header dict, 64-byte aligned data, little-endian float32 equal to the vectors.
  const [npyDownload] = await downloads(page, 1, () => page.getByTestId('embed.exportNpy').click());
  expect(npyDownload.suggestedFilename()).toBe('pairscope-vectors.npy');
  const npy = await bytesOf(npyDownload);
  expect([...npy.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLength = npy.readUInt16LE(8);
  expect((10 + headerLength) % 64).toBe(0);
  const header = npy.subarray(10, 10 + headerLength).toString('latin1');
  expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(18, 64\), \} *\n$/);
  expect(npy.length).toBe(10 + headerLength + 18 * 64 * 4);
  const data = Array.from({ length: 18 * 64 }, (_, i) => npy.readFloatLE(10 + headerLength + 4 * i));
  expect(maxAbsDiff(data, vectors.data)).toBe(0);

  // Projector: vectors.tsv (18 rows × 64 numbers) and metadata.tsv (header + 18 rows, with the prediction).
  const projector = await downloads(page, 2, () => page.getByTestId('embed.exportProjector').click());
  const byName = new Map(projector.map((d) => [d.suggestedFilename(), d]));
  const vectorsTsv = (await bytesOf(byName.get('vectors.tsv') as Download))
    .toString('utf8')
    .trimEnd()
    .split('\n');
  expect(vectorsTsv).toHaveLength(18);
  expect(vectorsTsv.every((line) => line.split('\t').length === 64)).toBe(true);
  expect(Number(vectorsTsv[3].split('\t')[5])).toBeCloseTo(vectors.data[3 * 64 + 5], 6);
  const metadata = (await bytesOf(byName.get('metadata.tsv') as Download))
    .toString('utf8')
    .trimEnd()
    .split('\n');
  expect(metadata[0]).toBe('pair_id\tpremise\thypothesis\tlabel\tprediction');
  expect(metadata).toHaveLength(19);
  expect(metadata[1].split('\t')).toHaveLength(5);

  // Classifier JSON.
  const [classifier] = await downloads(page, 1, () => page.getByTestId('classifier.export').click());
  const model = JSON.parse((await bytesOf(classifier)).toString('utf8')) as Record<string, unknown>;
  expect(model).toMatchObject({ kind: 'logreg' });

  // Session file: save, clear, open → the same pairs, vectors, map and report.
  const [session] = await downloads(page, 1, () => page.getByTestId('session.save').click());
  const sessionPath = await session.path();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('session.new').click();
  await expect(page.getByTestId('pairs.summary')).toContainText('0 pairs');
  await page.getByTestId('session.file').setInputFiles({
    name: session.suggestedFilename(),
    mimeType: 'application/json',
    buffer: readFileSync(sessionPath),
  });
  await expect(page.getByTestId('app.notice')).toContainText('opened');
  await expect(page.getByTestId('pairs.summary')).toContainText('18 pairs');
  await expect(page.getByTestId('embed.origin')).toContainText('from pairscope-session.json');
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '18');
  await expect(page.getByTestId('report.accuracy')).toHaveText(accuracy ?? '');
  const restored = await app.vectors();
  expect(maxAbsDiff(restored?.data ?? [], vectors.data)).toBe(0);

  // Vectors made elsewhere: the .npy back in works; a file with the wrong row count is refused clearly.
  await page.getByTestId('embed.vectorsFile').setInputFiles({
    name: 'mine.npy',
    mimeType: 'application/octet-stream',
    buffer: npy,
  });
  await expect(page.getByTestId('embed.origin')).toContainText('mine.npy (18 × 64)');
  const imported = await app.vectors();
  expect(maxAbsDiff(imported?.data ?? [], vectors.data)).toBe(0);
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('embed.vectorsFile').setInputFiles({
    name: 'short.tsv',
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from(vectorsTsv.slice(0, 17).join('\n')),
  });
  await expect(page.getByTestId('app.notice')).toContainText(
    'short.tsv: the file has 17 vectors but there are 18 pairs: vectors must be one per pair, in pair order.',
  );
  expect(app.errors).toEqual([]);
});
