/**
 * `npm run bench`: where the time goes, side by side in one run. Never a test; nothing here asserts a time.
 *
 * Models (`--models`): `pairscope-mini-nli` (../shared/models, 4 layers, hidden 128) and `minilm-random`, a
 * MiniLM-sized BERT (6 layers, hidden 384, 12 heads, intermediate 1536) with seeded RANDOM weights that
 * bench/random-bert.ts writes into bench/.models/ on first use (its vectors mean nothing; its cost is
 * real). bench/.models/ also links every ../shared/models folder, and the app's server and the Node runtime
 * both read models from there.
 *
 * Rows, each the median (min–max) of `--runs` runs unless the JSON says otherwise, every ratio from the
 * same process:
 * 1. embedding throughput, origin recipe, SNLI validation pairs (`--sizes`): onnxruntime-node (native, all
 *    cores) against the real app worker in headless Chromium (ONNX Runtime Web WASM, 1 thread and all
 *    threads; the asyncify build WebGPU needs), with where the time went (tokenising, forward passes,
 *    pooling, the rest);
 * 2. the origin's one-pair-per-forward-pass loop against length-bucketed batches;
 * 3. fp32 against q8 where a quantised file exists: throughput, the largest deviation of the pooled
 *    vectors, and of a logistic-regression probe's 5-fold accuracy on the labelled pairs;
 * 4. WebGPU: only a correctness check when the adapter is a software one (as here), never a speed figure;
 * 5. UMAP at `--umap-sizes` (Pairscope's projection against plain umap-js, recall@15);
 * 6. classifier training at 1,000 and 10,000 pairs (the worker's core, in Node);
 * 7. memory of the worker (JS heap and ArrayBuffer/wasm backing stores, via the DevTools protocol) over
 *    50 consecutive batches, and after 50,000 pairs embedded through the UI;
 * 8. time to first map: a cold page, 1,000 pairs, pairscope-mini-nli, through the UI;
 * 9. drawing 20,000 points: canvas (the map) against SVG circles.
 *
 * Writes bench/results/<date>.json and bench/results/latest.json and prints markdown tables.
 * Options: --models a,b  --sizes 256,1000,5000  --runs 3  --umap-sizes 1000,5000,10000
 *          --only embed,umap,classifier,memory,first-map,render,webgpu (default: all)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { UMAP } from 'umap-js';
import { build, preview } from 'vite';
import type { EmbedTiming } from '../src/core/embed';
import { evaluateClassifier } from '../src/core/evaluation';
import type { ClassifierKind } from '../src/core/classifier';
import { knnRecall } from '../src/core/neighbors';
import type { Pair } from '../src/core/pairs';
import { projectUmap } from '../src/core/projection';
import { createRandom, randomNormal } from '../src/core/random';
import type { EmbeddingRecipe } from '../src/core/recipe';
import { presetRecipe } from '../src/core/recipe';
import { createNodeRuntime } from '../src/node/runtime-node';
import type { WasmBuild } from '../src/worker/protocol';
import { PairscopeService } from '../src/worker/service';
import '../src/ui/console-api';
import { ensureRandomBert, MINILM_SHAPE } from './random-bert';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.env.PAIRSCOPE_SHARED_DIR ?? path.join(root, '..', 'shared'));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const list = (text: string) => text.split(',').filter(Boolean);
const sizes = list(option('sizes', '256,1000,5000')).map(Number);
const runs = Number(option('runs', '3'));
const modelIds = list(option('models', 'pairscope-mini-nli,minilm-random'));
const umapSizes = list(option('umap-sizes', '1000,5000,10000')).map(Number);
const only = new Set(list(option('only', 'embed,umap,classifier,memory,first-map,render,webgpu')));
const recipe: EmbeddingRecipe = presetRecipe('origin');
const cores = cpus().length;
const MINILM_ID = 'minilm-random';
const SMALL_MODEL = 'pairscope-mini-nli';
const PORT = 4199;
const BASE_URL = `http://127.0.0.1:${PORT}/`;

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}
const stat = (values: number[]): Stat => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted.at(-1)!,
    runs: sorted.length,
  };
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const log = (message: string) => console.error(`bench: ${message}`);

/** bench/.models: links to every ../shared/models folder plus the generated MiniLM-sized random model. */
function prepareModels(): string {
  const dir = path.join(root, 'bench', '.models');
  mkdirSync(dir, { recursive: true });
  const sharedModels = path.join(shared, 'models');
  if (!existsSync(path.join(sharedModels, SMALL_MODEL))) {
    throw new Error(
      `Missing ${path.join(sharedModels, SMALL_MODEL)}: the benchmark reads ../shared (README).`,
    );
  }
  for (const name of readdirSync(sharedModels)) {
    const link = path.join(dir, name);
    if (!existsSync(link)) symlinkSync(path.join(sharedModels, name), link, 'dir');
  }
  if (modelIds.includes(MINILM_ID)) {
    log('writing the MiniLM-sized random-weight model (once)…');
    ensureRandomBert(path.join(dir, MINILM_ID), MINILM_SHAPE, path.join(sharedModels, SMALL_MODEL));
  }
  return dir;
}

const LABELS = ['entailment', 'neutral', 'contradiction'];

/**
 * SNLI validation pairs with their gold labels; beyond its 9,842 rows the file repeats with the copy number
 * appended to the premise, so every pair is distinct (nothing comes from the sequence cache).
 */
function snliPairs(n: number): { pairs: Pair[]; labels: (number | null)[] } {
  const file = path.join(shared, 'data', 'snli', 'validation.jsonl');
  if (!existsSync(file)) throw new Error(`Missing ${file}: the benchmark reads ../shared/data (see README).`);
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { premise: string; hypothesis: string; label: string });
  const pairs: Pair[] = [];
  const labels: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows[i % rows.length];
    const copy = Math.floor(i / rows.length);
    pairs.push({
      id: String(i),
      premise: copy === 0 ? row.premise : `${row.premise} (${copy})`,
      hypothesis: row.hypothesis,
      label: row.label,
    });
    const label = LABELS.indexOf(row.label);
    labels.push(label >= 0 ? label : null);
  }
  return { pairs, labels };
}

interface EmbedRun {
  pairsPerSecond: Stat;
  timing: EmbedTiming | null;
  elapsedMs: number;
  vectors: Float32Array | null;
}

/** Share of an embedding's time per part, from the last run. */
function timeShares(run: EmbedRun): Record<string, number> | null {
  const t = run.timing;
  if (!t) return null;
  const other = Math.max(0, run.elapsedMs - t.tokenizeMs - t.modelMs - t.poolMs);
  const total = run.elapsedMs;
  return {
    tokenize: t.tokenizeMs / total,
    model: t.modelMs / total,
    pool: t.poolMs / total,
    other: other / total,
  };
}

async function nativeEmbed(
  modelsDir: string,
  modelId: string,
  pairs: Pair[],
  n: number,
  dtype: 'fp32' | 'q8' = 'fp32',
): Promise<EmbedRun> {
  const service = new PairscopeService(createNodeRuntime(modelsDir));
  await service.loadModel(
    { source: { kind: 'server', id: modelId }, dtype, device: 'auto', threads: cores },
    1,
    () => undefined,
  );
  // Warm-up: the first forward passes of a session are slower (allocation, kernel selection).
  await service.embed(pairs.slice(0, 64), recipe, 100, () => undefined, { cache: false });
  const summaries = [];
  for (let r = 0; r < n; r++) {
    summaries.push(await service.embed(pairs, recipe, 2 + r, () => undefined, { cache: false }));
  }
  const last = summaries[summaries.length - 1];
  const vectors = (await service.getVectors())!.data;
  return {
    pairsPerSecond: stat(summaries.map((s) => s.pairsPerSecond)),
    timing: last.timing,
    elapsedMs: last.elapsedMs,
    vectors,
  };
}

interface BrowserEmbedOptions {
  modelId: string;
  pairs: Pair[];
  runs: number;
  threads?: number;
  dtype?: 'fp32' | 'q8';
  device?: 'wasm' | 'webgpu';
  wasmBuild?: WasmBuild;
  batching?: { maxBatchSize: number; maxBatchTokens: number };
  keepVectors?: boolean;
  /** Warm-up before the timed runs, ms (default 3000; longer for a page's first configuration). */
  warmUpMs?: number;
}

async function browserEmbed(page: Page, o: BrowserEmbedOptions): Promise<EmbedRun> {
  const out = await page.evaluate(
    async ({ o, recipe, cores }) => {
      await window.pairscope.loadModel({
        source: { kind: 'server', id: o.modelId },
        dtype: o.dtype ?? 'fp32',
        device: o.device ?? 'wasm',
        threads: o.threads ?? cores,
        wasmBuild: o.wasmBuild ?? 'plain',
      });
      // Warm-up: besides the session's first passes, V8 compiles ORT's hot wasm functions with its optimising
      // tier only after they ran a while (on 2 cores that takes seconds of embedding), so warm up for ≥ 3 s.
      const started = performance.now();
      for (let k = 0; performance.now() - started < (o.warmUpMs ?? 3000); k++) {
        const at = (64 * k) % Math.max(1, o.pairs.length - 64);
        await window.pairscope.embed(o.pairs.slice(at, at + 64), recipe, {
          batching: o.batching,
          cache: false,
        });
      }
      const summaries = [];
      for (let r = 0; r < o.runs; r++) {
        summaries.push(await window.pairscope.embed(o.pairs, recipe, { batching: o.batching, cache: false }));
      }
      const last = summaries[summaries.length - 1];
      const v = o.keepVectors ? await window.pairscope.getVectors() : null;
      return {
        values: summaries.map((s) => s.pairsPerSecond),
        timing: last.timing,
        elapsedMs: last.elapsedMs,
        vectors: v ? Array.from(v.data) : null,
      };
    },
    { o, recipe, cores },
  );
  return {
    pairsPerSecond: stat(out.values),
    timing: out.timing,
    elapsedMs: out.elapsedMs,
    vectors: out.vectors ? Float32Array.from(out.vectors) : null,
  };
}

async function appPage(browser: Browser, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  // tsx (esbuild keepNames) wraps named inner functions in __name(); the page has no such helper.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto(BASE_URL);
  await page.waitForFunction(() => typeof window.pairscope?.embed === 'function');
  return page;
}

/** 5-fold logistic-regression accuracy of the labelled rows (the probe of the app's Classifier panel). */
function probeAccuracy(vectors: Float32Array, dim: number, labels: (number | null)[]): number {
  const x = { data: vectors, rows: labels.length, dim };
  return evaluateClassifier(x, labels, LABELS, {
    classifier: 'logreg',
    params: {},
    scheme: { kind: 'kfold', k: 5 },
    seed: 0,
  }).accuracy;
}

async function embeddingRows(browser: Browser, modelsDir: string, results: Record<string, unknown>) {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const modelId of modelIds) {
    const big = modelId === MINILM_ID;
    out[modelId] = {};
    for (const n of sizes) {
      // The MiniLM-sized model in WASM runs at tens of pairs per second here: its largest size runs once.
      const r = big && n >= 5000 ? 1 : runs;
      const { pairs, labels } = snliPairs(n);
      const row: Record<string, unknown> = { runs: r };
      log(`${modelId}, ${n} pairs — native (onnxruntime-node, ${cores} threads)`);
      const native = await nativeEmbed(modelsDir, modelId, pairs, r);
      const page = await appPage(browser);
      log(`${modelId}, ${n} pairs — browser WASM, ${cores} threads`);
      // A fresh page: its first configuration also pays for V8's first compilation of ORT's kernels.
      const wasm = await browserEmbed(page, { modelId, pairs, runs: r, keepVectors: true, warmUpMs: 10_000 });
      Object.assign(row, {
        native_pairs_per_s: native.pairsPerSecond,
        wasm_pairs_per_s: wasm.pairsPerSecond,
        wasm_vs_native: wasm.pairsPerSecond.median / native.pairsPerSecond.median,
        max_abs_diff_wasm_vs_native: maxAbsDiff(wasm.vectors!, native.vectors!),
        native_time_shares: timeShares(native),
        wasm_time_shares: timeShares(wasm),
      });
      if (!(big && n >= 5000)) {
        log(`${modelId}, ${n} pairs — browser WASM, 1 thread`);
        const wasm1 = await browserEmbed(page, { modelId, pairs, runs: r, threads: 1 });
        row.wasm_1_thread_pairs_per_s = wasm1.pairsPerSecond;
        row.threads_speedup = wasm.pairsPerSecond.median / wasm1.pairsPerSecond.median;
      }
      const smallest = n === Math.min(...sizes);
      if (smallest || (!big && n <= 1000)) {
        log(`${modelId}, ${n} pairs — asyncify build (the one WebGPU needs), ${cores} threads`);
        const asyncify = await browserEmbed(page, { modelId, pairs, runs: r, wasmBuild: 'asyncify' });
        row.wasm_asyncify_pairs_per_s = asyncify.pairsPerSecond;
        row.plain_vs_asyncify = wasm.pairsPerSecond.median / asyncify.pairsPerSecond.median;
        log(`${modelId}, ${n} pairs — one pair per forward pass (the origin's loop)`);
        const naive = await browserEmbed(page, {
          modelId,
          pairs,
          runs: r,
          batching: { maxBatchSize: 1, maxBatchTokens: 1 << 30 },
        });
        row.one_pair_per_pass_pairs_per_s = naive.pairsPerSecond;
        row.bucketed_vs_naive = wasm.pairsPerSecond.median / naive.pairsPerSecond.median;
      }
      if (existsSync(path.join(modelsDir, modelId, 'onnx', 'model_quantized.onnx'))) {
        log(`${modelId}, ${n} pairs — q8 (browser and native)`);
        const q8 = await browserEmbed(page, { modelId, pairs, runs: r, dtype: 'q8', keepVectors: true });
        const q8Native = await nativeEmbed(modelsDir, modelId, pairs, r, 'q8');
        Object.assign(row, {
          q8_pairs_per_s: q8.pairsPerSecond,
          q8_native_pairs_per_s: q8Native.pairsPerSecond,
          q8_wasm_vs_native: q8.pairsPerSecond.median / q8Native.pairsPerSecond.median,
          q8_vs_fp32: q8.pairsPerSecond.median / wasm.pairsPerSecond.median,
          q8_max_abs_diff: maxAbsDiff(q8.vectors!, wasm.vectors!),
        });
        if (n === Math.max(...sizes)) {
          const dim = wasm.vectors!.length / n;
          const fp32Accuracy = probeAccuracy(wasm.vectors!, dim, labels);
          const q8Accuracy = probeAccuracy(q8.vectors!, dim, labels);
          Object.assign(row, {
            probe_accuracy_fp32: fp32Accuracy,
            probe_accuracy_q8: q8Accuracy,
            probe_accuracy_q8_minus_fp32: q8Accuracy - fp32Accuracy,
          });
        }
      }
      await page.close();
      out[modelId][String(n)] = row;
    }
  }
  results.embedding = out;
}

/** The WebGPU device on this machine: a correctness check against WASM unless the adapter is a real GPU. */
async function webgpuRow(results: Record<string, unknown>, launch: (extra: string[]) => Promise<Browser>) {
  const browser = await launch(['--enable-unsafe-webgpu']);
  try {
    const page = await appPage(browser);
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const a = (await gpu?.requestAdapter()) as {
        info?: { vendor: string; architecture: string; device: string; description: string };
      } | null;
      // GPUAdapterInfo's fields are prototype getters: a spread would copy none of them.
      return a
        ? {
            vendor: a.info?.vendor ?? '',
            architecture: a.info?.architecture ?? '',
            device: a.info?.device ?? '',
            description: a.info?.description ?? '',
          }
        : null;
    });
    if (!adapter) {
      results.webgpu = { adapter: null, note: 'No WebGPU adapter in this browser.' };
      return;
    }
    const software = /swiftshader|software|llvmpipe|lavapipe/i.test(Object.values(adapter).join(' '));
    const { pairs } = snliPairs(256);
    log(`WebGPU (${software ? 'software adapter: correctness only' : 'GPU'}), 256 pairs`);
    const gpu = await browserEmbed(page, {
      modelId: SMALL_MODEL,
      pairs,
      runs,
      device: 'webgpu',
      keepVectors: true,
    });
    const wasm = await browserEmbed(page, { modelId: SMALL_MODEL, pairs, runs: 1, keepVectors: true });
    results.webgpu = {
      adapter,
      software_adapter: software,
      max_abs_diff_vs_wasm: maxAbsDiff(gpu.vectors!, wasm.vectors!),
      // Not a speed figure when the adapter is software: the GPU work runs on this machine's CPU.
      pairs_per_s: software ? null : gpu.pairsPerSecond,
    };
  } finally {
    await browser.close();
  }
}

/** JS heap and backing stores (ArrayBuffers, wasm memory) of the model worker, via the DevTools protocol. */
async function workerMemory(cdp: CDPSession): Promise<{ heapMB: number; backingMB: number } | null> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  // Only the app's worker: ORT's pthread workers sit in Atomics.wait and never answer.
  const worker = targetInfos.find((t) => t.type === 'worker' && t.url.includes('pairscope.worker'));
  if (!worker) return null;
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: worker.targetId,
    flatten: false,
  });
  try {
    const reply = await new Promise<{ usedSize: number; backingStorageSize?: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('The worker did not answer Runtime.getHeapUsage.')),
        10_000,
      );
      const onMessage = (event: { sessionId?: string; message: string }) => {
        const message = JSON.parse(event.message) as {
          id?: number;
          result?: { usedSize: number; backingStorageSize?: number };
        };
        if (event.sessionId !== sessionId || message.id !== 1 || !message.result) return;
        clearTimeout(timer);
        cdp.off('Target.receivedMessageFromTarget', onMessage);
        resolve(message.result);
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }),
      });
    });
    return { heapMB: reply.usedSize / 2 ** 20, backingMB: (reply.backingStorageSize ?? NaN) / 2 ** 20 };
  } finally {
    await cdp.send('Target.detachFromTarget', { sessionId });
  }
}

async function memoryRows(browser: Browser, results: Record<string, unknown>) {
  const cdp = await browser.newBrowserCDPSession();
  const modelId = modelIds.includes(MINILM_ID) ? MINILM_ID : SMALL_MODEL;
  const page = await appPage(browser);
  await page.evaluate(
    async ({ modelId, cores }) => {
      await window.pairscope.loadModel({
        source: { kind: 'server', id: modelId },
        dtype: 'fp32',
        device: 'wasm',
        threads: cores,
      });
    },
    { modelId, cores },
  );
  const loaded = await workerMemory(cdp);
  const { pairs } = snliPairs(50 * 32);
  const samples: { heapMB: number; backingMB: number }[] = [];
  log(`memory: 50 consecutive batches of 32 pairs, ${modelId}`);
  for (let b = 0; b < 50; b++) {
    await page.evaluate(
      async ({ batch, recipe }) => {
        await window.pairscope.embed(batch, recipe, { cache: false });
      },
      { batch: pairs.slice(b * 32, (b + 1) * 32), recipe },
    );
    const sample = await workerMemory(cdp);
    if (sample) samples.push(sample);
  }
  const at = (i: number) => samples[Math.min(i, samples.length - 1)];
  results.memory_50_batches = {
    model: modelId,
    after_load: loaded,
    after_batch_1: at(0),
    after_batch_10: at(9),
    after_batch_50: at(49),
    peak_heap_mb: Math.max(...samples.map((s) => s.heapMB)),
    peak_backing_mb: Math.max(...samples.map((s) => s.backingMB)),
    growth_10_to_50_heap_mb: at(49).heapMB - at(9).heapMB,
    growth_10_to_50_backing_mb: at(49).backingMB - at(9).backingMB,
    note: 'JS heap (used) and backing stores (ArrayBuffers and wasm memory) of the model worker, Runtime.getHeapUsage after each embed call of one 32-pair batch; growth is measured after a 10-batch warm-up.',
  };
  await page.close();

  // 50,000 pairs through the UI, as a user would paste them.
  log('memory: 50,000 pairs through the UI (pairscope-mini-nli)');
  const bigPage = await appPage(browser, { width: 1280, height: 900 });
  await loadThroughUi(bigPage, SMALL_MODEL);
  const { pairs: many } = snliPairs(50_000);
  await pasteThroughUi(bigPage, many);
  const t0 = performance.now();
  await bigPage.getByTestId('embed.run').click();
  await bigPage
    .getByTestId('embed.rows')
    .filter({ hasText: /^50000$/ })
    .waitFor({ timeout: 900_000 });
  const seconds = (performance.now() - t0) / 1000;
  const rows = await bigPage.evaluate(async () => (await window.pairscope.getVectors())?.rows ?? 0);
  const pageHeap = await bigPage.evaluate(
    () => (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
  );
  results.pairs_50k = {
    rows_embedded: rows,
    seconds,
    pairs_per_s: rows / seconds,
    worker_after: await workerMemory(cdp),
    page_heap_mb: pageHeap === null ? null : pageHeap / 2 ** 20,
  };
  await bigPage.close();
}

async function loadThroughUi(page: Page, modelId: string): Promise<void> {
  await page.getByTestId('model.source.server').check();
  await page.getByTestId('model.serverSelect').selectOption(modelId);
  await page.getByTestId('model.dtype').selectOption('fp32');
  await page.getByTestId('model.device').selectOption('wasm');
  await page.getByTestId('model.load').click();
  await page.getByTestId('model.label').filter({ hasText: modelId }).waitFor({ timeout: 120_000 });
}

/** Puts pairs in the pairs box as one paste would (see test/e2e/fixtures.ts). */
async function pasteThroughUi(page: Page, pairs: Pair[]): Promise<void> {
  const text = pairs.map((p) => `${p.premise}\t${p.hypothesis}\t${p.label ?? ''}`).join('\n');
  await page.getByTestId('pairs.input').evaluate((el: HTMLTextAreaElement, value) => {
    Reflect.set(HTMLTextAreaElement.prototype, 'value', value, el);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** A cold page to a drawn map of 1,000 pairs, through the UI, split by phase. */
async function firstMapRow(browser: Browser, results: Record<string, unknown>) {
  const { pairs } = snliPairs(1000);
  const values: Record<string, number>[] = [];
  for (let r = 0; r < runs; r++) {
    log(`time to first map, cold page, run ${r + 1}/${runs}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(BASE_URL);
    await page.getByTestId('model.panel').waitFor();
    const tPage = performance.now();
    await loadThroughUi(page, SMALL_MODEL);
    const tModel = performance.now();
    await pasteThroughUi(page, pairs);
    await page.getByTestId('embed.run').click();
    await page
      .getByTestId('embed.rows')
      .filter({ hasText: /^1000$/ })
      .waitFor({ timeout: 300_000 });
    const tEmbed = performance.now();
    await page.getByTestId('umap.run').click();
    await page.locator('[data-testid="map"][data-points="1000"]').waitFor({ timeout: 300_000 });
    await page.getByTestId('umap.summary').waitFor({ timeout: 300_000 });
    const tMap = performance.now();
    values.push({
      total_s: (tMap - t0) / 1000,
      page_s: (tPage - t0) / 1000,
      model_load_s: (tModel - tPage) / 1000,
      embed_s: (tEmbed - tModel) / 1000,
      umap_s: (tMap - tEmbed) / 1000,
    });
    await context.close();
  }
  const keys = Object.keys(values[0]);
  results.first_map_1000 = Object.fromEntries(keys.map((k) => [k, stat(values.map((v) => v[k]))]));
}

async function renderRow(browser: Browser, results: Record<string, unknown>) {
  log('drawing 20,000 points — canvas (as the map draws) vs SVG circles (what a recharts scatter renders)');
  const page = await appPage(browser, { width: 1000, height: 800 });
  results.render_20k_ms = await page.evaluate(async (n) => {
    const points = Float32Array.from({ length: 2 * n }, () => Math.random() * 560 + 20);
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    const colours = ['#0072B2', '#E69F00', '#009E73', '#D55E00'];
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    document.body.append(canvas);
    const ctx = canvas.getContext('2d')!;
    const canvasMs: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 800, 600);
      colours.forEach((colour, k) => {
        ctx.fillStyle = colour;
        ctx.beginPath();
        for (let i = k; i < n; i += colours.length)
          ctx.rect(points[2 * i] - 1.5, points[2 * i + 1] - 1.5, 3, 3);
        ctx.fill();
      });
      ctx.getImageData(0, 0, 1, 1); // forces the raster work to finish before the clock stops
      canvasMs.push(performance.now() - t0);
      await frame();
    }
    const svgMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('width', '800');
      svg.setAttribute('height', '600');
      for (let i = 0; i < n; i++) {
        const c = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
        c.setAttribute('cx', String(points[2 * i]));
        c.setAttribute('cy', String(points[2 * i + 1]));
        c.setAttribute('r', '2');
        c.setAttribute('fill', colours[i % colours.length]);
        svg.append(c);
      }
      document.body.append(svg);
      await frame();
      await frame();
      svgMs.push(performance.now() - t0);
      svg.remove();
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    return { canvas: median(canvasMs), svg: median(svgMs), svg_vs_canvas: median(svgMs) / median(canvasMs) };
  }, 20_000);
  await page.close();
}

/**
 * UMAP in Node (the worker runs the same core): Pairscope's projection (defaults: PCA-50 candidates
 * re-ranked exactly, typed-array UMAP) against plain umap-js defaults (NN-descent), on 384-d clustered
 * data; quality = kNN recall@15 of the layout. bench/umap.ts has the finer breakdown and trustworthiness.
 */
function umapRows(results: Record<string, unknown>) {
  const rows: Record<string, unknown> = {};
  for (const n of umapSizes) {
    const random = createRandom(n);
    const dim = 384;
    const centres = Array.from({ length: 10 }, () =>
      Array.from({ length: dim }, () => randomNormal(random) * 3),
    );
    const data = new Float32Array(n * dim);
    for (let i = 0; i < n; i++)
      for (let d = 0; d < dim; d++) data[i * dim + d] = centres[i % 10][d] + randomNormal(random);
    const x = { data, rows: n, dim };
    const arrays = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
    const ours: number[] = [];
    const plain: number[] = [];
    let oursLayout: Float32Array = new Float32Array(0);
    let plainLayout = new Float32Array(0);
    for (let r = 0; r < runs; r++) {
      log(`UMAP ${n} points, run ${r + 1}/${runs} — Pairscope, then plain umap-js`);
      let t0 = performance.now();
      const steps = projectUmap(x, { seed: r, distance: 'euclidean' });
      let step = steps.next();
      while (!step.done) step = steps.next();
      ours.push((performance.now() - t0) / 1000);
      oursLayout = step.value.coordinates;
      t0 = performance.now();
      const fitted = new UMAP({ nComponents: 2, nNeighbors: 15, random: createRandom(r) }).fit(arrays);
      plain.push((performance.now() - t0) / 1000);
      plainLayout = Float32Array.from(fitted.flat());
    }
    rows[String(n)] = {
      pairscope_s: stat(ours),
      plain_umap_js_s: stat(plain),
      speedup: stat(plain).median / stat(ours).median,
      recall_at_15_pairscope: knnRecall(x, { data: oursLayout, rows: n, dim: 2 }, 15),
      recall_at_15_plain: knnRecall(x, { data: plainLayout, rows: n, dim: 2 }, 15),
    };
  }
  results.umap = rows;
}

/** Training and evaluating each classifier kind on real vectors (pairscope-mini-nli, native), hold-out 20 %. */
async function classifierRows(modelsDir: string, results: Record<string, unknown>) {
  const { pairs, labels } = snliPairs(10_000);
  log('classifier: embedding 10,000 pairs natively for real vectors');
  const native = await nativeEmbed(modelsDir, SMALL_MODEL, pairs, 1);
  const dim = native.vectors!.length / pairs.length;
  const rows: Record<string, Record<string, unknown>> = {};
  for (const n of [1000, 10_000]) {
    const x = { data: native.vectors!.subarray(0, n * dim), rows: n, dim };
    rows[String(n)] = {};
    for (const kind of ['logreg', 'mlp', 'gbdt'] as ClassifierKind[]) {
      const seconds: number[] = [];
      let accuracy = 0;
      for (let r = 0; r < runs; r++) {
        log(`classifier ${kind}, ${n} pairs, run ${r + 1}/${runs}`);
        const t0 = performance.now();
        const result = evaluateClassifier(x, labels.slice(0, n), LABELS, {
          classifier: kind,
          params: {},
          scheme: { kind: 'holdout', testFraction: 0.2 },
          seed: r,
        });
        seconds.push((performance.now() - t0) / 1000);
        accuracy = result.accuracy;
      }
      rows[String(n)][kind] = { seconds: stat(seconds), accuracy_last_run: accuracy };
    }
  }
  results.classifier = { model: SMALL_MODEL, dim, scheme: 'hold-out 20 %', sizes: rows };
}

async function main(): Promise<void> {
  const modelsDir = prepareModels();
  // The app's server reads models from here (vite.config.ts), as the Node runtime does.
  process.env.PAIRSCOPE_MODELS_DIR = modelsDir;
  log('building the app…');
  await build({ root, logLevel: 'warn' });
  const server = await preview({
    root,
    preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const executablePath =
    process.env.PAIRSCOPE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const launch = (extra: string[] = []) =>
    chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...extra,
      ],
    });
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cores, cpu: cpus()[0]?.model, node: process.version },
    models: modelIds,
    recipe: 'origin preset (premise[SEP]hypothesis, layer -2, mean)',
    runs,
    note: `Browser figures are the real app worker in headless Chromium (ONNX Runtime Web: the plain WASM build the app uses, and the asyncify build WebGPU needs). ${MINILM_ID} is a MiniLM-sized BERT (6 layers, hidden 384) with random weights generated by bench/random-bert.ts: real cost, meaningless vectors.`,
  };
  const browser = await launch();
  try {
    if (only.has('embed')) await embeddingRows(browser, modelsDir, results);
    if (only.has('webgpu')) await webgpuRow(results, launch);
    if (only.has('memory')) await memoryRows(browser, results);
    if (only.has('first-map')) await firstMapRow(browser, results);
    if (only.has('render')) await renderRow(browser, results);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  if (only.has('classifier')) await classifierRows(modelsDir, results);
  if (only.has('umap')) umapRows(results);

  // Headline keys: the MiniLM-sized model at the largest size (the realistic case) where it ran.
  const embedding = results.embedding as Record<string, Record<string, Record<string, unknown>>> | undefined;
  const headlineModel = embedding?.[MINILM_ID] ? MINILM_ID : SMALL_MODEL;
  const headline = embedding?.[headlineModel]?.[String(Math.max(...sizes))];
  const naiveRow = Object.values(embedding?.[headlineModel] ?? {}).find((r) => r.bucketed_vs_naive);
  Object.assign(results, {
    headline_model: headlineModel,
    native_pairs_per_s: (headline?.native_pairs_per_s as Stat | undefined)?.median ?? null,
    wasm_pairs_per_s: (headline?.wasm_pairs_per_s as Stat | undefined)?.median ?? null,
    wasm_vs_native: headline?.wasm_vs_native ?? null,
    bucketed_vs_naive: naiveRow?.bucketed_vs_naive ?? null,
    umap_10k_s:
      (results.umap as Record<string, { pairscope_s: Stat }> | undefined)?.['10000']?.pairscope_s.median ??
      null,
  });
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  writeFileSync(path.join(dir, `${new Date().toISOString().slice(0, 10)}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  console.log(markdown(results));
}

function markdown(results: Record<string, unknown>): string {
  const fmt = (s: unknown, digits = 3): string =>
    s && typeof s === 'object' && 'median' in s
      ? `${(s as Stat).median.toPrecision(digits)} (${(s as Stat).min.toPrecision(digits)}–${(s as Stat).max.toPrecision(digits)})`
      : typeof s === 'number'
        ? s.toPrecision(digits)
        : '—';
  const pct = (shares: unknown) => {
    const s = shares as Record<string, number> | null;
    return s
      ? `${(100 * s.tokenize).toFixed(0)} / ${(100 * s.model).toFixed(0)} / ${(100 * s.pool).toFixed(0)} / ${(100 * s.other).toFixed(0)}`
      : '—';
  };
  const out: string[] = [];
  const embedding = results.embedding as Record<string, Record<string, Record<string, unknown>>> | undefined;
  for (const [model, bySize] of Object.entries(embedding ?? {})) {
    out.push(`\n### ${model}: pairs per second, origin recipe, median (min–max)\n`);
    out.push(
      '| pairs | runs | native | WASM all threads | WASM/native | WASM 1 thread | threads× | asyncify build | plain/asyncify | one pair/pass | bucketed/naive | time % tokenise/model/pool/other (WASM) | max diff vs native |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [n, r] of Object.entries(bySize)) {
      out.push(
        `| ${n} | ${String(r.runs)} | ${fmt(r.native_pairs_per_s)} | ${fmt(r.wasm_pairs_per_s)} | ${fmt(r.wasm_vs_native)} | ${fmt(r.wasm_1_thread_pairs_per_s)} | ${fmt(r.threads_speedup)} | ${fmt(r.wasm_asyncify_pairs_per_s)} | ${fmt(r.plain_vs_asyncify)} | ${fmt(r.one_pair_per_pass_pairs_per_s)} | ${fmt(r.bucketed_vs_naive)} | ${pct(r.wasm_time_shares)} | ${fmt(r.max_abs_diff_wasm_vs_native, 2)} |`,
      );
    }
    const q8 = Object.entries(bySize).filter(([, r]) => r.q8_pairs_per_s);
    if (q8.length > 0) {
      out.push(
        `\n| pairs | q8 WASM | q8 native | q8 WASM/native | q8/fp32 (WASM) | q8 max vector diff | probe accuracy fp32 → q8 |\n|---|---|---|---|---|---|---|`,
      );
      for (const [n, r] of q8) {
        out.push(
          `| ${n} | ${fmt(r.q8_pairs_per_s)} | ${fmt(r.q8_native_pairs_per_s)} | ${fmt(r.q8_wasm_vs_native)} | ${fmt(r.q8_vs_fp32)} | ${fmt(r.q8_max_abs_diff, 2)} | ${r.probe_accuracy_fp32 === undefined ? '—' : `${fmt(r.probe_accuracy_fp32)} → ${fmt(r.probe_accuracy_q8)} (${fmt(r.probe_accuracy_q8_minus_fp32, 2)})`} |`,
        );
      }
    }
  }
  const webgpu = results.webgpu as Record<string, unknown> | undefined;
  if (webgpu) out.push(`\nWebGPU: ${JSON.stringify(webgpu)}`);
  const umap = results.umap as Record<string, Record<string, unknown>> | undefined;
  if (umap) {
    out.push(
      '\n| UMAP points (384-d) | Pairscope s | plain umap-js s | speed-up | recall@15 Pairscope | recall@15 plain |\n|---|---|---|---|---|---|',
    );
    for (const [n, r] of Object.entries(umap)) {
      out.push(
        `| ${n} | ${fmt(r.pairscope_s)} | ${fmt(r.plain_umap_js_s)} | ${fmt(r.speedup)} | ${fmt(r.recall_at_15_pairscope)} | ${fmt(r.recall_at_15_plain)} |`,
      );
    }
  }
  const classifier = results.classifier as
    | { sizes: Record<string, Record<string, Record<string, unknown>>> }
    | undefined;
  if (classifier) {
    out.push('\n| classifier (hold-out 20 %) | pairs | train + evaluate s | accuracy |\n|---|---|---|---|');
    for (const [n, byKind] of Object.entries(classifier.sizes)) {
      for (const [kind, r] of Object.entries(byKind)) {
        out.push(`| ${kind} | ${n} | ${fmt(r.seconds)} | ${fmt(r.accuracy_last_run)} |`);
      }
    }
  }
  for (const key of ['memory_50_batches', 'pairs_50k', 'first_map_1000', 'render_20k_ms']) {
    if (results[key]) out.push(`\n${key}: ${JSON.stringify(results[key])}`);
  }
  return out.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
