/**
 * Every layer × pooling × pair mode of the app's pipeline against an independent reference.
 *
 * How the reference is made (here, in the test): transformers.js's own tokenizer call gives the token ids
 * (`tokenizer(p, { text_pair: h })` for the standard pair, `tokenizer.encode(p + "[SEP]" + h,
 * { add_special_tokens: false })` for the origin text, `tokenizer(s)` per sentence); onnxruntime-node runs each
 * sequence alone (batch of 1, no padding) on the model's own `hidden_states.*` outputs; pooling is written
 * out naively below. The app's path instead uses its own encoder, length-bucketed padded batches and masked
 * pooling. The torch references in reference_outputs.json are checked in service.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pair } from '../../../src/core/pairs';
import type { EmbeddingRecipe, PairMode, Pooling } from '../../../src/core/recipe';
import { createNodeRuntime } from '../../../src/node/runtime-node';
import { PairscopeService } from '../../../src/worker/service';
import { modelsDir, sharedPath } from '../../shared-dir';

const noProgress = (): void => undefined;

function sickPairs(n: number): Pair[] {
  const lines = readFileSync(sharedPath('data', 'sick', 'test.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.slice(0, n).map((line, i) => {
    const row = JSON.parse(line) as { premise: string; hypothesis: string; label: string };
    return { id: `sick${i}`, premise: row.premise, hypothesis: row.hypothesis, label: row.label };
  });
}

const EDGE_PAIRS: Pair[] = [
  { id: 'empty-premise', premise: '', hypothesis: 'Only the hypothesis is here.', label: null },
  { id: 'oov', premise: 'Ünïcödé ☃ 東京 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and emoji 🙂', hypothesis: 'x', label: null },
  { id: 'whitespace', premise: '   ', hypothesis: '\t', label: null },
];

function naivePool(states: Float32Array, length: number, dim: number, pooling: Pooling): number[] {
  const mean = Array.from({ length: dim }, (_, d) => {
    let s = 0;
    for (let t = 0; t < length; t++) s += states[t * dim + d];
    return s / length;
  });
  const max = Array.from({ length: dim }, (_, d) => {
    let m = -Infinity;
    for (let t = 0; t < length; t++) m = Math.max(m, states[t * dim + d]);
    return m;
  });
  const token = (t: number) => Array.from(states.subarray(t * dim, (t + 1) * dim));
  switch (pooling) {
    case 'mean':
      return mean;
    case 'max':
      return max;
    case 'mean-max':
      return [...mean, ...max];
    case 'first':
      return token(0);
    case 'last':
      return token(length - 1);
  }
}

for (const modelId of ['tiny-random-bert', 'pairscope-mini-nli']) {
  describe(`${modelId}: every layer × pooling × pair mode equals the naive reference`, () => {
    const dir = modelsDir();
    const service = new PairscopeService(createNodeRuntime(dir));
    const pairs = [...sickPairs(6), ...EDGE_PAIRS];
    let tokenizer: PreTrainedTokenizer;
    let session: ort.InferenceSession;
    let numLayers = 0;
    let hidden = 0;
    const cache = new Map<string, Float32Array[]>();

    beforeAll(async () => {
      env.allowRemoteModels = false;
      env.localModelPath = dir + path.sep;
      tokenizer = await AutoTokenizer.from_pretrained(modelId);
      session = await ort.InferenceSession.create(path.join(dir, modelId, 'onnx', 'model.onnx'));
      const info = await service.loadModel(
        { source: { kind: 'server', id: modelId }, dtype: 'fp32', device: 'auto', threads: 2 },
        1,
        noProgress,
      );
      numLayers = info.numLayers;
      hidden = info.hidden;
    });

    /** All hidden states of one unpadded sequence, from the model's native outputs. */
    async function runAlone(ids: number[], types: number[]): Promise<Float32Array[]> {
      const key = `${ids.join()}|${types.join()}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const dims = [1, ids.length];
      const outputs = await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), dims),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
        token_type_ids: new ort.Tensor('int64', BigInt64Array.from(types.map(BigInt)), dims),
      });
      const layers = Array.from(
        { length: numLayers + 1 },
        (_, k) => outputs[`hidden_states.${k}`].data as Float32Array,
      );
      cache.set(key, layers);
      return layers;
    }

    function referenceSequences(pair: Pair, mode: PairMode): { ids: number[]; types: number[] }[] {
      const toNumbers = (t: { data: BigInt64Array }) => Array.from(t.data, Number);
      if (mode === 'origin') {
        const ids = tokenizer.encode(`${pair.premise}[SEP]${pair.hypothesis}`, { add_special_tokens: false });
        return [{ ids, types: ids.map(() => 0) }];
      }
      if (mode === 'standard') {
        const enc = tokenizer._call(pair.premise, {
          text_pair: pair.hypothesis,
          return_token_type_ids: true,
        }) as unknown as {
          input_ids: { data: BigInt64Array };
          token_type_ids: { data: BigInt64Array };
        };
        return [{ ids: toNumbers(enc.input_ids), types: toNumbers(enc.token_type_ids) }];
      }
      return [pair.premise, pair.hypothesis].map((s) => {
        const enc = tokenizer._call(s, { return_token_type_ids: true }) as unknown as {
          input_ids: { data: BigInt64Array };
          token_type_ids: { data: BigInt64Array };
        };
        return { ids: toNumbers(enc.input_ids), types: toNumbers(enc.token_type_ids) };
      });
    }

    it('matches within 1e-4 for all layers concatenated, each pooling, each pair mode', async () => {
      let worst = 0;
      let compared = 0;
      let jobId = 10;
      for (const pairMode of ['origin', 'standard', 'separate'] as const) {
        for (const pooling of ['mean', 'max', 'mean-max', 'first', 'last'] as const) {
          const layers = Array.from({ length: numLayers + 1 }, (_, k) => k);
          const recipe: EmbeddingRecipe = {
            pairMode,
            layers,
            pooling,
            normalize: false,
            maxLength: null,
            sbertParts: { u: true, v: true, absDiff: true, product: true },
          };
          await service.embed(pairs, recipe, jobId++, noProgress);
          const got = (await service.getVectors())!;
          const perLayer = pooling === 'mean-max' ? 2 * hidden : hidden;
          for (let i = 0; i < pairs.length; i++) {
            const sequences = referenceSequences(pairs[i], pairMode);
            const appInputs = (await service.getPairInputs(i))!;
            expect(appInputs.sequences.map((s) => s.ids)).toEqual(sequences.map((s) => s.ids));
            expect(appInputs.sequences.map((s) => s.typeIds)).toEqual(sequences.map((s) => s.types));
            const pooled: number[][] = [];
            for (const seq of sequences) {
              const states = await runAlone(seq.ids, seq.types);
              pooled.push(layers.flatMap((k) => naivePool(states[k], seq.ids.length, hidden, pooling)));
            }
            let expected: number[];
            if (pairMode === 'separate') {
              const [u, v] = pooled as [number[], number[]];
              expected = [...u, ...v, ...u.map((x, d) => Math.abs(x - v[d])), ...u.map((x, d) => x * v[d])];
            } else {
              expected = pooled[0]!;
            }
            expect(got.dim).toBe(expected.length);
            expect(expected.length).toBe((pairMode === 'separate' ? 4 : 1) * layers.length * perLayer);
            for (let d = 0; d < got.dim; d++) {
              worst = Math.max(worst, Math.abs(got.data[i * got.dim + d] - expected[d]));
            }
            compared++;
          }
        }
      }
      console.log(`${modelId}: ${compared} pair vectors compared, max abs diff ${worst.toExponential(2)}`);
      expect(compared).toBe(15 * pairs.length);
      expect(worst).toBeLessThan(1e-4);
    });

    it('a "[SEP]" typed in standard mode stays text', async () => {
      const typed: Pair[] = [{ id: 't', premise: 'left [SEP] right', hypothesis: 'h', label: null }];
      await service.embed(typed, { ...presetStandard(), maxLength: null }, 99, noProgress);
      const inputs = (await service.getPairInputs(0))!;
      expect(inputs.sequences[0].tokens).toEqual([
        '[CLS]',
        'left',
        '[',
        'sep',
        ']',
        'right',
        '[SEP]',
        'h',
        '[SEP]',
      ]);
    });

    it('a 5,000-word sentence is truncated, counted, and keeps its final [SEP]; an over-long request is clamped', async () => {
      const long: Pair[] = [
        {
          id: 'long',
          premise: Array.from({ length: 5000 }, (_, i) => `word${i % 50}`).join(' '),
          hypothesis: 'short',
          label: null,
        },
        { id: 'ok', premise: 'A short one.', hypothesis: 'Fine.', label: null },
      ];
      const summary = await service.embed(long, { ...presetStandard(), maxLength: 100_000 }, 100, noProgress);
      expect(summary.maxLength).toBe(512);
      expect(summary.maxLengthClamped).toBe(true);
      expect(summary.truncated).toEqual([0]);
      const inputs = (await service.getPairInputs(0))!;
      expect(inputs.sequences[0].ids).toHaveLength(512);
      expect(inputs.sequences[0].tokens.slice(-3)).toEqual(['[SEP]', 'short', '[SEP]']);
      const vectors = (await service.getVectors())!;
      expect(vectors.data.every(Number.isFinite)).toBe(true);
    });
  });
}

function presetStandard(): EmbeddingRecipe {
  return {
    pairMode: 'standard',
    layers: [-1],
    pooling: 'mean',
    normalize: false,
    maxLength: null,
    sbertParts: { u: false, v: false, absDiff: false, product: false },
  };
}
