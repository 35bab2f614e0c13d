/**
 * User text is data, never markup: hostile pairs go through every place the app shows text (pairs summary,
 * truncated list, map tooltip and detail, report, predictions, pairs table, import preview) and nothing runs or
 * gets injected.
 */
import { expect, test } from './fixtures';

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '<a href="javascript:window.__xss=3">click</a>',
  '"><svg onload="window.__xss=4">',
];

test('hostile text is shown as text everywhere and never runs', async ({ app, page }) => {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  const rows = PAYLOADS.flatMap((payload, i) => [
    [payload, `A plain hypothesis ${i}.`, 'entailment'],
    [`A plain premise ${i}.`, payload, 'contradiction'],
    [`Another premise ${i} ${payload}`, `Another hypothesis ${i}`, 'neutral'],
  ]);
  await app.pastePairs(rows);
  await app.embed();
  await page.getByTestId('classifier.kind').selectOption('logreg');
  await page.getByTestId('classifier.testFraction').fill('0.34');
  await page.getByTestId('classifier.train').click();
  await expect(page.getByTestId('report.text')).toBeVisible();
  await page.getByTestId('predictions.filter').selectOption('all');
  await expect(page.getByTestId('predictions.table')).toContainText(PAYLOADS[0]);
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible();
  await page.getByTestId('map.search').fill('onerror');
  await expect(page.getByTestId('map.searchCount')).toHaveText('3 matching');

  // Hover across the map until a tooltip shows, then click that point for the detail panel.
  const canvas = page.getByTestId('map.canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  let hit: { x: number; y: number } | null = null;
  for (let y = 6; y < box.height && !hit; y += 6) {
    for (let x = 6; x < box.width && !hit; x += 6) {
      await page.mouse.move(box.x + x, box.y + y);
      if ((await page.getByTestId('map.tooltip').count()) > 0) hit = { x, y };
    }
  }
  expect(hit).not.toBeNull();
  await page.mouse.click(box.x + hit!.x, box.y + hit!.y);
  await expect(page.getByTestId('map.neighbours').locator('li')).toHaveCount(8);
  await expect(page.getByTestId('map.neighbours')).toContainText('<');

  // The pairs table (virtualised rows, titles with the full text) shows the payloads as text too.
  await expect(page.getByTestId('pairs.table')).toContainText(PAYLOADS[1]);
  // And the import preview of a hostile CSV file, whose header and cells are payloads.
  const csv = `premise,hypothesis,"${PAYLOADS[0].replace(/"/g, '""')}"\n"${PAYLOADS[3].replace(/"/g, '""')}",b,c\n`;
  await page
    .getByTestId('pairs.file')
    .setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('pairs.changeFormat').click();
  await expect(page.getByTestId('pairs.preview')).toContainText(PAYLOADS[0]);
  await expect(page.getByTestId('pairs.preview')).toContainText(PAYLOADS[3]);

  const injected = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: number }).__xss ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: Array.from(document.scripts).filter((s) => s.textContent?.includes('__xss')).length,
    links: document.querySelectorAll('a[href^="javascript:"]').length,
    svgs: document.querySelectorAll('svg[onload]').length,
  }));
  expect(injected).toEqual({ xss: null, imgs: 0, scripts: 0, links: 0, svgs: 0 });
  expect(dialogs).toBe(0);
  await expect(page.getByTestId('pairs.summary')).toContainText('1 pair');
  expect(app.errors.filter((e) => !e.includes('favicon'))).toEqual([]);
});
