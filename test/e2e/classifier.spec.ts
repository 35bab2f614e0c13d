/**
 * Entailment predictions end to end: 600 SNLI validation pairs embedded with the origin preset on
 * pairscope-mini-nli, a logistic regression trained in the worker on a seeded 70/30 split, and the
 * layer-wise probe. That model saw this file in its own training, so this checks the pipeline, not
 * generalisation (majority class ≈ 0.35–0.44; a working pipeline ≈ 0.60–0.70).
 */
import { expect, test } from './fixtures';
import { nliRows } from '../data';

const snliRows = (n: number): string[][] => nliRows('snli', 'validation.jsonl', n);

test('origin preset on 600 SNLI pairs: report, confusion matrix and layer probe', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('pairscope-mini-nli');
  await app.pastePairs(snliRows(600));
  await expect(page.getByTestId('pairs.summary')).toContainText('600 pairs, 600 labelled');
  await app.choosePreset('origin');
  await app.embed();

  await expect(page.getByTestId('labels.mapping')).toContainText(
    'classes: entailment, neutral, contradiction',
  );
  await page.getByTestId('classifier.kind').selectOption('logreg');
  await page.getByTestId('classifier.testFraction').fill('0.3');
  await page.getByTestId('classifier.seed').fill('0');
  await page.getByTestId('classifier.train').click();
  const report = page.getByTestId('report.text');
  await expect(report).toBeVisible();
  const text = (await report.textContent()) ?? '';
  // scikit-learn's layout: header, one row per class, accuracy, macro avg, weighted avg.
  expect(text.split('\n')[0]).toMatch(/^\s+precision\s+recall\s+f1-score\s+support$/);
  for (const name of ['entailment', 'neutral', 'contradiction', 'accuracy', 'macro avg', 'weighted avg']) {
    expect(text).toContain(name);
  }
  const accuracy = Number(await page.getByTestId('report.accuracy').textContent());
  expect(accuracy).toBeGreaterThanOrEqual(0.5);
  const support = Number(/accuracy\s+[\d.]+\s+(\d+)/.exec(text)![1]);
  expect(support).toBe(180);
  await expect(page.getByTestId('report.confusion').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('report.origin')).toContainText('accuracy 0.641');

  // Predictions: a list sorted by confidence, and the map coloured by prediction and by correctness.
  await page.getByTestId('predictions.filter').selectOption('test');
  const confidences = (await page.getByTestId('predictions.confidence').allTextContents()).map(Number);
  expect(confidences).toHaveLength(180);
  expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  await page.getByTestId('umap.run').click();
  await expect(page.getByTestId('umap.summary')).toBeVisible();
  await page.getByTestId('map.colourBy').selectOption('predicted');
  const legend = await page.getByTestId('map.legend').locator('li').allTextContents();
  const predictedCounts = legend.map((t) => Number(/\((\d+)\)/.exec(t)![1]));
  expect(predictedCounts.reduce((a, b) => a + b, 0)).toBe(600);
  expect(legend.join(' ')).not.toContain('none');
  await page.getByTestId('map.colourBy').selectOption('correct');
  await expect(page.getByTestId('map.legend')).toContainText('correct');
  await expect(page.getByTestId('map.legend')).toContainText('wrong');

  await page.getByTestId('probe.run').click();
  await expect(page.getByTestId('probe.table').locator('tbody tr')).toHaveCount(5);
  // One dot per layer for each of the two lines.
  await expect(page.getByTestId('probe.chart').locator('.recharts-line-dot')).toHaveCount(10);
  expect(app.errors).toEqual([]);
});

test('digit labels: the mapping is shown and can be changed', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await app.pastePairs(
    snliRows(12).map(([p, h, label]) => [
      p,
      h,
      String(['entailment', 'neutral', 'contradiction'].indexOf(label)),
    ]),
  );
  await app.embed();
  await expect(page.getByTestId('labels.mapping')).toContainText('0 → entailment');
  await page.getByTestId('labels.numericOrder').selectOption('contradiction,neutral,entailment');
  await expect(page.getByTestId('labels.mapping')).toContainText('0 → contradiction');
  await expect(page.getByTestId('labels.mapping')).toContainText('2 → entailment');
});

test('a training set with one class gets a clear message', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await app.pastePairs(
    snliRows(30)
      .filter((r) => r[2] === 'entailment')
      .map(([p, h]) => [p, h, 'entailment'])
      .concat([['A new pair.', 'Not labelled.']]),
  );
  await app.embed();
  await expect(page.getByTestId('classifier.train')).toBeDisabled();
  await expect(page.getByText('Give gold labels of at least two classes')).toBeVisible();
});
