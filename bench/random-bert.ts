/**
 * Generates a BERT encoder with seeded RANDOM weights as an ONNX graph of standard operators (opset 17:
 * Gather, Add, Mul, Div, Erf, MatMul, Reshape, Transpose, Softmax, LayerNormalization …) in transformers.js
 * layout, for benchmarks at a realistic size (MiniLM: 6 layers, hidden 384, 12 heads, intermediate 1536).
 * Its vectors mean nothing; only its shape and cost are real.
 *
 * Outputs, like the shared models: `last_hidden_state` and `hidden_states.0` (embedding LayerNorm) …
 * `hidden_states.N` (layer outputs), float32 `[batch_size, sequence_length, hidden]`, so the app's loader
 * finds every layer by name (`findHiddenStateTensors`, scheme 'graph-outputs').
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRandom, randomNormal } from '../src/core/random';
import type { NodeSpec, TensorSpec } from '../src/worker/onnx-writer';
import { DataType, writeOnnxModel } from '../src/worker/onnx-writer';

export interface RandomBertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  seed: number;
}

/** MiniLM-L6-H384 (all-MiniLM-L6-v2's shape) with bert-base-uncased's 30,522-token vocabulary. */
export const MINILM_SHAPE: RandomBertShape = {
  layers: 6,
  hidden: 384,
  heads: 12,
  intermediate: 1536,
  vocab: 30522,
  maxPositions: 512,
  typeVocab: 2,
  seed: 20261128,
};

/** Bumped whenever the graph or the files change, so a cached copy is rebuilt. */
const GENERATOR_VERSION = 1;

/** BERT's initialiser: N(0, 0.02²) for weights; LayerNorm γ = 1, β = 0; biases 0. */
const INIT_STD = 0.02;
const LAYER_NORM_EPS = 1e-12;
/** Added to masked attention scores (HF BERT uses the float minimum; −10⁴ is the classic value). */
const MASK_VALUE = -10000;

/** Builds the ONNX bytes of a random-weight BERT. */
export function randomBertOnnx(shape: RandomBertShape): Uint8Array {
  const { layers, hidden: H, heads, intermediate: I } = shape;
  if (H % heads !== 0) throw new RangeError(`hidden ${H} is not a multiple of heads ${heads}.`);
  const headDim = H / heads;
  const random = createRandom(shape.seed);
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const normal = (name: string, dims: number[]) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = randomNormal(random) * INIT_STD;
    initializers.push({ name, dims, data });
    return name;
  };
  const filled = (name: string, dims: number[], value: number) => {
    initializers.push({ name, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value) });
    return name;
  };
  const ints = (name: string, values: number[]) => {
    initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  };
  const scalar = (name: string, value: number) => {
    initializers.push({ name, dims: [], data: Float32Array.of(value) });
    return name;
  };
  const scalarInt = (name: string, value: number) => {
    initializers.push({ name, dims: [], data: BigInt64Array.of(BigInt(value)) });
    return name;
  };
  const node = (op: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op, inputs, outputs: [output], name: `/${output}/${op}`, attributes });
    return output;
  };
  const layerNorm = (x: string, prefix: string, output: string) =>
    node(
      'LayerNormalization',
      [x, filled(`${prefix}.weight`, [H], 1), filled(`${prefix}.bias`, [H], 0)],
      output,
      { axis: -1, epsilon: { float: LAYER_NORM_EPS } },
    );
  const linear = (x: string, prefix: string, inDim: number, outDim: number) =>
    node(
      'Add',
      [
        node('MatMul', [x, normal(`${prefix}.weight`, [inDim, outDim])], `${prefix}/matmul`),
        filled(`${prefix}.bias`, [outDim], 0),
      ],
      `${prefix}/out`,
    );

  // Embeddings: word + position (0 … S−1) + token type, then LayerNorm.
  const word = node(
    'Gather',
    [normal('embeddings.word_embeddings.weight', [shape.vocab, H]), 'input_ids'],
    'emb/word',
    { axis: 0 },
  );
  const inputShape = node('Shape', ['input_ids'], 'emb/shape');
  const seqLen = node('Gather', [inputShape, scalarInt('const.one_i', 1)], 'emb/seq_len', { axis: 0 });
  const positionIds = node(
    'Range',
    [scalarInt('const.zero_i', 0), seqLen, scalarInt('const.step_i', 1)],
    'emb/position_ids',
  );
  const position = node(
    'Gather',
    [normal('embeddings.position_embeddings.weight', [shape.maxPositions, H]), positionIds],
    'emb/position',
    { axis: 0 },
  );
  const tokenType = node(
    'Gather',
    [normal('embeddings.token_type_embeddings.weight', [shape.typeVocab, H]), 'token_type_ids'],
    'emb/token_type',
    { axis: 0 },
  );
  const summed = node('Add', [node('Add', [word, position], 'emb/word_position'), tokenType], 'emb/sum');
  let hiddenState = layerNorm(summed, 'embeddings.LayerNorm', 'hidden_states.0');

  // Additive attention mask [B, 1, 1, S]: 0 where attended, MASK_VALUE on padding.
  const maskFloat = node('Cast', ['attention_mask'], 'mask/float', { to: DataType.FLOAT });
  const inverted = node('Sub', [scalar('const.one_f', 1), maskFloat], 'mask/inverted');
  const additive = node('Mul', [inverted, scalar('const.mask_value', MASK_VALUE)], 'mask/additive');
  const mask = node('Unsqueeze', [additive, ints('const.axes_1_2', [1, 2])], 'mask/extended');

  const splitHeads = ints('const.split_heads', [0, 0, heads, headDim]);
  const mergeHeads = ints('const.merge_heads', [0, 0, H]);
  const scale = scalar('const.attention_scale', Math.sqrt(headDim));
  const sqrt2 = scalar('const.sqrt2', Math.SQRT2);
  const half = scalar('const.half', 0.5);
  const one = 'const.one_f';

  for (let l = 0; l < layers; l++) {
    const p = `encoder.layer.${l}`;
    const heads4 = (name: string, perm: number[]) =>
      node(
        'Transpose',
        [
          node(
            'Reshape',
            [linear(hiddenState, `${p}.attention.self.${name}`, H, H), splitHeads],
            `${p}/${name}/split`,
          ),
        ],
        `${p}/${name}/heads`,
        { perm },
      );
    const q = heads4('query', [0, 2, 1, 3]); // [B, heads, S, d]
    const k = heads4('key', [0, 2, 3, 1]); // [B, heads, d, S]
    const v = heads4('value', [0, 2, 1, 3]); // [B, heads, S, d]
    const scores = node(
      'Add',
      [node('Div', [node('MatMul', [q, k], `${p}/scores_raw`), scale], `${p}/scores_scaled`), mask],
      `${p}/scores`,
    );
    const probs = node('Softmax', [scores], `${p}/probs`, { axis: -1 });
    const context = node(
      'Reshape',
      [
        node('Transpose', [node('MatMul', [probs, v], `${p}/context_heads`)], `${p}/context_t`, {
          perm: [0, 2, 1, 3],
        }),
        mergeHeads,
      ],
      `${p}/context`,
    );
    const attention = linear(context, `${p}.attention.output.dense`, H, H);
    const attended = layerNorm(
      node('Add', [attention, hiddenState], `${p}/attention_residual`),
      `${p}.attention.output.LayerNorm`,
      `${p}/attention_out`,
    );
    // Exact (erf) GELU: x · 0.5 · (1 + erf(x / √2)).
    const up = linear(attended, `${p}.intermediate.dense`, H, I);
    const erf = node('Erf', [node('Div', [up, sqrt2], `${p}/gelu_div`)], `${p}/gelu_erf`);
    const gelu = node(
      'Mul',
      [node('Mul', [up, node('Add', [erf, one], `${p}/gelu_add`)], `${p}/gelu_mul`), half],
      `${p}/gelu`,
    );
    const down = linear(gelu, `${p}.output.dense`, I, H);
    hiddenState = layerNorm(
      node('Add', [down, attended], `${p}/output_residual`),
      `${p}.output.LayerNorm`,
      `hidden_states.${l + 1}`,
    );
  }
  node('Identity', [hiddenState], 'last_hidden_state');

  const io = (name: string, elemType: number, last?: number) => ({
    name,
    elemType,
    dims: last === undefined ? ['batch_size', 'sequence_length'] : ['batch_size', 'sequence_length', last],
  });
  return writeOnnxModel({
    name: 'random_bert',
    producer: 'pairscope-bench random-bert',
    opset: 17,
    nodes,
    initializers,
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => io(name, DataType.INT64)),
    outputs: [
      io('last_hidden_state', DataType.FLOAT, H),
      ...Array.from({ length: layers + 1 }, (_, k) => io(`hidden_states.${k}`, DataType.FLOAT, H)),
    ],
  });
}

/**
 * Writes a random-weight BERT folder (config.json, the tokenizer files of `tokenizerFrom`, onnx/model.onnx,
 * README.md saying it is random) to `dir`, unless a folder made by this generator version is there.
 */
export function ensureRandomBert(dir: string, shape: RandomBertShape, tokenizerFrom: string): void {
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, shape });
  const stampFile = path.join(dir, '.generator.json');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
    if (existsSync(path.join(tokenizerFrom, file)))
      copyFileSync(path.join(tokenizerFrom, file), path.join(dir, file));
  }
  const config = {
    _name_or_path: path.basename(dir),
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: shape.vocab,
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    hidden_act: 'gelu',
    max_position_embeddings: shape.maxPositions,
    type_vocab_size: shape.typeVocab,
    layer_norm_eps: LAYER_NORM_EPS,
    pad_token_id: 0,
    'transformers.js_config': { dtype: 'fp32' },
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), randomBertOnnx(shape));
  writeFileSync(
    path.join(dir, 'README.md'),
    `# ${path.basename(dir)}: RANDOM WEIGHTS (benchmark only)\n\nGenerated by bench/random-bert.ts (seed ${shape.seed}): BERT, ${shape.layers} layers, hidden ${shape.hidden}, ${shape.heads} heads, intermediate ${shape.intermediate}, vocabulary ${shape.vocab} (tokenizer copied from ${path.basename(tokenizerFrom)}). Weights are N(0, ${INIT_STD}²); its vectors mean nothing. Only its size and cost are real.\n`,
  );
  writeFileSync(stampFile, stamp);
}
