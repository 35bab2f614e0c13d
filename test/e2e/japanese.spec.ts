/**
 * The origin's Japanese BERT path: a BertJapaneseTokenizer model from a local folder (tiny-random-bert-ja:
 * random weights, the real cl-tohoku vocabulary) tokenised in the worker with the IPADIC dictionary from the
 * app's own assets, embedded through the origin preset. The ids the model was fed must equal the Python
 * reference (MeCab + IPADIC + WordPiece) for the seed's `premise[SEP]hypothesis` single text, and for the
 * standard pair layout.
 *
 * The origin recipe feeds what `tokenize(premise + "[SEP]" + hypothesis)` gives — no [CLS], no final [SEP]
 * (shared/data/reference/README.md, whose SICK probe the app reproduces) — while the fixture's
 * `seed_joined_input_ids` is `encode()` of the same string, which adds [CLS] … [SEP] around it. So the origin
 * ids are compared with the fixture without its first and last id, and those two are checked to be [CLS]/[SEP].
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { jaReferenceRecords, type JaReferenceRecord } from '../data';
import { sharedPath } from '../shared-dir';
import { expect, test } from './fixtures';

type PairRecord = Extract<JaReferenceRecord, { type: 'pair' }>;

const jnliPairs = (): PairRecord[] =>
  jaReferenceRecords()
    .filter((r): r is PairRecord => r.type === 'pair' && r.source === 'jnli')
    .slice(0, 6);

test('a Japanese BERT embeds JNLI pairs with the same input ids as Python (origin preset)', async ({
  app,
}) => {
  const pairs = jnliPairs();
  expect(pairs).toHaveLength(6);
  await app.open();
  await app.loadLocalModel('tiny-random-bert-ja');
  await expect(app.page.getByTestId('model.tokenizer')).toContainText('BertJapaneseTokenizer');
  await app.pastePairs(pairs.map((p) => [p.premise, p.hypothesis]));
  await app.choosePreset('origin');
  await app.embed();
  const vectors = await app.vectors();
  expect(vectors?.rows).toBe(pairs.length);
  expect(vectors?.dim).toBe(64);
  for (const [i, pair] of pairs.entries()) {
    const inputs = await app.pairInputs(i);
    expect(inputs?.sequences).toHaveLength(1);
    const reference = pair.seed_joined_input_ids;
    expect([reference[0], reference[reference.length - 1]]).toEqual([2, 3]);
    expect(inputs?.sequences[0].ids, `pair ${pair.id}`).toEqual(reference.slice(1, -1));
    expect(inputs?.sequences[0].typeIds).toEqual(pair.seed_joined_token_type_ids.slice(1, -1));
    // The literal "[SEP]" between the sentences became the special token, once.
    expect(inputs?.sequences[0].tokens.filter((t) => t === '[SEP]')).toEqual(['[SEP]']);
  }
  expect(app.errors).toEqual([]);
});

test('the standard pair layout gives [CLS] A [SEP] B [SEP] ids and token types as in Python', async ({
  app,
}) => {
  const pairs = jnliPairs().slice(0, 3);
  await app.open();
  await app.loadLocalModel('tiny-random-bert-ja');
  await app.pastePairs(pairs.map((p) => [p.premise, p.hypothesis]));
  await app.choosePreset('bert-as-service');
  await app.page.getByTestId('recipe.maxLength').fill('');
  await app.embed();
  for (const [i, pair] of pairs.entries()) {
    const inputs = await app.pairInputs(i);
    expect(inputs?.sequences[0].ids, `pair ${pair.id}`).toEqual(pair.input_ids);
    expect(inputs?.sequences[0].typeIds).toEqual(pair.token_type_ids);
  }
  expect(app.errors).toEqual([]);
});

/** Serves a simulated Hub repository from files of a local model folder; anything else answers 404. */
async function simulateHub(page: Page, repo: string, files: Record<string, string>): Promise<void> {
  await page.context().route('https://huggingface.co/**', (route) => {
    const prefix = `https://huggingface.co/${repo}/resolve/main/`;
    const url = route.request().url();
    const file = url.startsWith(prefix) ? files[url.slice(prefix.length)] : undefined;
    return file === undefined
      ? route.fulfill({ status: 404, body: 'Entry not found' })
      : route.fulfill({ status: 200, body: file });
  });
}

const jaFile = (name: string) => readFileSync(sharedPath('models', 'tiny-random-bert-ja', name), 'utf8');

test('the origin preset picks the cl-tohoku model and the origin recipe; without ONNX files it says how to export', async ({
  app,
  page,
}) => {
  const repo = 'cl-tohoku/bert-base-japanese-whole-word-masking';
  app.allowedOffOrigin.push('https://huggingface.co/');
  // As on the Hub: config, tokenizer config and vocab, but PyTorch weights only.
  await simulateHub(page, repo, {
    'config.json': jaFile('config.json'),
    'tokenizer_config.json': jaFile('tokenizer_config.json'),
    'vocab.txt': jaFile('vocab.txt'),
  });
  await app.open();
  await app.choosePreset('sbert-nli');
  await page.getByTestId('model.source.hub').check();
  await page.getByTestId('model.hubPreset').selectOption(repo);
  await expect(page.getByTestId('model.hubId')).toHaveValue(repo);
  await expect(page.getByTestId('recipe.preset')).toHaveValue('origin');
  await page.getByTestId('model.device').selectOption('wasm');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText('onnx/model');
  await expect(page.getByTestId('model.error')).toContainText('no ONNX export');
  await expect(page.getByTestId('model.error')).toContainText('Japanese models');
});

test('a Japanese model with another dictionary (unidic, as cl-tohoku v3) is refused by name', async ({
  app,
  page,
}) => {
  const repo = 'someone/bert-japanese-unidic';
  app.allowedOffOrigin.push('https://huggingface.co/');
  const config = JSON.parse(jaFile('tokenizer_config.json')) as Record<string, unknown>;
  await simulateHub(page, repo, {
    'config.json': jaFile('config.json'),
    'tokenizer_config.json': JSON.stringify({ ...config, mecab_kwargs: { mecab_dic: 'unidic_lite' } }),
  });
  await app.open();
  await page.getByTestId('model.source.hub').check();
  await page.getByTestId('model.hubId').fill(repo);
  await page.getByTestId('model.device').selectOption('wasm');
  await page.getByTestId('model.load').click();
  await expect(page.getByTestId('model.error')).toContainText('MeCab dictionary "unidic_lite"');
  await expect(page.getByTestId('model.error')).toContainText('does not support');
  expect(app.errors).toEqual([]);
});

test('the built-in Japanese sample embeds in one click with the Japanese model', async ({ app, page }) => {
  await app.open();
  await app.loadLocalModel('tiny-random-bert-ja');
  await page.getByTestId('pairs.sampleJa').click();
  await expect(page.getByTestId('pairs.summary')).toContainText('12 pairs, 12 labelled');
  await app.embed();
  await expect(page.getByTestId('embed.rows')).toHaveText('12');
  const inputs = await app.pairInputs(0);
  // No [UNK]: every word of the sample is in the cl-tohoku vocabulary.
  expect(inputs?.sequences[0].tokens).not.toContain('[UNK]');
  expect(app.errors).toEqual([]);
});
