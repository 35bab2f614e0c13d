/**
 * A worker crash in the middle of a long embedding (simulated from the test hook, as an out-of-memory crash
 * would end the worker): the app says what happened, keeps the finished chunks, restarts the worker, and
 * Resume finishes the job — with the same vectors a clean run gives.
 */
import { expect, maxAbsDiff, test } from './fixtures';

/** Distinct generated pairs (so the worker's text cache cannot make chunks instant). */
function generatedPairs(n: number): string[][] {
  const subjects = ['A dog', 'The child', 'A cyclist', 'Two women', 'An old man', 'The chef', 'A student'];
  const verbs = ['runs across', 'looks at', 'walks past', 'paints', 'carries', 'waits near', 'photographs'];
  const objects = ['the bridge', 'a red car', 'the market', 'a small boat', 'the station', 'an empty field'];
  return Array.from({ length: n }, (_, i) => {
    const s = subjects[i % subjects.length];
    const v = verbs[Math.floor(i / 7) % verbs.length];
    const o = objects[Math.floor(i / 49) % objects.length];
    return [
      `${s} ${v} ${o} number ${i}.`,
      `${s} is outside at hour ${i % 24}.`,
      i % 2 ? 'entailment' : 'neutral',
    ];
  });
}

test('a worker crash mid-embedding keeps the finished chunks and Resume completes the job', async ({
  app,
  page,
}) => {
  test.setTimeout(180_000);
  const total = 5000;
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await app.pastePairs(generatedPairs(total));
  await expect(page.getByTestId('pairs.summary')).toContainText(`${total} pairs`);
  await page.getByTestId('embed.run').click();
  // Wait until the first 2,000-pair chunk is done and the second is under way, then kill the worker.
  await page.waitForFunction(() => {
    const bar = document.querySelector<HTMLProgressElement>('[data-testid="embed.progress"] progress');
    return bar !== null && bar.value > 2100;
  });
  await page.evaluate(() => window.pairscope.killWorker());

  const error = page.getByTestId('embed.error');
  await expect(error).toContainText('The model worker was stopped.');
  await expect(error).toContainText('2000 of 5000 pairs were embedded before it stopped and are kept');
  await expect(page.getByTestId('embed.resume')).toHaveText('Resume from pair 2001 of 5000');
  // The pasted text and settings are untouched.
  await expect(page.getByTestId('pairs.summary')).toContainText(`${total} pairs`);

  await page.getByTestId('embed.resume').click();
  await expect(page.getByTestId('embed.rows')).toHaveText(String(total), { timeout: 120_000 });
  await expect(page.getByTestId('model.label')).toContainText('tiny-random-bert');
  const resumed = await app.vectors();
  expect(resumed?.rows).toBe(total);

  // A clean run over the same pairs gives the same vectors (the first chunk came from the kept copy).
  await page.getByTestId('embed.run').click();
  await expect(page.getByTestId('embed.progress')).toBeVisible();
  await expect(page.getByTestId('embed.rows')).toHaveText(String(total), { timeout: 120_000 });
  const clean = await app.vectors();
  expect(maxAbsDiff(resumed?.data ?? [], clean?.data ?? [])).toBeLessThan(1e-5);
  // The map and the classifier work on the resumed vectors.
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible({ timeout: 120_000 });
  expect(app.errors).toEqual([]);
});
