/**
 * The session survives a reload: the pasted text, the settings, and what took long to compute — vectors, map
 * coordinates, classifier report — come back from IndexedDB, without loading the model. "New session" clears
 * it, also across a reload.
 */
import { nliRows } from '../data';
import { expect, maxAbsDiff, test } from './fixtures';

test('text, settings, vectors, map and classifier survive a reload; New session clears them', async ({
  app,
  page,
}) => {
  test.setTimeout(180_000);
  const rows = nliRows('snli', 'validation.jsonl', 120);
  await app.open();
  await app.loadLocalModel('pairscope-mini-nli');
  await app.pastePairs(rows);
  await app.choosePreset('bert-as-service');
  await app.embed();
  const before = await app.vectors();
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('classifier.train').click();
  await expect(page.getByTestId('report.accuracy')).toBeVisible({ timeout: 60_000 });
  const accuracy = await page.getByTestId('report.accuracy').textContent();
  // Saving is debounced and asynchronous: give it a moment before the reload.
  await page.waitForTimeout(1500);

  await page.reload();
  await expect(page.getByTestId('pairs.summary')).toContainText('120 pairs');
  await expect(page.getByTestId('recipe.preset')).toHaveValue('bert-as-service');
  await expect(page.getByTestId('embed.origin')).toContainText('saved in this browser');
  await expect(page.getByTestId('embed.rows')).toHaveText('120');
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '120');
  await expect(page.getByTestId('report.accuracy')).toHaveText(accuracy ?? '');
  const after = await app.vectors();
  expect(after?.dim).toBe(before?.dim);
  expect(maxAbsDiff(after?.data ?? [], before?.data ?? [])).toBe(0);
  // The restored vectors are live in the worker: the map and the classifier run again without the model.
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('classifier.train').click();
  await expect(page.getByTestId('report.accuracy')).toHaveText(accuracy ?? '');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('session.new').click();
  await expect(page.getByTestId('pairs.summary')).toContainText('0 pairs');
  await expect(page.getByTestId('embed.summary')).toHaveCount(0);
  await page.waitForTimeout(800);
  await page.reload();
  await expect(page.getByTestId('model.panel')).not.toHaveAttribute('data-server-models', 'loading');
  await expect(page.getByTestId('pairs.summary')).toContainText('0 pairs');
  await expect(page.getByTestId('embed.summary')).toHaveCount(0);
  expect(app.errors).toEqual([]);
});
