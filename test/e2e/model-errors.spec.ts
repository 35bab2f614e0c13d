/**
 * Each way a model can fail to load gives its own clear message, and the app stays usable. The Hub is
 * simulated with page.route (this machine has no internet): 404 for an unknown id, an aborted request for
 * "no network". Picked folders are made in a temporary directory from the shared model's files.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { sharedPath } from '../shared-dir';

function modelFolder(name: string, options: { onnx: boolean; modelType?: string }): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pairscope-e2e-')), name);
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const source = sharedPath('models', 'tiny-random-bert');
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'config.json']) {
    copyFileSync(path.join(source, file), path.join(dir, file));
  }
  if (options.modelType) {
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ model_type: options.modelType, n_layer: 2 }),
    );
  }
  if (options.onnx)
    copyFileSync(path.join(source, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model.onnx'));
  return dir;
}

test('a Hub id that does not exist says so', async ({ app, page }) => {
  app.allowedOffOrigin.push('https://huggingface.co/');
  await page
    .context()
    .route('https://huggingface.co/**', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await app.open();
  await page.getByTestId('model.source.hub').check();
  await page.getByTestId('model.hubId').fill('nobody/no-such-model');
  await page.getByTestId('model.device').selectOption('wasm');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText(
    'No public model "nobody/no-such-model" on the Hugging Face Hub',
  );
  await expect(page.getByTestId('model.error')).toContainText('HTTP 404');
});

test('no network says it could not reach the Hub', async ({ app, page }) => {
  app.allowedOffOrigin.push('https://huggingface.co/');
  await page.context().route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await app.open();
  await page.getByTestId('model.source.hub').check();
  await page.getByTestId('model.hubId').fill('Xenova/bert-base-uncased');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText(
    'Could not reach https://huggingface.co/Xenova/bert-base-uncased/resolve/main/config.json',
  );
});

test('a picked folder loads and embeds; one without an ONNX file or not a BERT says so', async ({
  app,
  page,
}) => {
  await app.open();
  await page.getByTestId('model.source.files').check();
  await page.getByTestId('model.device').selectOption('wasm');

  await page.getByTestId('model.files').setInputFiles(modelFolder('no-onnx', { onnx: false }));
  await expect(page.getByTestId('model.dropzone')).toContainText('no-onnx: 3 files');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText(
    'Model file onnx/model.onnx is not in the picked folder "no-onnx"',
  );

  await page.getByTestId('model.files').setInputFiles(modelFolder('gpt', { onnx: true, modelType: 'gpt2' }));
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText('is a "gpt2" model, not a BERT-family encoder');

  await page.getByTestId('model.files').setInputFiles(modelFolder('my-bert', { onnx: true }));
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.label')).toHaveText('my-bert (picked folder)');
  await app.pastePairs([['A man is playing a guitar.', 'Someone is making music.']]);
  await app.embed();
  await expect(page.getByTestId('embed.dim')).toHaveText('64');
  expect(app.errors).toEqual([]);
});
