/**
 * Makes docs/screenshot.png for the README: the built app with the shared pairscope-mini-nli model, 300 SICK
 * pairs embedded with the origin preset, the map coloured by gold label and a logistic-regression report.
 * Run: npx tsx scripts/screenshot.ts (after `npm run build`; needs ../shared).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.env.PAIRSCOPE_SHARED_DIR ?? path.join(root, '..', 'shared'));

const rows = readFileSync(path.join(shared, 'data', 'sick', 'sick.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 300)
  .map((line) => {
    const r = JSON.parse(line) as { premise: string; hypothesis: string; label: string };
    return [r.premise, r.hypothesis, r.label].join('\t');
  })
  .join('\n');

const server = await preview({
  root,
  preview: { port: 4198, strictPort: true, host: '127.0.0.1' },
  logLevel: 'warn',
});
const browser = await chromium.launch({
  executablePath:
    process.env.PAIRSCOPE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto('http://127.0.0.1:4198/');
  await page.getByTestId('model.panel').and(page.locator(':not([data-server-models="loading"])')).waitFor();
  await page.getByTestId('model.source.server').check();
  await page.getByTestId('model.serverSelect').selectOption('pairscope-mini-nli');
  await page.getByTestId('model.device').selectOption('wasm');
  await page.getByTestId('model.load').click();
  await page.getByTestId('model.label').waitFor();
  await page.getByTestId('pairs.input').evaluate((el: HTMLTextAreaElement, value) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, rows);
  await page.getByTestId('embed.run').click();
  await page.getByTestId('embed.summary').waitFor();
  await page.getByTestId('classifier.train').click();
  await page.getByTestId('report.text').waitFor();
  await page.getByTestId('umap.run').click();
  await page.getByTestId('umap.summary').waitFor();
  await page.getByTestId('map.canvas').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(root, 'docs', 'screenshot.png'), fullPage: true });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  server.httpServer.close();
}
