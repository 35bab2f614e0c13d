/**
 * `npm run bench`: embedding throughput of the same model, inputs and batches in Node (onnxruntime-node,
 * native) and in headless Chromium (the real app's worker, ONNX Runtime Web WASM with 1 and all threads),
 * length-bucketed batches against the origin's one-pair-per-pass loop, fp32 against q8, and UMAP. Every
 * figure is the median of several runs (min and max beside it); every comparison is a ratio within this run.
 * Writes bench/results/<date>.json, bench/results/latest.json and prints a markdown table. Never a test.
 *
 * Options: --sizes 256,1000  --runs 3  --model pairscope-mini-nli
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import type { Pair } from '../src/core/pairs';
import type { EmbeddingRecipe } from '../src/core/recipe';
import { presetRecipe } from '../src/core/recipe';
import { createNodeRuntime } from '../src/node/runtime-node';
import { PairscopeService } from '../src/worker/service';
import { UMAP } from 'umap-js';
import { knnRecall } from '../src/core/neighbors';
import { projectUmap } from '../src/core/projection';
import { createRandom, randomNormal } from '../src/core/random';
import '../src/ui/console-api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.env.PAIRSCOPE_SHARED_DIR ?? path.join(root, '..', 'shared'));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const sizes = option('sizes', '256,1000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const modelId = option('model', 'pairscope-mini-nli');
const umapSizes = option('umap-sizes', '1000,5000,10000').split(',').filter(Boolean).map(Number);
const recipe: EmbeddingRecipe = presetRecipe('origin');

interface Stat {
  median: number;
  min: number;
  max: number;
}
const stat = (values: number[]): Stat => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1)! };
};

function snliPairs(n: number): Pair[] {
  const file = path.join(shared, 'data', 'snli', 'validation.jsonl');
  if (!existsSync(file)) throw new Error(`Missing ${file}: the benchmark reads ../shared/data (see README).`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((line, i) => {
      const row = JSON.parse(line) as { premise: string; hypothesis: string };
      return { id: String(i), premise: row.premise, hypothesis: row.hypothesis, label: null };
    });
}

async function nativePairsPerSecond(pairs: Pair[], threads: number, dtype: 'fp32' | 'q8' = 'fp32') {
  const service = new PairscopeService(createNodeRuntime(path.join(shared, 'models')));
  await service.loadModel(
    { source: { kind: 'server', id: modelId }, dtype, device: 'auto', threads },
    1,
    () => undefined,
  );
  const values: number[] = [];
  for (let r = 0; r < runs; r++) {
    const summary = await service.embed(pairs, recipe, 2 + r, () => undefined, { cache: false });
    values.push(summary.pairsPerSecond);
  }
  const vectors = (await service.getVectors())!.data;
  return { pairsPerSecond: stat(values), vectors };
}

async function main(): Promise<void> {
  console.error('bench: building the app…');
  await build({ root, logLevel: 'warn' });
  const server = await preview({
    root,
    preview: { port: 4199, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const executablePath =
    process.env.PAIRSCOPE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model },
    model: modelId,
    recipe: 'origin preset (premise[SEP]hypothesis, layer -2, mean)',
    runs,
    note: 'Browser figures are the real app worker (ONNX Runtime Web WASM: the plain build the app uses for WASM, and the asyncify build WebGPU needs, for comparison). No MiniLM-sized model exists offline here; pairscope-mini-nli is 4 layers, hidden 128.',
    sizes: {},
  };
  try {
    const page = await browser.newPage();
    await page.goto('http://127.0.0.1:4199/');
    await page.waitForFunction(() => typeof window.pairscope?.embed === 'function');
    const browserRun = async (
      pairs: Pair[],
      threads: number,
      batching?: { maxBatchSize: number; maxBatchTokens: number },
      dtype = 'fp32',
      wasmBuild: 'plain' | 'asyncify' = 'plain',
    ) => {
      return page.evaluate(
        async ({ pairs, threads, batching, recipe, modelId, runs, dtype, wasmBuild }) => {
          await window.pairscope.loadModel({
            source: { kind: 'server', id: modelId },
            dtype: dtype as 'fp32',
            device: 'wasm',
            threads,
            wasmBuild,
          });
          const values: number[] = [];
          for (let r = 0; r < runs; r++)
            values.push(
              (await window.pairscope.embed(pairs, recipe, { batching, cache: false })).pairsPerSecond,
            );
          const v = await window.pairscope.getVectors();
          return { values, vectors: Array.from(v!.data) };
        },
        { pairs, threads, batching, recipe, modelId, runs, dtype, wasmBuild },
      );
    };
    const sizesOut = results.sizes as Record<string, unknown>;
    for (const n of sizes) {
      const pairs = snliPairs(n);
      console.error(`bench: ${n} pairs — native`);
      const native = await nativePairsPerSecond(pairs, cpus().length);
      console.error(`bench: ${n} pairs — browser WASM 1 thread / all threads`);
      const wasm1 = await browserRun(pairs, 1);
      const wasmAll = await browserRun(pairs, cpus().length);
      console.error(`bench: ${n} pairs — browser WASM all threads, asyncify build (the WebGPU-capable one)`);
      const asyncify = await browserRun(pairs, cpus().length, undefined, 'fp32', 'asyncify');
      const row: Record<string, unknown> = {
        wasm_asyncify_pairs_per_s: stat(asyncify.values),
        plain_vs_asyncify: stat(wasmAll.values).median / stat(asyncify.values).median,
        native_pairs_per_s: native.pairsPerSecond,
        wasm_1_thread_pairs_per_s: stat(wasm1.values),
        wasm_pairs_per_s: stat(wasmAll.values),
        wasm_vs_native: stat(wasmAll.values).median / native.pairsPerSecond.median,
        threads_speedup: stat(wasmAll.values).median / stat(wasm1.values).median,
        max_abs_diff_wasm_vs_native: wasmAll.vectors.reduce(
          (m, v, i) => Math.max(m, Math.abs(v - native.vectors[i])),
          0,
        ),
      };
      if (n <= 1000) {
        console.error(`bench: ${n} pairs — one pair per forward pass (the origin's loop)`);
        const naive = await browserRun(pairs, cpus().length, { maxBatchSize: 1, maxBatchTokens: 1 << 30 });
        row.one_pair_per_pass_pairs_per_s = stat(naive.values);
        row.bucketed_vs_naive = stat(wasmAll.values).median / stat(naive.values).median;
        if (existsSync(path.join(shared, 'models', modelId, 'onnx', 'model_quantized.onnx'))) {
          console.error(`bench: ${n} pairs — q8`);
          const q8 = await browserRun(pairs, cpus().length, undefined, 'q8');
          row.q8_pairs_per_s = stat(q8.values);
          row.q8_vs_fp32 = stat(q8.values).median / stat(wasmAll.values).median;
          row.q8_max_abs_diff = q8.vectors.reduce(
            (m, v, i) => Math.max(m, Math.abs(v - wasmAll.vectors[i])),
            0,
          );
        }
      }
      sizesOut[String(n)] = row;
    }
    console.error(
      'bench: drawing 20,000 points — canvas (as the map draws) vs SVG circles (what a recharts scatter renders)',
    );
    const page2 = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    // tsx (esbuild keepNames) wraps named inner functions in __name(); the page has no such helper.
    await page2.addInitScript('globalThis.__name = (f) => f;');
    await page2.goto('http://127.0.0.1:4199/');
    results.render_20k_ms = await page2.evaluate(async (n) => {
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
      return {
        canvas: median(canvasMs),
        svg: median(svgMs),
        svg_vs_canvas: median(svgMs) / median(canvasMs),
      };
    }, 20_000);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  // UMAP in Node (the worker runs the same core): Pairscope's projection (exact chunked kNN, then umap-js
  // epochs) against plain umap-js defaults (NN-descent), on 384-d clustered data; quality = kNN recall@15.
  const umapRows: Record<string, unknown> = {};
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
    console.error(`bench: UMAP ${n} points — Pairscope`);
    let t0 = performance.now();
    const steps = projectUmap(x, { seed: 0, distance: 'euclidean' });
    let step = steps.next();
    while (!step.done) step = steps.next();
    const oursS = (performance.now() - t0) / 1000;
    const ours = { data: step.value.coordinates, rows: n, dim: 2 };
    console.error(`bench: UMAP ${n} points — plain umap-js`);
    const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
    t0 = performance.now();
    const plain = new UMAP({ nComponents: 2, nNeighbors: 15, random: createRandom(0) }).fit(rows);
    const plainS = (performance.now() - t0) / 1000;
    const plainLow = { data: Float32Array.from(plain.flat()), rows: n, dim: 2 };
    umapRows[String(n)] = {
      pairscope_s: oursS,
      plain_umap_js_s: plainS,
      speedup: plainS / oursS,
      recall_at_15_pairscope: knnRecall(x, ours, 15),
      recall_at_15_plain: knnRecall(x, plainLow, 15),
    };
  }
  results.umap = umapRows;
  results.umap_10k_s = (umapRows['10000'] as { pairscope_s: number } | undefined)?.pairscope_s ?? null;

  const first = (results.sizes as Record<string, Record<string, unknown>>)[String(sizes.at(-1))];
  Object.assign(results, {
    native_pairs_per_s: (first.native_pairs_per_s as Stat).median,
    wasm_pairs_per_s: (first.wasm_pairs_per_s as Stat).median,
    wasm_vs_native: first.wasm_vs_native,
    bucketed_vs_naive:
      (results.sizes as Record<string, Record<string, unknown>>)[String(sizes.find((s) => s <= 1000))]
        ?.bucketed_vs_naive ?? null,
  });
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  writeFileSync(path.join(dir, `${new Date().toISOString().slice(0, 10)}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  const fmt = (s: unknown) =>
    s && typeof s === 'object'
      ? `${(s as Stat).median.toFixed(1)} (${(s as Stat).min.toFixed(1)}–${(s as Stat).max.toFixed(1)})`
      : typeof s === 'number'
        ? s.toPrecision(3)
        : '—';
  const lines = [
    '| pairs | native | WASM 1 thread | WASM all | WASM/native | WASM asyncify build | plain/asyncify | threads× | one pair/pass | bucketed/naive | q8 | q8/fp32 | q8 max diff |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [n, r] of Object.entries(results.sizes as Record<string, Record<string, unknown>>)) {
    lines.push(
      `| ${n} | ${fmt(r.native_pairs_per_s)} | ${fmt(r.wasm_1_thread_pairs_per_s)} | ${fmt(r.wasm_pairs_per_s)} | ${fmt(r.wasm_vs_native)} | ${fmt(r.wasm_asyncify_pairs_per_s)} | ${fmt(r.plain_vs_asyncify)} | ${fmt(r.threads_speedup)} | ${fmt(r.one_pair_per_pass_pairs_per_s)} | ${fmt(r.bucketed_vs_naive)} | ${fmt(r.q8_pairs_per_s)} | ${fmt(r.q8_vs_fp32)} | ${fmt(r.q8_max_abs_diff)} |`,
    );
  }
  console.log(`Pairs per second, ${modelId}, origin recipe, median (min–max) of ${runs} runs:\n`);
  console.log(lines.join('\n'));
  console.log(
    '\n| UMAP points | Pairscope s | plain umap-js s | speed-up | recall@15 Pairscope | recall@15 plain |\n|---|---|---|---|---|---|',
  );
  for (const [n, r] of Object.entries(umapRows) as [string, Record<string, number>][]) {
    console.log(
      `| ${n} | ${r.pairscope_s.toFixed(1)} | ${r.plain_umap_js_s.toFixed(1)} | ${r.speedup.toFixed(2)} | ${r.recall_at_15_pairscope.toFixed(3)} | ${r.recall_at_15_plain.toFixed(3)} |`,
    );
  }
  const render = results.render_20k_ms as { canvas: number; svg: number; svg_vs_canvas: number } | undefined;
  if (render) {
    console.log(
      `\nDrawing 20,000 points (median): canvas ${render.canvas.toFixed(1)} ms, SVG circles ${render.svg.toFixed(0)} ms (${render.svg_vs_canvas.toFixed(0)}× slower; recharts adds React on top of the SVG).`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
