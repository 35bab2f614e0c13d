import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/errors';
import {
  addGraphOutputs,
  findHiddenStateTensors,
  readGraphSummary,
  type OnnxGraphSummary,
  type OnnxNodeSummary,
} from '../../../src/core/onnx-graph';

// The shared models live next to the repository. Missing models must fail the run, never skip it.
const MODELS = new URL('../../../../shared/models/', import.meta.url);
if (!existsSync(MODELS)) throw new Error(`Shared models not found at ${MODELS.pathname}: see the README.`);

function modelBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}/onnx/model.onnx`, MODELS)));
}

interface RefTensor {
  dims: number[];
  data: number[];
}
interface Reference {
  input_ids: RefTensor;
  attention_mask: RefTensor;
  token_type_ids: RefTensor;
  pair_input_ids: RefTensor;
  pair_token_type_ids: RefTensor;
  last_hidden_state: RefTensor;
}
const reference = JSON.parse(
  readFileSync(new URL('tiny-random-bert/reference_outputs.json', MODELS), 'utf8'),
) as Reference;

function int64(t: RefTensor): ort.Tensor {
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(t.data, (v) => BigInt(v)),
    t.dims,
  );
}

const sentenceFeeds = {
  input_ids: int64(reference.input_ids),
  attention_mask: int64(reference.attention_mask),
  token_type_ids: int64(reference.token_type_ids),
};
const pairFeeds = {
  input_ids: int64(reference.pair_input_ids),
  attention_mask: int64({
    dims: reference.pair_input_ids.dims,
    data: reference.pair_input_ids.data.map((id) => (id !== 0 ? 1 : 0)),
  }),
  token_type_ids: int64(reference.pair_token_type_ids),
};

function maxAbsDiff(a: ort.Tensor | undefined, b: ort.Tensor | RefTensor | undefined): number {
  if (a === undefined || b === undefined) throw new Error('missing tensor');
  expect(a.dims).toEqual(b.dims);
  const x = a.data as Float32Array;
  const y = b.data as ArrayLike<number>;
  expect(x.length).toBe(y.length);
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  return max;
}

// A tiny protobuf encoder, independent of the module under test, to build synthetic models.
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
function len(num: number, payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return cat(varint(num * 8 + 2), varint(bytes.length), bytes);
}
function int(num: number, value: number): Uint8Array {
  return cat(varint(num * 8), varint(value));
}
function valueInfo(name: string): Uint8Array {
  return cat(len(1, name), len(2, len(1, int(1, 1))));
}

/**
 * ModelProto with one Identity node x → y, an initializer `w` (raw data or external data), metadata after
 * the graph; returns the parts so tests can check what is copied verbatim.
 */
function syntheticModel(initializer: Uint8Array): {
  bytes: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
} {
  const node = cat(len(1, 'x'), len(2, 'y'), len(3, 'id'), len(4, 'Identity'));
  const graph = cat(
    len(1, node),
    len(2, 'g'),
    len(5, initializer),
    len(11, valueInfo('x')),
    len(11, valueInfo('w')),
    len(12, valueInfo('y')),
  );
  const before = cat(int(1, 8), len(2, 'test'), len(8, cat(len(1, ''), int(2, 17))));
  const after = len(14, cat(len(1, 'key'), len(2, 'value')));
  return { bytes: cat(before, len(7, graph), after), before, after };
}

function node(name: string, opType: string, outputs: string[] = [`${name}_output_0`]): OnnxNodeSummary {
  return { name, opType, outputs };
}

/** Decomposed LayerNorm as torch.onnx writes it, with the Constant nodes it emits inline. */
function decomposedLayerNorm(path: string, result?: string): OnnxNodeSummary[] {
  const ops = ['ReduceMean', 'Sub', 'Constant', 'Pow', 'ReduceMean', 'Constant', 'Add', 'Sqrt', 'Div', 'Mul'];
  const nodes = ops.map((op, i) => node(`${path}/${op}${i > 3 ? `_${i}` : ''}`, op));
  return [...nodes, node(`${path}/Add_1`, 'Add', result === undefined ? undefined : [result])];
}

describe('readGraphSummary', () => {
  it('lists the native hidden_states outputs of tiny-random-bert', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert'));
    expect(summary.inputs).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(summary.outputs).toEqual([
      'last_hidden_state',
      'hidden_states.0',
      'hidden_states.1',
      'hidden_states.2',
    ]);
    expect(summary.nodes).toHaveLength(272);
    expect(summary.opsetVersion).toBe(14);
  });

  it('lists only last_hidden_state for tiny-random-bert-lastonly', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert-lastonly'));
    expect(summary.inputs).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(summary.outputs).toEqual(['last_hidden_state']);
    expect(summary.nodes).toHaveLength(271); // PROVENANCE: 271 nodes
    expect(summary.nodes).toContainEqual({
      name: '/encoder/layer.1/output/LayerNorm/Add_1',
      opType: 'Add',
      outputs: ['last_hidden_state'],
    });
  });

  it('reads a synthetic model, leaving initializers out of the inputs', () => {
    const init = cat(int(1, 2), int(2, 1), len(8, 'w'), len(9, new Uint8Array(8)));
    expect(readGraphSummary(syntheticModel(init).bytes)).toEqual({
      inputs: ['x'],
      outputs: ['y'],
      nodes: [{ name: 'id', opType: 'Identity', outputs: ['y'] }],
      opsetVersion: 17,
    });
  });
});

describe('findHiddenStateTensors', () => {
  it('uses native outputs hidden_states.0..N (scheme graph-outputs)', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert'));
    expect(findHiddenStateTensors(summary, 2)).toEqual({
      tensors: ['hidden_states.0', 'hidden_states.1', 'hidden_states.2'],
      scheme: 'graph-outputs',
    });
  });

  it('finds exactly the internal tensors listed in the -lastonly PROVENANCE table', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert-lastonly'));
    expect(findHiddenStateTensors(summary, 2)).toEqual({
      tensors: [
        '/embeddings/LayerNorm/Add_1_output_0',
        '/encoder/layer.0/output/LayerNorm/Add_1_output_0',
        'last_hidden_state',
      ],
      scheme: 'module-path',
    });
  });

  it('falls back to node names without the /encoder segment and when only some outputs exist', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert'));
    const partial = { ...summary, outputs: ['last_hidden_state', 'hidden_states.0', 'hidden_states.1'] };
    expect(findHiddenStateTensors(partial, 2)).toEqual({
      tensors: ['hidden_states.0', 'hidden_states.1', 'last_hidden_state'],
      scheme: 'module-path',
    });
  });

  it('returns null when the layer count disagrees with the graph', () => {
    const summary = readGraphSummary(modelBytes('tiny-random-bert-lastonly'));
    expect(findHiddenStateTensors(summary, 1)).toBeNull();
    expect(findHiddenStateTensors(summary, 3)).toBeNull();
  });

  it('returns null for unrecognisable node names', () => {
    const summary: OnnxGraphSummary = {
      inputs: ['input_ids'],
      outputs: ['last_hidden_state'],
      nodes: [node('Gather_0', 'Gather'), node('Add_12', 'Add'), node('LayerNorm_3', 'LayerNormalization')],
    };
    expect(findHiddenStateTensors(summary, 2)).toBeNull();
    expect(findHiddenStateTensors({ inputs: [], outputs: [], nodes: [] }, 1)).toBeNull();
  });

  it('returns null when two models share the graph (ambiguous prefix)', () => {
    const summary: OnnxGraphSummary = {
      inputs: [],
      outputs: [],
      nodes: [
        ...decomposedLayerNorm('/a/embeddings/LayerNorm'),
        ...decomposedLayerNorm('/a/encoder/layer.0/output/LayerNorm'),
        ...decomposedLayerNorm('/b/embeddings/LayerNorm'),
        ...decomposedLayerNorm('/b/encoder/layer.0/output/LayerNorm'),
      ],
    };
    expect(findHiddenStateTensors(summary, 1)).toBeNull();
  });

  it('handles fused LayerNormalization (opset >= 17) under a /bert prefix', () => {
    const ln = (path: string, out?: string): OnnxNodeSummary =>
      node(`${path}/LayerNorm/LayerNormalization`, 'LayerNormalization', [
        out ?? `${path}/LayerNorm/LayerNormalization_output_0`,
      ]);
    const summary: OnnxGraphSummary = {
      inputs: ['input_ids', 'attention_mask'],
      outputs: ['last_hidden_state'],
      nodes: [
        node('/bert/embeddings/word_embeddings/Gather', 'Gather'),
        ln('/bert/embeddings'),
        node('/bert/encoder/layer.0/attention/self/query/MatMul', 'MatMul'),
        ln('/bert/encoder/layer.0/attention/output'),
        ln('/bert/encoder/layer.0/output'),
        ln('/bert/encoder/layer.1/attention/output'),
        ln('/bert/encoder/layer.1/output'),
        ln('/bert/encoder/layer.2/attention/output'),
        ln('/bert/encoder/layer.2/output', 'last_hidden_state'),
        node('/classifier/Gemm', 'Gemm', ['logits']),
      ],
    };
    expect(findHiddenStateTensors(summary, 3)).toEqual({
      tensors: [
        '/bert/embeddings/LayerNorm/LayerNormalization_output_0',
        '/bert/encoder/layer.0/output/LayerNorm/LayerNormalization_output_0',
        '/bert/encoder/layer.1/output/LayerNorm/LayerNormalization_output_0',
        'last_hidden_state',
      ],
      scheme: 'module-path',
    });
  });

  it('handles a decomposed LayerNorm under a /roberta prefix, layers out of numeric order', () => {
    const summary: OnnxGraphSummary = {
      inputs: [],
      outputs: ['last_hidden_state'],
      nodes: [
        ...decomposedLayerNorm('/roberta/embeddings/LayerNorm'),
        ...decomposedLayerNorm('/roberta/encoder/layer.0/output/LayerNorm'),
        ...decomposedLayerNorm('/roberta/encoder/layer.1/output/LayerNorm'),
        ...decomposedLayerNorm('/roberta/encoder/layer.10/output/LayerNorm'),
        ...Array.from({ length: 8 }, (_, i) =>
          decomposedLayerNorm(`/roberta/encoder/layer.${i + 2}/output/LayerNorm`),
        ).flat(),
        ...decomposedLayerNorm('/roberta/encoder/layer.11/output/LayerNorm', 'last_hidden_state'),
        node('/roberta/encoder/layer.11/output/LayerNorm/Constant_9', 'Constant'),
      ],
    };
    const found = findHiddenStateTensors(summary, 12);
    expect(found?.tensors).toHaveLength(13);
    expect(found?.tensors[0]).toBe('/roberta/embeddings/LayerNorm/Add_1_output_0');
    expect(found?.tensors[11]).toBe('/roberta/encoder/layer.10/output/LayerNorm/Add_1_output_0');
    expect(found?.tensors[12]).toBe('last_hidden_state');
  });

  it('handles DistilBERT names (transformer/layer.k/output_layer_norm)', () => {
    const summary: OnnxGraphSummary = {
      inputs: [],
      outputs: ['last_hidden_state'],
      nodes: [
        ...decomposedLayerNorm('/embeddings/LayerNorm'),
        ...decomposedLayerNorm('/transformer/layer.0/sa_layer_norm'),
        ...decomposedLayerNorm('/transformer/layer.0/output_layer_norm'),
        ...decomposedLayerNorm('/transformer/layer.1/sa_layer_norm'),
        ...decomposedLayerNorm('/transformer/layer.1/output_layer_norm', 'last_hidden_state'),
      ],
    };
    expect(findHiddenStateTensors(summary, 2)?.tensors).toEqual([
      '/embeddings/LayerNorm/Add_1_output_0',
      '/transformer/layer.0/output_layer_norm/Add_1_output_0',
      'last_hidden_state',
    ]);
  });

  it('rejects a layer count that is not a positive integer', () => {
    const summary: OnnxGraphSummary = { inputs: [], outputs: [], nodes: [] };
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => findHiddenStateTensors(summary, n)).toThrow(ModelError);
    }
  });
});

describe('addGraphOutputs', () => {
  it('copies everything but the graph verbatim and appends outputs once (raw initializer data)', () => {
    const raw = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const init = cat(int(1, 250), int(2, 1), len(8, 'w'), len(9, raw));
    const { bytes, before, after } = syntheticModel(init);
    const copy = bytes.slice();
    const out = addGraphOutputs(bytes, [
      { name: 'x' },
      { name: 'y' },
      { name: 'x' },
      { name: 'w', dims: [250] },
    ]);
    expect(bytes).toEqual(copy); // input untouched
    expect(out.subarray(0, before.length)).toEqual(before);
    expect(out.subarray(out.length - after.length)).toEqual(after);
    expect(readGraphSummary(out).outputs).toEqual(['y', 'x', 'w']);
    // The 1000 initializer bytes are still there, unchanged.
    expect(Buffer.from(out).indexOf(Buffer.from(raw))).toBeGreaterThan(0);
  });

  it('passes external-data initializers through untouched', () => {
    const ext = (k: string, v: string): Uint8Array => len(13, cat(len(1, k), len(2, v)));
    const init = cat(
      int(1, 4),
      int(2, 1),
      len(8, 'w'),
      ext('location', 'model.onnx_data'),
      ext('offset', '0'),
      int(14, 1),
    );
    const { bytes } = syntheticModel(init);
    const out = addGraphOutputs(bytes, [{ name: 'x' }]);
    expect(Buffer.from(out).indexOf(Buffer.from(init))).toBeGreaterThan(0);
    expect(readGraphSummary(out)).toMatchObject({ inputs: ['x'], outputs: ['y', 'x'] });
  });

  it('handles a graph longer than 2^28 bytes (5-byte length varint)', () => {
    // Built in one allocation: the raw data stays as untouched zero pages, because copying 256 MB of fresh
    // memory is slow on some CI machines; the module itself never reads those bytes.
    const rawLength = 2 ** 28 + 17;
    const node = len(1, cat(len(1, 'x'), len(2, 'y'), len(4, 'Identity')));
    const rawHeader = cat(len(8, 'w'), int(2, 1), varint(9 * 8 + 2), varint(rawLength));
    const initHeader = cat(varint(5 * 8 + 2), varint(rawHeader.length + rawLength), rawHeader);
    const tail = cat(len(11, valueInfo('x')), len(12, valueInfo('y')));
    const graphLength = node.length + initHeader.length + rawLength + tail.length;
    const head = cat(int(1, 8), varint(7 * 8 + 2), varint(graphLength), node, initHeader);
    const after = len(14, cat(len(1, 'k'), len(2, 'v')));
    const bytes = new Uint8Array(head.length + rawLength + tail.length + after.length);
    bytes.set(head, 0);
    bytes.set(tail, head.length + rawLength);
    bytes.set(after, bytes.length - after.length);
    expect(varint(graphLength)).toHaveLength(5);

    expect(readGraphSummary(bytes)).toMatchObject({ inputs: ['x'], outputs: ['y'] });
    const out = addGraphOutputs(bytes, [{ name: 'x', dims: ['batch_size', 2 ** 40] }]);
    expect(readGraphSummary(out).outputs).toEqual(['y', 'x']);
    expect(out.subarray(out.length - after.length)).toEqual(after);
  });

  it('rejects a tensor the graph does not have, and invalid specs', () => {
    const bytes = modelBytes('tiny-random-bert-lastonly');
    expect(() =>
      addGraphOutputs(bytes, [{ name: '/encoder/layer.9/output/LayerNorm/Add_1_output_0' }]),
    ).toThrow(/no node of the ONNX graph produces/);
    expect(() => addGraphOutputs(bytes, [{ name: 'last_hidden_state', dims: [-1] }])).not.toThrow(); // skipped
    expect(() =>
      addGraphOutputs(bytes, [{ name: '/embeddings/LayerNorm/Add_1_output_0', dims: [-1] }]),
    ).toThrow(RangeError);
    expect(() =>
      addGraphOutputs(bytes, [{ name: '/embeddings/LayerNorm/Add_1_output_0', typeFrom: 'nope' }]),
    ).toThrow(/declares no type/);
  });

  it('is a no-op for outputs that pairscope-mini-nli already has', async () => {
    const bytes = modelBytes('pairscope-mini-nli');
    const summary = readGraphSummary(bytes);
    const found = findHiddenStateTensors(summary, 4);
    expect(found?.scheme).toBe('graph-outputs');
    const out = addGraphOutputs(bytes, found?.tensors.map((name) => ({ name })) ?? []);
    expect(out).toBe(bytes);
    const session = await ort.InferenceSession.create(out);
    expect(session.outputNames).toEqual(summary.outputs);
    const result = await session.run(pairFeeds);
    expect(maxAbsDiff(result['hidden_states.4'], result.last_hidden_state)).toBe(0);
    await session.release();
  });
});

describe('surgery end to end (onnxruntime-node)', () => {
  const lastOnly = modelBytes('tiny-random-bert-lastonly');
  const native = modelBytes('tiny-random-bert');
  const found = findHiddenStateTensors(readGraphSummary(lastOnly), 2);
  if (found === null) throw new Error('lastonly layers not found');
  const tensors = found.tensors;

  async function compare(
    surgery: Uint8Array,
    level: 'all' | 'disabled',
    feeds: Record<string, ort.Tensor>,
  ): Promise<{ hidden: number[]; last: ort.Tensor | undefined }> {
    const a = await ort.InferenceSession.create(surgery, { graphOptimizationLevel: level });
    const b = await ort.InferenceSession.create(native, { graphOptimizationLevel: level });
    expect(a.outputNames).toEqual(['last_hidden_state', ...tensors.slice(0, 2)]);
    const ra = await a.run(feeds);
    const rb = await b.run(feeds);
    const hidden = tensors.map((name, k) => maxAbsDiff(ra[name], rb[`hidden_states.${k}`]));
    await Promise.all([a.release(), b.release()]);
    return { hidden, last: ra.last_hidden_state };
  }

  for (const level of ['all', 'disabled'] as const) {
    it(`typed like last_hidden_state: bit-identical to tiny-random-bert (optimisation ${level})`, async () => {
      const surgery = addGraphOutputs(
        lastOnly,
        tensors.map((name) => ({ name, typeFrom: 'last_hidden_state' })),
      );
      const sentences = await compare(surgery, level, sentenceFeeds);
      expect(sentences.hidden).toEqual([0, 0, 0]);
      expect(maxAbsDiff(sentences.last, reference.last_hidden_state)).toBeLessThanOrEqual(1e-5);
      expect((await compare(surgery, level, pairFeeds)).hidden).toEqual([0, 0, 0]);
    });
  }

  it('without a declared shape: accepted; equal when unoptimised, within 1e-6 when optimised', async () => {
    const surgery = addGraphOutputs(
      lastOnly,
      tensors.map((name) => ({ name })),
    );
    expect((await compare(surgery, 'disabled', sentenceFeeds)).hidden).toEqual([0, 0, 0]);
    for (const feeds of [sentenceFeeds, pairFeeds]) {
      const { hidden, last } = await compare(surgery, 'all', feeds);
      for (const d of hidden) expect(d).toBeLessThanOrEqual(1e-6);
      if (feeds === sentenceFeeds)
        expect(maxAbsDiff(last, reference.last_hidden_state)).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('malformed bytes', () => {
  const expectModelError = (bytes: Uint8Array, pattern: RegExp): void => {
    let error: unknown;
    try {
      readGraphSummary(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('model.format');
    expect((error as ModelError).message).toMatch(/^Not an ONNX model: /);
    expect((error as ModelError).message).toMatch(pattern);
    expect(() => addGraphOutputs(bytes, [{ name: 'x' }])).toThrow(ModelError);
  };

  it('rejects empty bytes', () => {
    expectModelError(new Uint8Array(0), /the file is empty/);
  });

  it('rejects an HTML page served in place of the model, saying it looks like text', () => {
    const html = new TextEncoder().encode('<!doctype html><html><head><title>Vite</title></head></html>');
    expectModelError(html, /wire type .*looks like text \("<!doctype html>/);
  });

  it('rejects a truncated model', () => {
    expectModelError(
      modelBytes('tiny-random-bert-lastonly').subarray(0, 4096),
      /claims \d+ bytes but only \d+ remain/,
    );
  });

  it('rejects a protobuf without a graph and a graph field of the wrong wire type', () => {
    expectModelError(Uint8Array.from([0x08, 0x07]), /no graph \(ModelProto field 7\)/);
    expectModelError(Uint8Array.from([0x08, 0x07, 0x38, 0x01]), /field 7 of ModelProto has wire type 0/);
  });

  it('rejects garbage inside the graph and an unterminated varint', () => {
    expectModelError(cat(len(7, len(1, Uint8Array.from([0x0b, 0x00])))), /wire type 3/);
    expectModelError(Uint8Array.from([0x08, 0xff, 0xff]), /truncated varint/);
    expectModelError(
      Uint8Array.from([0x08, ...new Array<number>(11).fill(0xff), 0x01]),
      /longer than 10 bytes/,
    );
  });
});
