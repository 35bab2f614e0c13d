/**
 * The foundation end to end: the built app in Chromium, the real worker, real models from ../shared/models.
 */
import { expect, maxAbsDiff, modelReference, test } from './fixtures';

const tiny = modelReference('tiny-random-bert');

test('embeds the reference sentences and pairs on WASM and matches the reference', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert');
  await expect(page.getByTestId('model.device.used')).toContainText('WASM, 2 threads');
  await expect(page.getByTestId('model.layers')).toContainText('0–2');

  // Five sentences as premises; sentence vectors u only, last layer, mean, normalised = the pipeline reference.
  await app.pastePairs(tiny.sentences.map((s) => [s, 'unused']));
  await expect(page.getByTestId('pairs.summary')).toContainText('5 pairs');
  await app.choosePreset('custom');
  await page.getByTestId('recipe.pairMode').selectOption('separate');
  await page.getByTestId('recipe.layers').fill('-1');
  await page.getByTestId('recipe.pooling').selectOption('mean');
  await page.getByTestId('recipe.normalize').check();
  await page.getByTestId('recipe.part.u').check();
  await page.getByTestId('recipe.part.v').uncheck();
  await page.getByTestId('recipe.part.absDiff').uncheck();
  await app.embed();
  await expect(page.getByTestId('embed.rows')).toHaveText('5');
  await expect(page.getByTestId('embed.dim')).toHaveText('64');
  const sentences = await app.vectors();
  expect(maxAbsDiff(sentences!.data, tiny.pooled.data)).toBeLessThan(1e-4);

  // The two reference pairs in standard pair mode: ids and token types equal the reference tokenizer's.
  await app.pastePairs(tiny.pairs);
  await page.getByTestId('recipe.pairMode').selectOption('standard');
  await app.embed();
  const [, length] = tiny.pair_input_ids.dims as [number, number];
  for (let i = 0; i < 2; i++) {
    const inputs = await app.pairInputs(i);
    const ids = tiny.pair_input_ids.data.slice(i * length, (i + 1) * length).filter((id) => id !== 0);
    expect(inputs!.sequences[0].ids).toEqual(ids);
    expect(inputs!.sequences[0].typeIds).toEqual(
      tiny.pair_token_type_ids.data.slice(i * length, i * length + ids.length),
    );
  }
  expect(app.errors).toEqual([]);
});

test('pairscope-mini-nli: the seed-recipe vector equals the torch reference', async ({ app, page }) => {
  const ref = modelReference('pairscope-mini-nli');
  await app.open();
  await app.loadLocalModel('pairscope-mini-nli');
  await app.pastePairs(ref.pairs);
  await app.choosePreset('custom');
  await page.getByTestId('recipe.pairMode').selectOption('standard');
  await page.getByTestId('recipe.layers').fill('-2');
  await app.embed();
  const vectors = await app.vectors();
  expect(vectors!.dim).toBe(128);
  expect(maxAbsDiff(vectors!.data, ref.pair_pooled_mean_layer_minus2!.data)).toBeLessThan(1e-4);
});

test('cancel stops an embedding within a second and the app embeds again', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('pairscope-mini-nli');
  const rows = Array.from({ length: 3000 }, (_, i) => [
    `Sentence ${i} says that ${'the quick brown fox jumps over the lazy dog '.repeat(1 + (i % 5))}`,
    `Hypothesis ${i}`,
  ]);
  await app.pastePairs(rows);
  await page.getByTestId('embed.run').click();
  await expect(page.getByTestId('embed.progress')).toContainText('Embedding');
  const started = Date.now();
  await page.getByTestId('embed.cancel').click();
  await expect(page.getByTestId('app.notice')).toHaveText('Embedding cancelled.', { timeout: 1500 });
  expect(Date.now() - started).toBeLessThan(1500);
  await app.pastePairs(rows.slice(0, 4));
  await app.embed();
  await expect(page.getByTestId('embed.rows')).toHaveText('4');
});

test('a missing model file names the file and the URL', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('model.source.server').check();
  await page.getByTestId('model.serverSelect').selectOption('tiny-random-bert');
  // tiny-random-bert has no q8 file: the option is marked, and forcing it gives the clear message.
  await expect(page.getByTestId('model.dtype').locator('option[value="q8"]')).toHaveText(/no file/);
  await page.getByTestId('model.dtype').evaluate((select: HTMLSelectElement) => {
    select.querySelector('option[value="q8"]')!.removeAttribute('disabled');
  });
  await page.getByTestId('model.dtype').selectOption('q8');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText('onnx/model_quantized.onnx');
  await expect(page.getByTestId('model.error')).toContainText(
    '/models/tiny-random-bert/onnx/model_quantized.onnx',
  );
  await expect(page.getByTestId('model.error')).toContainText('HTTP 404');
  // The app stays usable: the right dtype loads.
  await page.getByTestId('model.dtype').selectOption('fp32');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.label')).toContainText('tiny-random-bert');
  expect(app.errors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('@webgpu embeds on the WebGPU software adapter and matches the reference', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert', { device: 'webgpu' });
  await expect(page.getByTestId('model.device.used')).toContainText('WebGPU');
  await app.pastePairs(tiny.sentences.slice(0, 2).map((s) => [s, 'unused']));
  await app.choosePreset('custom');
  await page.getByTestId('recipe.pairMode').selectOption('separate');
  await page.getByTestId('recipe.layers').fill('-1');
  await page.getByTestId('recipe.normalize').check();
  await page.getByTestId('recipe.part.u').check();
  await page.getByTestId('recipe.part.v').uncheck();
  await page.getByTestId('recipe.part.absDiff').uncheck();
  await app.embed();
  const vectors = await app.vectors();
  expect(maxAbsDiff(vectors!.data, tiny.pooled.data.slice(0, 128))).toBeLessThan(1e-4);
});
