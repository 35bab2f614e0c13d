/**
 * Loading an encoder: config, tokenizer (transformers.js), ONNX bytes (edited to expose hidden layers when the
 * export hides them), and an inference session on the best device that works. The runtime is injected, so
 * this runs with ONNX Runtime Web in the worker and onnxruntime-node in tests and the `eval` command.
 */
import * as transformers from '@huggingface/transformers';
import type { TextTokenizer } from '../core/encode';
import type { EncoderModel } from '../core/embed';
import { ModelError } from '../core/errors';
import {
  createJapaneseBertTokenizer,
  japaneseTokenizerKind,
  parseVocab,
  type WordSegmenter,
} from '../core/ja-tokenizer';
import { loadIpadicSegmenter, type IpadicFileReader } from './ipadic';
import { addGraphOutputs, findHiddenStateTensors, readGraphSummary } from '../core/onnx-graph';
import type { FileReader } from './model-files';
import { ONNX_FILE_BY_DTYPE, sourceLabel } from './model-files';
import type { LayerAccess, LoadModelOptions, ModelInfo, ProgressCallback, WasmBuild } from './protocol';

/** int64 input tensor in plain form; the runtime wraps it in its own Tensor class. */
export interface Int64Input {
  data: BigInt64Array;
  dims: number[];
}

/** The slice of an ONNX Runtime session Pairscope uses (same shape in onnxruntime-web and -node). */
export interface SessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, Int64Input>, fetches: string[]): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

export type Device = ModelInfo['device'];

/** What differs between the browser worker and Node. */
export interface EncoderRuntime {
  readFile: FileReader;
  /** `wasmBuild` picks the ONNX Runtime Web build for the WASM device (see LoadModelOptions). */
  createSession(
    bytes: Uint8Array,
    device: Device,
    threads: number,
    wasmBuild?: WasmBuild,
  ): Promise<SessionLike>;
  /** True when a WebGPU adapter exists. */
  webgpuAvailable(): Promise<boolean>;
  /**
   * Starts the CPU runtime ahead of the first model (the browser's ONNX Runtime wasm and its threads, with
   * {@link maxThreads}), so that a later load only reads the model. Optional; Node has nothing to start.
   */
  prepare?(): Promise<void>;
  /** The CPU device: 'wasm' in browsers, 'cpu' (native) in Node. */
  cpuDevice: Device;
  /** Cores available for threads. */
  maxThreads: number;
  /**
   * Reads kuromoji's IPADIC dictionary files, for Japanese BERT models (`BertJapaneseTokenizer` with MeCab).
   * Absent: such models are refused with a clear message.
   */
  readIpadicFile?: IpadicFileReader;
}

export interface LoadedEncoder {
  tokenizer: TextTokenizer;
  /** Token strings of ids, for display. */
  idsToTokens: (ids: number[]) => string[];
  model: EncoderModel;
  info: ModelInfo;
  session: SessionLike;
}

/** Model types whose ONNX exports take input_ids / attention_mask (/ token_type_ids) and give hidden states. */
const ENCODER_TYPES = new Set([
  'bert',
  'roberta',
  'xlm-roberta',
  'camembert',
  'distilbert',
  'electra',
  'albert',
  'mpnet',
  'deberta',
  'deberta-v2',
  'ernie',
  'modernbert',
  'nomic_bert',
  'mobilebert',
  'squeezebert',
  'megatron-bert',
  'luke',
  'xlm',
  'esm',
]);

interface EncoderConfig {
  model_type?: string;
  num_hidden_layers?: number;
  n_layers?: number;
  hidden_size?: number;
  dim?: number;
  max_position_embeddings?: number;
  vocab_size?: number;
}

function parseJson<T>(bytes: Uint8Array, path: string, label: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (error) {
    throw new ModelError(
      'model.file-missing',
      `${path} of ${label} is not valid JSON (${(error as Error).message}). Re-download or re-export the model.`,
    );
  }
}

/** Loads everything; reports per-file byte progress as `download` and session creation as `load`. */
export async function loadEncoder(
  runtime: EncoderRuntime,
  options: LoadModelOptions,
  onProgress: ProgressCallback,
  shouldStop: () => void = () => undefined,
): Promise<LoadedEncoder> {
  const started = performance.now();
  const label = sourceLabel(options.source);
  const files: { path: string; bytes: number }[] = [];
  const read = async (path: string): Promise<Uint8Array> => {
    shouldStop();
    const bytes = await runtime.readFile(options.source, path, (loaded, total) =>
      onProgress({ stage: 'download', done: loaded, total, detail: path }),
    );
    files.push({ path, bytes: bytes.byteLength });
    shouldStop();
    return bytes;
  };

  const config = parseJson<EncoderConfig>(await read('config.json'), 'config.json', label);
  const modelType = config.model_type ?? 'unknown';
  if (!ENCODER_TYPES.has(modelType)) {
    throw new ModelError(
      'model.architecture',
      `${label} is a "${modelType}" model, not a BERT-family encoder. Pairscope embeds with encoders such as bert, roberta, distilbert, electra, mpnet or xlm-roberta.`,
    );
  }
  const numLayers = config.num_hidden_layers ?? config.n_layers;
  const hidden = config.hidden_size ?? config.dim;
  if (!numLayers || !hidden) {
    throw new ModelError(
      'model.architecture',
      `config.json of ${label} gives no layer count or hidden size (num_hidden_layers / hidden_size).`,
    );
  }

  const tokenizerConfig = parseJson<Record<string, unknown>>(
    await read('tokenizer_config.json'),
    'tokenizer_config.json',
    label,
  );
  const japanese = japaneseTokenizerKind(tokenizerConfig, config as Record<string, unknown>, label);
  let tokenizer: LoaderTokenizer;
  if (japanese) {
    if (!runtime.readIpadicFile) {
      throw new ModelError(
        'model.tokenizer',
        `${label} needs the IPADIC dictionary for its Japanese tokenizer, which this runtime cannot read.`,
      );
    }
    const vocab = parseVocab(new TextDecoder().decode(await read('vocab.txt')));
    const segmenter = await ipadicSegmenter(runtime.readIpadicFile, (p) =>
      onProgress({
        stage: 'download',
        done: p.loaded,
        total: p.total,
        detail: `IPADIC dictionary ${p.file} (${p.fileIndex + 1} of ${p.files})`,
      }),
    );
    shouldStop();
    const ja = createJapaneseBertTokenizer(
      vocab,
      segmenter,
      label,
      japanese === 'mecab-ipadic-character' ? 'character' : 'wordpiece',
    );
    tokenizer = {
      text: ja,
      vocabSize: ja.vocabSize,
      idsToTokens: (ids) => ja.idsToTokens(ids),
      kind: 'BertJapaneseTokenizer (kuromoji IPADIC, MeCab rules)',
    };
  } else {
    const tokenizerJson = parseJson<object>(await read('tokenizer.json'), 'tokenizer.json', label);
    tokenizer = createTokenizer(tokenizerJson, tokenizerConfig, label);
  }

  const onnxPath = ONNX_FILE_BY_DTYPE[options.dtype];
  let onnx: Uint8Array;
  try {
    onnx = await read(onnxPath);
  } catch (error) {
    // The cl-tohoku repositories on the Hub hold PyTorch/TF weights only: say how to get an ONNX file.
    if (japanese && error instanceof ModelError && error.code === 'model.file-missing') {
      throw new ModelError(
        'model.file-missing',
        `${error.message} ${label} has a Japanese tokenizer Pairscope runs, but no ONNX export: export it to ONNX (README, "Japanese models") and load the folder as a local model.`,
      );
    }
    throw error;
  }
  onProgress({ stage: 'load', done: 0, total: 1, detail: 'Preparing the graph' });

  const summary = readGraphSummary(onnx);
  const missingInputs = ['input_ids', 'attention_mask'].filter((name) => !summary.inputs.includes(name));
  if (missingInputs.length > 0) {
    throw new ModelError(
      'model.architecture',
      `${onnxPath} of ${label} has inputs [${summary.inputs.join(', ')}]; an encoder needs ${missingInputs.join(' and ')}.`,
    );
  }
  const lastName = summary.outputs.includes('last_hidden_state') ? 'last_hidden_state' : summary.outputs[0];
  if (!lastName) throw new ModelError('model.architecture', `${onnxPath} of ${label} has no outputs.`);

  let layerOutputs: (string | null)[];
  let layerAccess: LayerAccess;
  let layerNote: string | null = null;
  const found = findHiddenStateTensors(summary, numLayers);
  if (found && found.tensors.every((name) => summary.outputs.includes(name))) {
    layerOutputs = found.tensors;
    layerAccess = 'native';
  } else if (found) {
    onnx = addGraphOutputs(
      onnx,
      found.tensors
        .filter((name) => !summary.outputs.includes(name))
        .map((name) => ({ name, typeFrom: lastName })),
    );
    layerOutputs = found.tensors;
    layerAccess = 'graph-edit';
    layerNote = `Hidden layers exposed by editing the graph (${found.scheme} naming).`;
  } else {
    layerOutputs = Array.from({ length: numLayers + 1 }, (_, k) => (k === numLayers ? lastName : null));
    layerAccess = 'last-only';
    layerNote = `This graph's hidden layers could not be identified (outputs: ${summary.outputs.join(', ')}); only the last layer is available.`;
  }
  shouldStop();

  const threads = Math.max(1, Math.min(options.threads ?? runtime.maxThreads, runtime.maxThreads));
  let device: Device = runtime.cpuDevice;
  let deviceNote: string | null = null;
  const wantsGpu = options.device === 'webgpu' || options.device === 'auto';
  if (wantsGpu && runtime.cpuDevice === 'wasm') {
    if (await runtime.webgpuAvailable()) device = 'webgpu';
    else if (options.device === 'webgpu') deviceNote = 'No WebGPU adapter in this browser; running on WASM.';
  }
  const maxLength = modelMaxLength(config, tokenizerConfig);
  const create = async (target: Device): Promise<SessionLike> => {
    const session = await runtime.createSession(onnx, target, threads, options.wasmBuild);
    await warmUp(session, tokenizer);
    return session;
  };
  let session: SessionLike;
  try {
    session = await create(device);
  } catch (error) {
    if (device !== 'webgpu') throw sessionError(error, onnxPath, label);
    deviceNote = `WebGPU failed (${(error as Error).message.slice(0, 200)}); fell back to WASM.`;
    device = runtime.cpuDevice;
    try {
      session = await create(device);
    } catch (second) {
      throw sessionError(second, onnxPath, label);
    }
  }
  onProgress({ stage: 'load', done: 1, total: 1 });

  const vocab = tokenizer.vocabSize;
  const model: EncoderModel = {
    numLayers,
    hidden,
    maxLength,
    layerOutputs,
    run: (batch, outputNames) => {
      const dims = [batch.rows, batch.length];
      const feeds: Record<string, Int64Input> = {
        input_ids: { data: batch.inputIds, dims },
        attention_mask: { data: batch.attentionMask, dims },
      };
      if (session.inputNames.includes('token_type_ids')) {
        feeds.token_type_ids = { data: batch.tokenTypeIds, dims };
      }
      return session.run(feeds, outputNames);
    },
  };
  const info: ModelInfo = {
    label,
    modelType,
    tokenizer: tokenizer.kind,
    numLayers,
    hidden,
    maxLength,
    vocabSize: config.vocab_size ?? vocab,
    dtype: options.dtype,
    device,
    threads: device === 'webgpu' ? 1 : threads,
    deviceNote,
    layerAccess,
    availableLayers: layerOutputs.flatMap((name, k) => (name === null ? [] : [k])),
    layerNote,
    files,
    loadMs: performance.now() - started,
  };
  return { tokenizer: tokenizer.text, idsToTokens: tokenizer.idsToTokens, model, info, session };
}

/** The longest input: position embeddings (RoBERTa-style models reserve 2), capped by the tokenizer's limit. */
function modelMaxLength(config: EncoderConfig, tokenizerConfig: Record<string, unknown>): number {
  const positions = config.max_position_embeddings ?? 512;
  const offset = ['roberta', 'xlm-roberta', 'camembert'].includes(config.model_type ?? '') ? 2 : 0;
  const fromTokenizer = Number(tokenizerConfig.model_max_length);
  const limit = positions - offset;
  return Number.isFinite(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < limit ? fromTokenizer : limit;
}

function sessionError(error: unknown, path: string, label: string): ModelError {
  if (error instanceof ModelError) return error;
  const message = (error as Error)?.message ?? String(error);
  return new ModelError(
    'model.session',
    `ONNX Runtime could not run ${path} of ${label}: ${message.slice(0, 300)}. Check that the file is a complete ONNX export.`,
  );
}

/** One tiny batch: compiles kernels (WebGPU shaders) and proves the graph runs before the user waits on it. */
async function warmUp(session: SessionLike, tokenizer: LoaderTokenizer): Promise<void> {
  const ids = [tokenizer.text.clsId, tokenizer.text.sepId];
  const dims = [1, ids.length];
  const feeds: Record<string, Int64Input> = {
    input_ids: { data: BigInt64Array.from(ids.map(BigInt)), dims },
    attention_mask: { data: new BigInt64Array([1n, 1n]), dims },
  };
  if (session.inputNames.includes('token_type_ids'))
    feeds.token_type_ids = { data: new BigInt64Array(2), dims };
  await session.run(feeds, [session.outputNames[0]]);
}

// Zero-width word joiner: BERT's normalizer drops it (it is a format character), while the special-token
// matcher, which runs before normalisation, no longer sees "[SEP]" — so a typed "[SEP]" stays text.
const WORD_JOINER = '\u2060';

type TokenizerInstance = transformers.PreTrainedTokenizer;

/** A tokenizer as the loader hands it on. */
interface LoaderTokenizer {
  text: TextTokenizer;
  vocabSize: number;
  idsToTokens: (ids: number[]) => string[];
  /** What tokenizes, for the model card. */
  kind: string;
}

// The dictionary is loaded once per worker (17.8 MB compressed) and shared by every Japanese model. A failed
// load is forgotten so that a retry loads again.
const segmenters = new WeakMap<IpadicFileReader, Promise<WordSegmenter>>();

function ipadicSegmenter(
  read: IpadicFileReader,
  onProgress: Parameters<typeof loadIpadicSegmenter>[1],
): Promise<WordSegmenter> {
  let loading = segmenters.get(read);
  if (!loading) {
    loading = loadIpadicSegmenter(read, onProgress).catch((error: unknown) => {
      segmenters.delete(read);
      throw new ModelError(
        'model.tokenizer',
        `The IPADIC dictionary for the Japanese tokenizer could not be loaded: ${(error as Error).message}`,
      );
    });
    segmenters.set(read, loading);
  }
  return loading;
}

function createTokenizer(json: object, config: Record<string, unknown>, label: string): LoaderTokenizer {
  const className = (
    typeof config.tokenizer_class === 'string' ? config.tokenizer_class : 'PreTrainedTokenizer'
  ).replace(/Fast$/, '');
  if (!('model' in json)) {
    throw new ModelError(
      'model.tokenizer',
      `tokenizer.json of ${label} has no model section; it is not a Hugging Face tokenizers file.`,
    );
  }
  const classes = transformers as unknown as Record<string, new (j: object, c: object) => TokenizerInstance>;
  const Cls = classes[className] ?? transformers.PreTrainedTokenizer;
  let tok: TokenizerInstance;
  try {
    tok = new Cls(json, config);
  } catch (error) {
    throw new ModelError(
      'model.tokenizer',
      `The tokenizer of ${label} could not be built: ${(error as Error).message}`,
    );
  }
  const specials = tok.all_special_tokens.filter((t) => t.length > 1);
  const idOf = (token: unknown, fallback: string): number => {
    const id = tok._tokenizer.token_to_id(typeof token === 'string' ? token : fallback);
    if (id === undefined) {
      throw new ModelError('model.tokenizer', `The tokenizer of ${label} has no ${fallback} token.`);
    }
    return id;
  };
  const clsId = idOf(config.cls_token ?? config.bos_token, '[CLS]');
  const sepId = idOf(config.sep_token ?? config.eos_token, '[SEP]');
  const padId = tok.pad_token_id ?? 0;
  const escape = (text: string): string => {
    let out = text;
    for (const special of specials) {
      if (out.includes(special)) out = out.split(special).join(special[0] + WORD_JOINER + special.slice(1));
    }
    return out;
  };
  const text: TextTokenizer = {
    sepToken: tok.sep_token ?? '[SEP]',
    clsId,
    sepId,
    padId,
    encode: (value, literalSpecialTokens) =>
      tok.encode(literalSpecialTokens ? value : escape(value), { add_special_tokens: false }),
  };
  return {
    text,
    vocabSize: tok.get_vocab().size,
    idsToTokens: (ids: number[]) => ids.map((id) => tok._tokenizer.id_to_token(id) ?? `#${id}`),
    kind: `${className} (transformers.js)`,
  };
}
