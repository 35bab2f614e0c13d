/**
 * The map end to end: 300 SICK pairs embedded by pairscope-mini-nli, projected by UMAP in the worker, drawn
 * on the canvas; hover, neighbours, determinism, cancel, and the too-few-points message.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { PairscopePage } from './fixtures';
import { nliRows } from '../data';

const sickRows = (n: number): string[][] => nliRows('sick', 'sick.jsonl', n);

/** Downloads the coordinates CSV and returns [x, y] per row (the last two columns). */
async function exportedCoordinates(page: Page): Promise<{ text: string; points: [number, number][] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('map.exportCsv').click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const points = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const cells = line.split(',');
      return [Number(cells.at(-2)), Number(cells.at(-1))] as [number, number];
    });
  return { text, points };
}

async function project(app: PairscopePage, seed: number): Promise<void> {
  await app.page.getByTestId('umap.seed').fill(String(seed));
  await app.page.getByTestId('umap.run').click();
  await expect(app.page.getByTestId('umap.summary')).toBeVisible();
}

test('300 SICK pairs: drawn, hover text, neighbours, same seed same map', async ({ app, page }) => {
  const rows = sickRows(300);
  await app.open();
  await app.loadLocalModel('pairscope-mini-nli');
  await app.pastePairs(rows);
  await app.embed();
  await project(app, 7);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '300');
  await expect(page.getByTestId('umap.summary')).toContainText('300 points, 15 neighbours');
  await expect(page.getByTestId('map.legend')).toContainText('neutral');

  const first = await exportedCoordinates(page);
  expect(first.points).toHaveLength(300);

  // Screen position of a point, with the canvas's fit: 16 px margin, uniform scale, centred, y up.
  const canvas = page.getByTestId('map.canvas');
  await canvas.scrollIntoViewIfNeeded();
  const boxOnPage = (await canvas.boundingBox())!;
  const xs = first.points.map((p) => p[0]);
  const ys = first.points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const s = Math.min((boxOnPage.width - 32) / (maxX - minX), (boxOnPage.height - 32) / (maxY - minY));
  const ox = 16 + (boxOnPage.width - 32 - (maxX - minX) * s) / 2;
  const oy = 16 + (boxOnPage.height - 32 - (maxY - minY) * s) / 2;
  const screen = ([x, y]: [number, number]) => ({
    x: ox + (x - minX) * s,
    y: boxOnPage.height - (oy + (y - minY) * s),
  });
  // The most isolated point on screen, so the hover is unambiguous.
  const onScreen = first.points.map(screen);
  let target = 0;
  let bestGap = -1;
  onScreen.forEach((p, i) => {
    const gap = Math.min(...onScreen.map((q, j) => (i === j ? Infinity : Math.hypot(p.x - q.x, p.y - q.y))));
    if (gap > bestGap) {
      bestGap = gap;
      target = i;
    }
  });
  const at = onScreen[target];
  await page.mouse.move(boxOnPage.x + at.x, boxOnPage.y + at.y);
  await expect(page.getByTestId('map.tooltip')).toContainText(rows[target][0]);
  await expect(page.getByTestId('map.tooltip')).toContainText(rows[target][1]);

  // Click: neighbours in the full embedding space equal a cosine kNN computed here from the exported vectors.
  await page.mouse.click(boxOnPage.x + at.x, boxOnPage.y + at.y);
  await expect(page.getByTestId('map.detail')).toContainText(rows[target][0]);
  const vectors = (await app.vectors())!;
  const row = (i: number) => vectors.data.slice(i * vectors.dim, (i + 1) * vectors.dim);
  const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  const q = row(target);
  const expected = Array.from({ length: vectors.rows }, (_, i) => i)
    .filter((i) => i !== target)
    .map((i) => {
      const v = row(i);
      const dot = v.reduce((a, b, d) => a + b * q[d], 0);
      return { i, distance: 1 - dot / (norm(v) * norm(q)) };
    })
    .sort((a, b) => a.distance - b.distance || a.i - b.i)
    .slice(0, 8)
    .map((n) => String(n.i));
  const shown = await page
    .getByTestId('map.neighbours')
    .locator('li')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-index')));
  expect(shown).toEqual(expected);

  // Determinism: the same seed gives the same CSV; another seed does not.
  await project(app, 7);
  expect((await exportedCoordinates(page)).text).toBe(first.text);
  await project(app, 8);
  expect((await exportedCoordinates(page)).text).not.toBe(first.text);

  // The umap-js engine (the reference) draws the same points from the same neighbours, laid out its way.
  await page.getByTestId('umap.engine').selectOption('umap-js');
  await project(app, 7);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '300');
  const reference = await exportedCoordinates(page);
  expect(reference.points).toHaveLength(300);
  expect(reference.points.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
  expect(reference.text).not.toBe(first.text);
  expect(app.errors).toEqual([]);
});

test('cancel in the middle of UMAP leaves the app usable; two pairs get a clear message', async ({
  app,
  page,
}) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await app.pastePairs(sickRows(400));
  await app.embed();
  await page.getByTestId('umap.nEpochs').fill('5000');
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.progress')).toContainText('epochs');
  await page.getByTestId('umap.cancel').click();
  await expect(page.getByTestId('umap.run')).toBeEnabled({ timeout: 3000 });
  await expect(page.getByTestId('umap.summary')).toHaveCount(0);
  await page.getByTestId('umap.nEpochs').fill('');
  await project(app, 1);
  await expect(page.getByTestId('map')).toHaveAttribute('data-points', '400');

  await app.pastePairs(sickRows(2));
  await app.embed();
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.error')).toContainText('UMAP needs at least 3 pairs');
});
