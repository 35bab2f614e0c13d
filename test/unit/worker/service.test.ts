/**
 * The worker service in Node: real models from ../shared/models through onnxruntime-node, the same loader,
 * tokenizer and pipeline the browser worker uses. References are the torch/transformers.js outputs stored
 * in each model's reference_outputs.json.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pair } from '../../../src/core/pairs';
import type { EmbeddingRecipe } from '../../../src/core/recipe';
import { presetRecipe } from '../../../src/core/recipe';
import { DEFAULT_UMAP_OPTIONS } from '../../../src/core/projection';
import { createNodeRuntime } from '../../../src/node/runtime-node';
import { PairscopeService } from '../../../src/worker/service';
import type { JobProgress, ModelInfo } from '../../../src/worker/protocol';
import { modelsDir } from '../../shared-dir';
import { maxAbsDiff, modelReference } from '../../data';

const reference = modelReference;

const noProgress = (): void => undefined;

async function load(service: PairscopeService, id: string): Promise<ModelInfo> {
  return service.loadModel(
    { source: { kind: 'server', id }, dtype: 'fp32', device: 'auto', threads: 2 },
    1,
    noProgress,
  );
}

const sentenceRecipe: EmbeddingRecipe = {
  pairMode: 'separate',
  layers: [-1],
  pooling: 'mean',
  normalize: true,
  maxLength: null,
  sbertParts: { u: true, v: false, absDiff: false, product: false },
};

describe('PairscopeService with tiny-random-bert (onnxruntime-node)', () => {
  const service = new PairscopeService(createNodeRuntime(modelsDir()));
  const ref = reference('tiny-random-bert');
  let info: ModelInfo;
  beforeAll(async () => {
    info = await load(service, 'tiny-random-bert');
  });

  it('reports the model and its native hidden-state outputs', () => {
    expect(info.numLayers).toBe(2);
    expect(info.hidden).toBe(64);
    expect(info.layerAccess).toBe('native');
    expect(info.availableLayers).toEqual([0, 1, 2]);
    expect(info.device).toBe('cpu');
  });

  it('mean-pooled, normalised sentence vectors equal the reference within 1e-5', async () => {
    const pairs: Pair[] = ref.sentences.map((s, i) => ({
      id: String(i),
      premise: s,
      hypothesis: 'x',
      label: null,
    }));
    const summary = await service.embed(pairs, sentenceRecipe, 2, noProgress);
    expect(summary.rows).toBe(5);
    expect(summary.dim).toBe(64);
    const vectors = await service.getVectors();
    expect(maxAbsDiff(vectors!.data, ref.pooled.data)).toBeLessThan(1e-5);
  });

  it('says where the embedding time went: tokenising, forward passes, pooling, one entry per batch', async () => {
    const pairs: Pair[] = ref.sentences.map((s, i) => ({
      id: String(i),
      premise: s,
      hypothesis: 'x',
      label: null,
    }));
    const summary = await service.embed(pairs, sentenceRecipe, 4, noProgress, {
      cache: false,
      batching: { maxBatchSize: 2, maxBatchTokens: 1 << 20 },
    });
    const timing = summary.timing!;
    // 5 distinct sentences plus the repeated "x": 6 sequences in batches of 2.
    expect(timing.batches).toBe(3);
    for (const part of [timing.tokenizeMs, timing.modelMs, timing.poolMs])
      expect(part).toBeGreaterThanOrEqual(0);
    expect(timing.modelMs).toBeGreaterThan(0);
    expect(timing.tokenizeMs + timing.modelMs + timing.poolMs).toBeLessThanOrEqual(summary.elapsedMs);
  });

  it('standard pair inputs equal the reference ids and token types', async () => {
    const pairs: Pair[] = ref.pairs.map(([p, h], i) => ({
      id: String(i),
      premise: p,
      hypothesis: h,
      label: null,
    }));
    await service.embed(pairs, presetRecipe('bert-as-service'), 3, noProgress);
    const [, length] = ref.pair_input_ids.dims as [number, number];
    for (let i = 0; i < pairs.length; i++) {
      const inputs = await service.getPairInputs(i);
      const seq = inputs!.sequences[0];
      const refIds = ref.pair_input_ids.data.slice(i * length, (i + 1) * length).filter((id) => id !== 0);
      // bert-as-service caps at 25 tokens; the second reference pair (26 tokens) is cut by one.
      expect(seq.ids.length).toBe(Math.min(refIds.length, 25));
      if (refIds.length <= 25) {
        expect(seq.ids).toEqual(refIds);
        const refTypes = ref.pair_token_type_ids.data.slice(i * length, i * length + refIds.length);
        expect(seq.typeIds).toEqual(refTypes);
      } else {
        expect(inputs!.truncated).toBe(true);
        expect(seq.ids.at(-1)).toBe(102);
      }
    }
  });

  it('never runs the same text twice for the same settings: repeats and earlier embeddings come from the cache', async () => {
    const pairs: Pair[] = [
      { id: 'a', premise: 'A man sings.', hypothesis: 'Someone sings.', label: null },
      { id: 'b', premise: 'A man sings.', hypothesis: 'Nobody sings.', label: null },
    ];
    const recipe = presetRecipe('sbert-nli');
    const first = await service.embed(pairs, recipe, 20, noProgress);
    expect(first.uniqueSequences).toBe(3);
    expect(first.cachedSequences).toBe(0);
    const before = (await service.getVectors())!.data;
    const again = await service.embed([...pairs].reverse(), recipe, 21, noProgress);
    expect(again.cachedSequences).toBe(3);
    const after = (await service.getVectors())!.data;
    expect(Array.from(after.subarray(0, after.length / 2))).toEqual(
      Array.from(before.subarray(before.length / 2)),
    );
    const other = await service.embed(pairs, { ...recipe, pooling: 'max' }, 22, noProgress);
    expect(other.cachedSequences).toBe(0);
    const uncached = await service.embed(pairs, recipe, 23, noProgress, { cache: false });
    expect(uncached.cachedSequences).toBe(0);
  });

  it('reports progress and can be cancelled between batches', async () => {
    const pairs: Pair[] = Array.from({ length: 400 }, (_, i) => ({
      id: String(i),
      premise: `Sentence number ${i} is about ${'cats '.repeat(i % 40)}`,
      hypothesis: `Another ${i}`,
      label: null,
    }));
    const seen: JobProgress[] = [];
    const job = service.embed(pairs, presetRecipe('origin'), 10, (p) => {
      seen.push(p);
      if (seen.length === 1) service.cancel(10);
    });
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen[0].stage).toBe('embed');
    // The service is usable after a cancel.
    const summary = await service.embed(pairs.slice(0, 3), presetRecipe('origin'), 11, noProgress);
    expect(summary.rows).toBe(3);
  });
});

describe('graph editing recovers the hidden layers of a last-layer-only export', () => {
  const service = new PairscopeService(createNodeRuntime(modelsDir()));
  const native = new PairscopeService(createNodeRuntime(modelsDir()));
  const ref = reference('tiny-random-bert');
  const pairs: Pair[] = [
    ...ref.pairs.map(([p, h], i) => ({ id: `p${i}`, premise: p, hypothesis: h, label: null })),
    { id: 's', premise: ref.sentences[0], hypothesis: ref.sentences[2], label: null },
  ];

  it('exposes layers 0..2 and matches tiny-random-bert for every layer × pooling × pair mode', async () => {
    const info = await load(service, 'tiny-random-bert-lastonly');
    expect(info.layerAccess).toBe('graph-edit');
    expect(info.availableLayers).toEqual([0, 1, 2]);
    await load(native, 'tiny-random-bert');
    let worst = 0;
    let jobId = 100;
    for (const pairMode of ['origin', 'standard', 'separate'] as const) {
      for (const pooling of ['mean', 'max', 'mean-max', 'first', 'last'] as const) {
        for (const layers of [[0], [1], [2], [-1], [-2], [-4, -3, -2, -1].slice(1)]) {
          const recipe: EmbeddingRecipe = {
            pairMode,
            layers,
            pooling,
            normalize: false,
            maxLength: null,
            sbertParts: { u: true, v: true, absDiff: true, product: true },
          };
          await service.embed(pairs, recipe, jobId++, noProgress);
          const a = (await service.getVectors())!;
          await native.embed(pairs, recipe, jobId++, noProgress);
          const b = (await native.getVectors())!;
          expect(a.dim).toBe(b.dim);
          worst = Math.max(worst, maxAbsDiff(a.data, b.data));
        }
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('pairscope-mini-nli reproduces its seed-recipe reference vector', () => {
  it('standard pair input, layer −2, masked mean, not normalised: within 1e-4', async () => {
    const service = new PairscopeService(createNodeRuntime(modelsDir()));
    const ref = reference('pairscope-mini-nli');
    const info = await load(service, 'pairscope-mini-nli');
    expect(info.numLayers).toBe(4);
    const pairs: Pair[] = ref.pairs.map(([p, h], i) => ({
      id: String(i),
      premise: p,
      hypothesis: h,
      label: null,
    }));
    const recipe: EmbeddingRecipe = { ...presetRecipe('bert-as-service'), maxLength: null };
    await service.embed(pairs, recipe, 1, noProgress);
    const vectors = (await service.getVectors())!;
    expect(maxAbsDiff(vectors.data, ref.pair_pooled_mean_layer_minus2!.data)).toBeLessThan(1e-4);
  });
});

describe('chunked embedding, imported and restored vectors', () => {
  const service = new PairscopeService(createNodeRuntime(modelsDir()));
  const recipe = presetRecipe('origin');
  const pairs: Pair[] = Array.from({ length: 9 }, (_, i) => ({
    id: String(i + 1),
    premise: `A person number ${i} crosses the ${i % 2 ? 'road' : 'river'}.`,
    hypothesis: `Someone moves ${i % 3 ? 'slowly' : 'quickly'}.`,
    label: i % 2 ? 'entailment' : 'neutral',
  }));
  beforeAll(async () => {
    await load(service, 'tiny-random-bert');
  });

  it('appending chunks gives the vectors, inputs and truncation of one run', async () => {
    const whole = await service.embed(pairs, recipe, 10, noProgress, { cache: false });
    const wholeVectors = await service.getVectors();
    const inputs5 = await service.getPairInputs(5);
    await service.embed(pairs.slice(0, 4), recipe, 11, noProgress, { cache: false });
    const appended = await service.embed(pairs.slice(4), recipe, 12, noProgress, {
      cache: false,
      append: true,
    });
    expect(appended.rows).toBe(whole.rows);
    expect(Array.from(appended.tokenCounts)).toEqual(Array.from(whole.tokenCounts));
    const chunked = await service.getVectors();
    expect(maxAbsDiff(chunked?.data ?? [], wholeVectors?.data ?? [])).toBeLessThan(1e-5);
    expect(await service.getPairInputs(5)).toEqual(inputs5);
    const tail = await service.getVectors(4);
    expect(tail?.rows).toBe(5);
    expect(Array.from(tail?.data ?? [])).toEqual(Array.from(chunked?.data.slice(4 * chunked.dim) ?? []));
  });

  it('refuses to append with another recipe', async () => {
    await service.embed(pairs.slice(0, 2), recipe, 13, noProgress);
    await expect(
      service.embed(pairs.slice(2), presetRecipe('sbert-nli'), 14, noProgress, { append: true }),
    ).rejects.toThrow(/other settings/);
  });

  it('imported vectors become the current embedding; a resumed job appends to them', async () => {
    const full = await service.embed(pairs, recipe, 15, noProgress, { cache: false });
    const all = await service.getVectors();
    if (!all) throw new Error('no vectors');
    const prefix = { data: all.data.slice(0, 3 * all.dim), rows: 3, dim: all.dim };
    const imported = await service.importVectors(pairs.slice(0, 3), prefix, {
      origin: 'restored',
      recipe: full.recipe,
      note: 'kept',
    });
    expect(imported).toMatchObject({ origin: 'restored', rows: 3, dim: all.dim, device: null });
    expect(await service.getPairInputs(0)).toBeNull();
    const resumed = await service.embed(pairs.slice(3), recipe, 16, noProgress, { append: true });
    expect(resumed.rows).toBe(pairs.length);
    const after = await service.getVectors();
    expect(maxAbsDiff(after?.data ?? [], all.data)).toBeLessThan(1e-5);
    // The map works on them; the layer probe needs every pair embedded here.
    const layout = await service.project(
      { ...DEFAULT_UMAP_OPTIONS, nNeighbors: 3, nEpochs: 20 },
      17,
      noProgress,
      () => undefined,
    );
    expect(layout.rows).toBe(pairs.length);
  });

  it('rejects vectors that do not fit the pairs, or are not finite', async () => {
    await expect(
      service.importVectors(
        pairs,
        { data: new Float32Array(8 * 4), rows: 8, dim: 4 },
        { origin: 'imported', recipe: null, note: 'f' },
      ),
    ).rejects.toThrow(/8 × 4 .* but there are 9 pairs/);
    const bad = new Float32Array(9 * 2).fill(1);
    bad[5] = Number.NaN;
    await expect(
      service.importVectors(
        pairs,
        { data: bad, rows: 9, dim: 2 },
        { origin: 'imported', recipe: null, note: 'f' },
      ),
    ).rejects.toThrow(/imported vectors/);
  });
});

describe('PairscopeService.prepareRuntime', () => {
  /** The Node runtime, counting its starts; `gpu` says whether a WebGPU adapter exists. */
  const counting = (gpu: boolean, fail = false) => {
    const calls = { prepare: 0 };
    const runtime = {
      ...createNodeRuntime(modelsDir()),
      webgpuAvailable: () => Promise.resolve(gpu),
      prepare: () => {
        calls.prepare++;
        return fail ? Promise.reject(new Error('no wasm')) : Promise.resolve();
      },
    };
    return { service: new PairscopeService(runtime), calls };
  };

  it('starts the CPU runtime once for wasm, and for auto only without a WebGPU adapter', async () => {
    const wasm = counting(true);
    await wasm.service.prepareRuntime('wasm');
    await wasm.service.prepareRuntime('wasm');
    expect(wasm.calls.prepare).toBe(1);
    const autoWithGpu = counting(true);
    await autoWithGpu.service.prepareRuntime('auto');
    expect(autoWithGpu.calls.prepare).toBe(0);
    const autoWithoutGpu = counting(false);
    await autoWithoutGpu.service.prepareRuntime('auto');
    expect(autoWithoutGpu.calls.prepare).toBe(1);
    const webgpu = counting(false);
    await webgpu.service.prepareRuntime('webgpu');
    expect(webgpu.calls.prepare).toBe(0);
  });

  it('leaves the start to a load that began first', async () => {
    const { service, calls } = counting(false);
    const loading = load(service, 'tiny-random-bert');
    await service.prepareRuntime('auto');
    await loading;
    expect(calls.prepare).toBe(0);
  });

  it('never fails, and a model still loads after a failed start', async () => {
    const { service, calls } = counting(false, true);
    await expect(service.prepareRuntime('wasm')).resolves.toBeUndefined();
    expect(calls.prepare).toBe(1);
    const info = await load(service, 'tiny-random-bert');
    expect(info.numLayers).toBe(2);
  });
});
