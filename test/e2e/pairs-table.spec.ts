/**
 * The pairs table: 100,000 generated pairs stay responsive (only the rows in view are in the DOM), sort by a
 * column, filter by text, label and duplicates; after training, prediction columns and "wrong only".
 */
import { expect, test } from './fixtures';
import { nliRows } from '../data';

const N = 100_000;
/** Pairs whose premise holds the rare word (every 1000th pair, from pair 500 on). */
const RARE = 'zeppelin';
/** Pair DUPLICATE repeats pair 0's premise and hypothesis (with another label). */
const DUPLICATE = 99_990;

/** Seeded generator (LCG): the same pairs on every run. */
function generatePairs(n: number): string[][] {
  let state = 20_240_601;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const subjects = [
    'A man',
    'A woman',
    'The child',
    'Two dogs',
    'An old fisherman',
    'A cyclist',
    'Three girls',
  ];
  const verbs = ['is playing', 'watches', 'repairs', 'paints', 'is sleeping near', 'carries', 'sells'];
  const objects = [
    'a guitar',
    'the street',
    'a red bicycle',
    'three apples',
    'the old piano',
    'a small boat',
  ];
  const places = ['in the park', 'at night', 'by the river', 'downtown', 'in the rain', 'on a bridge'];
  const labels = ['entailment', 'neutral', 'contradiction', ''];
  const pick = (words: string[]) => words[Math.floor(random() * words.length)];
  const sentence = () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(places)}.`;
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const premise =
      i % 1000 === 500 ? `A ${RARE} flies over ${pick(places)}.` : `${sentence()} ${sentence()}`;
    const label = pick(labels);
    rows.push(label ? [premise, sentence(), label] : [premise, sentence()]);
  }
  rows[DUPLICATE] = [rows[0][0], rows[0][1], 'neutral'];
  rows[n - 1] = [
    'The last premise of the hundred thousand, long enough to be cut off by the column.',
    'The end.',
  ];
  return rows;
}

/** Index of the first pair under a stable sort of `values` (ascending, or descending). */
function firstAfterSort(values: string[], direction: 'asc' | 'desc'): number {
  const collator = new Intl.Collator();
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const c = collator.compare(values[i], values[best]);
    if (direction === 'asc' ? c < 0 : c > 0) best = i;
  }
  return best;
}

test('100,000 pairs: virtualised rows, scrolling, sorting and filters', async ({ app, page }) => {
  const rows = generatePairs(N);
  const count = page.getByTestId('pairs.table.count');
  const table = page.getByTestId('pairs.table');
  const tableRows = page.getByTestId('pairs.table.row');

  await app.open();
  const pasted = Date.now();
  await app.pastePairs(rows);
  await expect(count).toHaveText(`${N} of ${N} pairs`);
  console.log(`pairs table: 100k pairs pasted and listed in ${Date.now() - pasted} ms`);

  // Virtualised: a screenful of rows (plus overscan), not 100k.
  const rendered = await tableRows.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(200);
  await expect(tableRows.first()).toHaveAttribute('data-index', '0');

  // Scroll to the end: the last pair is there, truncated on screen with its full text in the title.
  await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const last = page.locator(`[data-testid="pairs.table.row"][data-index="${N - 1}"]`);
  await expect(last).toBeVisible();
  await expect(last).toContainText('The last premise of the hundred thousand');
  await expect(last.getByRole('cell').nth(1)).toHaveAttribute('title', rows[N - 1][0]);
  expect(await tableRows.count()).toBeLessThan(200);

  // Sort by hypothesis: ascending, then descending; the view returns to the top.
  const hypotheses = rows.map((r) => r[1]);
  const header = page.getByRole('columnheader', { name: 'hypothesis' });
  await expect(header).toHaveAttribute('aria-sort', 'none');
  const sorted = Date.now();
  await page.getByTestId('pairs.table.sort.hypothesis').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(tableRows.first()).toHaveAttribute('data-index', String(firstAfterSort(hypotheses, 'asc')));
  console.log(`pairs table: sorted 100k pairs by hypothesis in ${Date.now() - sorted} ms (click to DOM)`);
  await page.getByTestId('pairs.table.sort.hypothesis').press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(tableRows.first()).toHaveAttribute('data-index', String(firstAfterSort(hypotheses, 'desc')));

  // Premises are nearly all distinct: the slowest column to sort the first time.
  const premiseSorted = Date.now();
  await page.getByTestId('pairs.table.sort.premise').click();
  await expect(tableRows.first()).toHaveAttribute(
    'data-index',
    String(
      firstAfterSort(
        rows.map((r) => r[0]),
        'asc',
      ),
    ),
  );
  console.log(`pairs table: sorted 100k pairs by premise in ${Date.now() - premiseSorted} ms (click to DOM)`);
  await expect(header).toHaveAttribute('aria-sort', 'none');

  // Filter by text: every 1000th pair holds the rare word, whatever the case typed.
  await page.getByTestId('pairs.table.filter').fill(RARE.toUpperCase());
  await expect(count).toHaveText(`${N / 1000} of ${N} pairs`);
  await expect(tableRows.first()).toContainText(RARE);
  await page.getByTestId('pairs.table.filter').fill('');
  await expect(count).toHaveText(`${N} of ${N} pairs`);

  // Filter by label, and the unlabelled pairs.
  const neutral = rows.filter((r) => r[2] === 'neutral').length;
  const unlabelled = rows.filter((r) => r.length === 2).length;
  await page.getByTestId('pairs.table.label').selectOption('label:neutral');
  await expect(count).toHaveText(`${neutral} of ${N} pairs`);
  await expect(tableRows.first().getByRole('cell').nth(3)).toHaveText('neutral');
  await page.getByTestId('pairs.table.label').selectOption('unlabelled');
  await expect(count).toHaveText(`${unlabelled} of ${N} pairs`);
  await page.getByTestId('pairs.table.label').selectOption('all');

  // The planted duplicate and its original.
  await page.getByTestId('pairs.table.duplicatesOnly').check();
  await expect(count).toHaveText(`2 of ${N} pairs`);
  await expect(tableRows).toHaveCount(2);
  await expect(page.getByTestId('pairs.table.duplicate')).toHaveCount(2);
  expect(app.errors).toEqual([]);
});

test('after training: prediction columns, wrong predictions only, gone when the pairs change', async ({
  app,
  page,
}) => {
  const rows = nliRows('snli', 'validation.jsonl', 40);
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await app.pastePairs(rows);
  await app.embed();
  await expect(page.getByTestId('pairs.table.sort.prediction')).toHaveCount(0);
  await page.getByTestId('classifier.train').click();
  await expect(page.getByTestId('report.text')).toBeVisible();

  await expect(page.getByTestId('pairs.table.sort.prediction')).toBeVisible();
  const tableRows = page.getByTestId('pairs.table.row');
  await page.getByTestId('pairs.table.sort.probability').click();
  await page.getByTestId('pairs.table.sort.probability').click();
  await expect(page.getByRole('columnheader', { name: 'probability' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const probabilities = (await tableRows.locator('.col-probability').allTextContents()).map(Number);
  expect(probabilities.length).toBeGreaterThan(5);
  expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);

  // Wrong only: each row's prediction differs from its gold label; the count matches the checkbox.
  const wrongLabel = (await page.getByTestId('pairs.table.wrongOnly').locator('..').textContent()) ?? '';
  const wrong = Number(/\((\d+)\)/.exec(wrongLabel)![1]);
  await page.getByTestId('pairs.table.wrongOnly').check();
  await expect(page.getByTestId('pairs.table.count')).toHaveText(`${wrong} of ${rows.length} pairs`);
  for (const row of await tableRows.all()) {
    const gold = await row.locator('.col-label').textContent();
    const predicted = await row.locator('.col-prediction').textContent();
    expect(gold).not.toBe('');
    expect(predicted).not.toBe(gold);
  }

  // Editing the pairs makes the predictions stale: their columns and the filter go away.
  await app.pastePairs([...rows, ['A new premise.', 'A new hypothesis.']]);
  await expect(page.getByTestId('pairs.table.count')).toHaveText(
    `${rows.length + 1} of ${rows.length + 1} pairs`,
  );
  await expect(page.getByTestId('pairs.table.sort.prediction')).toHaveCount(0);
  await expect(page.getByTestId('pairs.table.wrongOnly')).toHaveCount(0);
  expect(app.errors).toEqual([]);
});
