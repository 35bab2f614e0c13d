/**
 * Minimal ONNX (protobuf) reader/writer for one job: expose the intermediate hidden layers of a BERT export
 * that only has `last_hidden_state` as output, by appending extra entries to `GraphProto.output`.
 *
 * No protobuf library: the wire format is read by hand, and only the fields below are decoded. Field numbers
 * are those of `onnx/onnx.proto` (checked against onnx/onnx):
 * - ModelProto: graph = 7, opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2)
 * - GraphProto: node = 1, initializer = 5, input = 11, output = 12, value_info = 13 (read for `typeFrom`)
 * - NodeProto: input = 1, output = 2, name = 3, op_type = 4
 * - TensorProto (initializer): name = 8 (its data fields are skipped, never copied)
 * - ValueInfoProto: name = 1, type = 2 → TypeProto.tensor_type = 1 → { elem_type = 1, shape = 2 }
 *   → TensorShapeProto.dim = 1 → Dimension { dim_value = 1 | dim_param = 2 }
 *
 * Everything else (initializer bytes, external-data references, metadata, unknown fields) is skipped when
 * reading and copied verbatim when writing, so models with external data pass through untouched.
 */
import { ModelError } from './errors';

/** ONNX `TensorProto.DataType.FLOAT`: the default element type of an added output. */
export const ONNX_FLOAT = 1;

/** One node of the graph, in the graph's (topological) order. */
export interface OnnxNodeSummary {
  /** `NodeProto.name`; '' when the exporter gave none. */
  name: string;
  /** `NodeProto.op_type`, e.g. 'Add', 'LayerNormalization'. */
  opType: string;
  /** Names of the tensors the node writes, in order ('' marks an omitted optional output). */
  outputs: string[];
}

/** What {@link readGraphSummary} reads from a model: names only, no tensor data. */
export interface OnnxGraphSummary {
  /** Graph inputs the caller must feed (graph inputs that are also initializers are left out). */
  inputs: string[];
  /** Graph output names, in order. */
  outputs: string[];
  /** All nodes of the main graph in file order (ONNX requires topological order). */
  nodes: OnnxNodeSummary[];
  /** Version of the default ('' / 'ai.onnx') operator set; absent when the model does not import it. */
  opsetVersion?: number;
}

/**
 * How hidden-state tensors were identified:
 * - 'graph-outputs': the graph already has outputs `hidden_states.0` … `hidden_states.N`;
 * - 'module-path': found by torch.onnx / Optimum module-path node names (`…/embeddings/LayerNorm/…`,
 *   `…/encoder/layer.{k}/output/LayerNorm/…`, or DistilBERT's `…/transformer/layer.{k}/output_layer_norm/…`).
 */
export type HiddenStateScheme = 'graph-outputs' | 'module-path';

/** Result of {@link findHiddenStateTensors}. */
export interface HiddenStateTensors {
  /** Length `numLayers + 1`; index k is the tensor holding `hidden_states.k` (0 = embedding output). */
  tensors: string[];
  scheme: HiddenStateScheme;
}

/**
 * One output to add with {@link addGraphOutputs}. The declared type is, in order of preference:
 * `typeFrom` (copied verbatim), else `elemType` + `dims`, else FLOAT with no shape.
 *
 * Measured with onnxruntime-node 1.30 on tiny-random-bert-lastonly (see the unit test): an output with no
 * shape is accepted and gives bit-identical hidden states with graph optimisations disabled, but at the
 * default level 'all' they differ from the natively exported model by up to 7.2e-7, because the optimiser
 * fuses differently when it cannot tie the output's dims to the inputs' `batch_size` / `sequence_length`.
 * Copying `last_hidden_state`'s type (`typeFrom: 'last_hidden_state'`) restores bit-identical results. A
 * WRONG shape (e.g. rank 2 for a rank-3 tensor) makes `run` fail, so only declare dims you know.
 */
export interface GraphOutputSpec {
  /** Name of an existing tensor of the graph (a node output, graph input or initializer). */
  name: string;
  /**
   * Name of a graph output, input or value_info entry whose declared TypeProto is copied (e.g.
   * 'last_hidden_state' for hidden states, which have the same shape). Excludes `elemType` and `dims`.
   */
  typeFrom?: string;
  /** ONNX `TensorProto.DataType`; default {@link ONNX_FLOAT}. */
  elemType?: number;
  /**
   * Shape to declare: numbers are fixed sizes (non-negative safe integers), strings are symbolic dims
   * (e.g. 'batch_size'; equal strings assert equal sizes). Omitted: no shape (rank unknown).
   */
  dims?: (number | string)[];
}

// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). Groups (3, 4) are deprecated
// and never used by ONNX, so they are treated as malformed input.
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR_TYPE = 1;
const TENSOR_TYPE_ELEM_TYPE = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;

/** One field of a message: for LEN fields [start, end) is the payload, for the others the raw value bytes. */
interface Field {
  readonly num: number;
  readonly wire: number;
  /** Offset of the field's tag (where the whole field begins). */
  readonly tagStart: number;
  readonly start: number;
  readonly end: number;
  /** Decoded value of a VARINT field (exact up to 2^53); 0 for other wire types. */
  readonly value: number;
}

function malformed(detail: string): ModelError {
  return new ModelError(
    'model.format',
    `Not an ONNX model: ${detail}. Check that the file is a complete .onnx export.`,
  );
}

/**
 * Reads a base-128 varint at `pos`. Uses arithmetic, not 32-bit bit operations, so values up to 2^53 are
 * exact (larger int64 values, e.g. negative numbers, come back rounded; no length can be that large).
 */
function readVarint(
  bytes: Uint8Array,
  pos: number,
  end: number,
  where: string,
): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  // A varint has at most 10 bytes (64 bits / 7 bits per byte).
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw malformed(`truncated varint at byte ${pos} (${where})`);
    const byte = bytes[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: pos };
    scale *= 128;
  }
  throw malformed(`varint longer than 10 bytes at byte ${pos} (${where})`);
}

/** Splits bytes[start, end) into fields without copying anything. */
function readFields(bytes: Uint8Array, start: number, end: number, where: string): Field[] {
  const fields: Field[] = [];
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    const tag = readVarint(bytes, pos, end, where);
    pos = tag.next;
    const num = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (num < 1) throw malformed(`invalid field number 0 at byte ${tagStart} (${where})`);
    switch (wire) {
      case WIRE_VARINT: {
        const v = readVarint(bytes, pos, end, where);
        fields.push({ num, wire, tagStart, start: pos, end: v.next, value: v.value });
        pos = v.next;
        break;
      }
      case WIRE_I64:
      case WIRE_I32: {
        const size = wire === WIRE_I64 ? 8 : 4;
        if (pos + size > end)
          throw malformed(`truncated fixed-size field ${num} at byte ${tagStart} (${where})`);
        fields.push({ num, wire, tagStart, start: pos, end: pos + size, value: 0 });
        pos += size;
        break;
      }
      case WIRE_LEN: {
        const len = readVarint(bytes, pos, end, where);
        if (len.value > end - len.next) {
          throw malformed(
            `field ${num} at byte ${tagStart} claims ${len.value} bytes but only ${end - len.next} remain (${where})`,
          );
        }
        fields.push({ num, wire, tagStart, start: len.next, end: len.next + len.value, value: 0 });
        pos = len.next + len.value;
        break;
      }
      default:
        throw malformed(`unsupported protobuf wire type ${wire} at byte ${tagStart} (${where})`);
    }
  }
  return fields;
}

function expectWire(field: Field, wire: number, where: string): void {
  if (field.wire !== wire) {
    throw malformed(`field ${field.num} of ${where} has wire type ${field.wire}, expected ${wire}`);
  }
}

/** Decodes UTF-8 (invalid sequences become U+FFFD). Hand-written: core compiles without DOM/Node types. */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const codes: number[] = [];
  let pos = start;
  while (pos < end) {
    const b0 = bytes[pos];
    let need: number;
    let cp: number;
    let min: number;
    if (b0 < 0x80) {
      codes.push(b0);
      pos++;
      continue;
    } else if (b0 >= 0xc2 && b0 < 0xe0) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 < 0xf0) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 < 0xf5) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      codes.push(0xfffd);
      pos++;
      continue;
    }
    let i = 1;
    for (; i <= need && pos + i < end; i++) {
      const b = bytes[pos + i];
      if ((b & 0xc0) !== 0x80) break;
      cp = cp * 64 + (b & 0x3f);
    }
    if (i <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      codes.push(0xfffd);
      pos += Math.max(1, i);
      continue;
    }
    codes.push(cp);
    pos += need + 1;
  }
  let out = '';
  // Chunked so very long strings do not overflow the argument limit of fromCodePoint.
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCodePoint(...codes.slice(i, i + 4096));
  return out;
}

function encodeUtf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

function fieldString(bytes: Uint8Array, field: Field, where: string): string {
  expectWire(field, WIRE_LEN, where);
  return decodeUtf8(bytes, field.start, field.end);
}

/** Appends a varint (0 ≤ value ≤ 2^53) to `out`. */
function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) size++;
  return size;
}

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  let v = value;
  let p = pos;
  while (v >= 128) {
    out[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[p++] = v;
  return p;
}

function pushLenField(out: number[], num: number, payload: number[]): void {
  pushVarint(out, num * 8 + WIRE_LEN);
  pushVarint(out, payload.length);
  for (const b of payload) out.push(b);
}

function pushVarintField(out: number[], num: number, value: number): void {
  pushVarint(out, num * 8 + WIRE_VARINT);
  pushVarint(out, value);
}

/** Reads ModelProto's top-level fields and checks the ones this module relies on. */
function readModel(bytes: Uint8Array): { fields: Field[]; graphs: Field[] } {
  if (bytes.length === 0) throw malformed('the file is empty');
  let fields: Field[];
  try {
    fields = readFields(bytes, 0, bytes.length, 'ModelProto');
  } catch (error) {
    throw withTextHint(bytes, error);
  }
  const graphs = fields.filter((f) => f.num === MODEL_GRAPH);
  for (const g of graphs) expectWire(g, WIRE_LEN, 'ModelProto');
  if (graphs.length === 0) throw withTextHint(bytes, malformed('it has no graph (ModelProto field 7)'));
  return { fields, graphs };
}

/** A dev server answering a missing .onnx with index.html (or a Git LFS pointer) is the usual cause. */
function withTextHint(bytes: Uint8Array, error: unknown): unknown {
  if (!(error instanceof ModelError)) return error;
  const head = bytes.subarray(0, 64);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (!printable) return error;
  const preview = decodeUtf8(head, 0, Math.min(head.length, 40)).replace(/\s+/g, ' ');
  return new ModelError(
    error.code,
    `${error.message} The file looks like text ("${preview}…"), e.g. an HTML page or a Git LFS pointer, ` +
      'not a binary ONNX file.',
  );
}

/** Byte range [start, end) of a ValueInfoProto's encoded `type` field payload. */
interface Span {
  start: number;
  end: number;
}

interface GraphScan {
  inputs: string[];
  outputs: string[];
  nodes: OnnxNodeSummary[];
  initializers: Set<string>;
  /** Declared types of graph inputs, outputs and value_info entries, by tensor name (first wins). */
  types: Map<string, Span>;
}

/** Reads names from every graph segment (repeated segments merge by concatenation, as protobuf does). */
function scanGraphs(bytes: Uint8Array, graphs: Field[]): GraphScan {
  const scan: GraphScan = { inputs: [], outputs: [], nodes: [], initializers: new Set(), types: new Map() };
  const addType = (info: ValueInfo): void => {
    if (info.type !== undefined && !scan.types.has(info.name)) scan.types.set(info.name, info.type);
  };
  for (const graph of graphs) {
    for (const field of readFields(bytes, graph.start, graph.end, 'GraphProto')) {
      switch (field.num) {
        case GRAPH_NODE:
          expectWire(field, WIRE_LEN, 'GraphProto');
          scan.nodes.push(readNode(bytes, field));
          break;
        case GRAPH_INITIALIZER: {
          expectWire(field, WIRE_LEN, 'GraphProto');
          // Only the name is read; raw_data (possibly hundreds of MB) is skipped by offset.
          for (const t of readFields(bytes, field.start, field.end, 'GraphProto.initializer')) {
            if (t.num === TENSOR_NAME) scan.initializers.add(fieldString(bytes, t, 'TensorProto'));
          }
          break;
        }
        case GRAPH_INPUT: {
          const info = readValueInfo(bytes, field, 'GraphProto.input');
          scan.inputs.push(info.name);
          addType(info);
          break;
        }
        case GRAPH_OUTPUT: {
          const info = readValueInfo(bytes, field, 'GraphProto.output');
          scan.outputs.push(info.name);
          addType(info);
          break;
        }
        case GRAPH_VALUE_INFO:
          addType(readValueInfo(bytes, field, 'GraphProto.value_info'));
          break;
        default:
          break;
      }
    }
  }
  return scan;
}

function readNode(bytes: Uint8Array, field: Field): OnnxNodeSummary {
  const node: OnnxNodeSummary = { name: '', opType: '', outputs: [] };
  for (const f of readFields(bytes, field.start, field.end, 'NodeProto')) {
    if (f.num === NODE_OUTPUT) node.outputs.push(fieldString(bytes, f, 'NodeProto'));
    else if (f.num === NODE_NAME) node.name = fieldString(bytes, f, 'NodeProto');
    else if (f.num === NODE_OP_TYPE) node.opType = fieldString(bytes, f, 'NodeProto');
    else if (f.num === NODE_INPUT) expectWire(f, WIRE_LEN, 'NodeProto');
  }
  return node;
}

interface ValueInfo {
  name: string;
  type?: Span;
}

function readValueInfo(bytes: Uint8Array, field: Field, where: string): ValueInfo {
  expectWire(field, WIRE_LEN, where);
  const info: ValueInfo = { name: '' };
  for (const f of readFields(bytes, field.start, field.end, where)) {
    if (f.num === VALUE_INFO_NAME) info.name = fieldString(bytes, f, where);
    else if (f.num === VALUE_INFO_TYPE) {
      expectWire(f, WIRE_LEN, where);
      info.type = { start: f.start, end: f.end };
    }
  }
  return info;
}

/**
 * Reads the names of a model's inputs, outputs and nodes, and its default opset version.
 *
 * Cost: one pass over the bytes; initializer data is skipped by offset (never copied or decoded), so a
 * several-hundred-MB model is cheap to scan. Models whose weights live in external data files are fine:
 * only the main .onnx bytes are needed.
 *
 * @param bytes the whole `.onnx` file (a serialised ModelProto).
 * @throws ModelError code 'model.format' ("Not an ONNX model: …") for bytes that are not a ModelProto with
 *   a graph, with a hint when the bytes look like text (an HTML error page, a Git LFS pointer).
 */
export function readGraphSummary(bytes: Uint8Array): OnnxGraphSummary {
  const { fields, graphs } = readModel(bytes);
  const scan = scanGraphs(bytes, graphs);
  const summary: OnnxGraphSummary = {
    inputs: scan.inputs.filter((name) => !scan.initializers.has(name)),
    outputs: scan.outputs,
    nodes: scan.nodes,
  };
  for (const opset of fields.filter((f) => f.num === MODEL_OPSET_IMPORT)) {
    expectWire(opset, WIRE_LEN, 'ModelProto');
    let domain = '';
    let version: number | undefined;
    for (const f of readFields(bytes, opset.start, opset.end, 'OperatorSetIdProto')) {
      if (f.num === OPSET_DOMAIN) domain = fieldString(bytes, f, 'OperatorSetIdProto');
      else if (f.num === OPSET_VERSION) {
        expectWire(f, WIRE_VARINT, 'OperatorSetIdProto');
        version = f.value;
      }
    }
    if ((domain === '' || domain === 'ai.onnx') && version !== undefined) summary.opsetVersion = version;
  }
  return summary;
}

/** Op types that compute a whole LayerNorm in one node (ONNX opset ≥ 17, onnxruntime contrib ops). */
const FUSED_LAYER_NORM_OPS = new Set([
  'LayerNormalization',
  'SkipLayerNormalization',
  'SimplifiedLayerNormalization',
  'SkipSimplifiedLayerNormalization',
]);

/**
 * The node that produces a LayerNorm module's result: the last fused LayerNorm node of the group if any,
 * otherwise the last non-Constant node in topological order (the final `Add` of a decomposed LayerNorm:
 * ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add).
 */
function layerNormResult(group: OnnxNodeSummary[]): string | null {
  const fused = group.filter((n) => FUSED_LAYER_NORM_OPS.has(n.opType));
  const candidates = fused.length > 0 ? fused : group.filter((n) => n.opType !== 'Constant');
  const node = candidates[candidates.length - 1];
  const tensor = node?.outputs[0];
  return tensor === undefined || tensor === '' ? null : tensor;
}

// Module-path node names written by torch.onnx (TorchScript exporter, used by HF Optimum): one segment per
// module, then the op name. `prefix` is the path of the base model inside a wrapper ('', '/bert',
// '/roberta', '/model', …). The encoder segment is optional because exporters that loop over the layers
// without calling the encoder module write `/layer.{k}/…` (this project's tiny-random-bert).
const EMBEDDINGS_LN = /^(?<prefix>.*?)\/embeddings\/LayerNorm\/[^/]+$/;
const LAYER_OUTPUT_LN = [
  // BERT, RoBERTa, ELECTRA, XLM-R, … : BertLayer.output (BertOutput).LayerNorm
  /^(?<prefix>.*?)(?:\/encoder)?\/layer\.(?<k>\d+)\/output\/LayerNorm\/[^/]+$/,
  // DistilBERT: TransformerBlock.output_layer_norm
  /^(?<prefix>.*?)\/transformer\/layer\.(?<k>\d+)\/output_layer_norm\/[^/]+$/,
];

function findByModulePath(summary: OnnxGraphSummary, numLayers: number): HiddenStateTensors | null {
  const embeddings = new Map<string, OnnxNodeSummary[]>();
  for (const node of summary.nodes) {
    const prefix = EMBEDDINGS_LN.exec(node.name)?.groups?.prefix;
    if (prefix !== undefined) embeddings.set(prefix, [...(embeddings.get(prefix) ?? []), node]);
  }
  // Two embedding LayerNorms (e.g. two models in one graph) would make the choice a guess.
  if (embeddings.size !== 1) return null;
  const [prefix, embeddingNodes] = [...embeddings][0];

  for (const pattern of LAYER_OUTPUT_LN) {
    const layers = new Map<number, OnnxNodeSummary[]>();
    for (const node of summary.nodes) {
      const groups = pattern.exec(node.name)?.groups;
      if (groups?.prefix !== prefix || groups.k === undefined) continue;
      const k = Number(groups.k);
      layers.set(k, [...(layers.get(k) ?? []), node]);
    }
    if (layers.size === 0) continue;
    // The graph must have exactly layers 0 … numLayers-1: a mismatch means the config and graph disagree.
    if (layers.size !== numLayers) return null;
    const tensors = [layerNormResult(embeddingNodes)];
    for (let k = 0; k < numLayers; k++) {
      const group = layers.get(k);
      if (group === undefined) return null;
      tensors.push(layerNormResult(group));
    }
    if (tensors.some((t) => t === null)) return null;
    const names = tensors as string[];
    if (new Set(names).size !== names.length) return null;
    return { tensors: names, scheme: 'module-path' };
  }
  return null;
}

/**
 * Finds the tensors that hold `hidden_states.0 … hidden_states.numLayers` (embedding output, then the output
 * of each encoder layer), as transformers' `output_hidden_states` defines them.
 *
 * Schemes, in order:
 * 1. 'graph-outputs': the graph has outputs named `hidden_states.0` … `hidden_states.{numLayers}`.
 * 2. 'module-path': torch.onnx / HF Optimum node names. hidden_states.0 is the result of the
 *    `{prefix}/embeddings/LayerNorm/…` node group; hidden_states.{k+1} that of
 *    `{prefix}[/encoder]/layer.{k}/output/LayerNorm/…` (or DistilBERT's
 *    `{prefix}/transformer/layer.{k}/output_layer_norm/…`), for a decomposed LayerNorm (last node, its final
 *    Add) or a fused LayerNormalization node. The tensor is the node's actual first output, so for the last
 *    layer it is usually `last_hidden_state` itself.
 *
 * @param summary from {@link readGraphSummary} (or built by hand in tests).
 * @param numLayers number of encoder layers (`num_hidden_layers` of config.json), a positive integer.
 * @returns `tensors` of length numLayers + 1 (index k = hidden_states.k, all distinct), or null when the
 *   graph's layers cannot be identified: unknown naming, layer count different from numLayers, ambiguous
 *   prefixes. Null means "only the last layer is available".
 * @throws ModelError code 'model.layers' when numLayers is not a positive integer.
 */
export function findHiddenStateTensors(
  summary: OnnxGraphSummary,
  numLayers: number,
): HiddenStateTensors | null {
  if (!Number.isSafeInteger(numLayers) || numLayers < 1) {
    throw new ModelError(
      'model.layers',
      `The number of layers must be a positive integer (num_hidden_layers in config.json), got ${numLayers}.`,
    );
  }
  const outputs = new Set(summary.outputs);
  const named = Array.from({ length: numLayers + 1 }, (_, k) => `hidden_states.${k}`);
  if (named.every((name) => outputs.has(name))) return { tensors: named, scheme: 'graph-outputs' };
  return findByModulePath(summary, numLayers);
}

function encodeValueInfo(spec: GraphOutputSpec, typeFrom: Uint8Array | undefined): number[] {
  const valueInfo: number[] = [];
  pushLenField(valueInfo, VALUE_INFO_NAME, encodeUtf8(spec.name));
  pushLenField(valueInfo, VALUE_INFO_TYPE, typeFrom === undefined ? encodeTensorType(spec) : [...typeFrom]);
  const entry: number[] = [];
  pushLenField(entry, GRAPH_OUTPUT, valueInfo);
  return entry;
}

/** Encodes a TypeProto { tensor_type { elem_type, shape? } } from `elemType` / `dims`. */
function encodeTensorType(spec: GraphOutputSpec): number[] {
  const elemType = spec.elemType ?? ONNX_FLOAT;
  if (!Number.isSafeInteger(elemType) || elemType < 1) {
    throw new RangeError(
      `addGraphOutputs: elemType of "${spec.name}" must be a positive integer, got ${elemType}.`,
    );
  }
  const tensorType: number[] = [];
  pushVarintField(tensorType, TENSOR_TYPE_ELEM_TYPE, elemType);
  if (spec.dims !== undefined) {
    const shape: number[] = [];
    for (const dim of spec.dims) {
      const dimension: number[] = [];
      if (typeof dim === 'number') {
        if (!Number.isSafeInteger(dim) || dim < 0) {
          throw new RangeError(
            `addGraphOutputs: dim ${dim} of "${spec.name}" must be a non-negative integer.`,
          );
        }
        pushVarintField(dimension, DIM_VALUE, dim);
      } else {
        pushLenField(dimension, DIM_PARAM, encodeUtf8(dim));
      }
      pushLenField(shape, SHAPE_DIM, dimension);
    }
    pushLenField(tensorType, TENSOR_TYPE_SHAPE, shape);
  }
  const type: number[] = [];
  pushLenField(type, TYPE_TENSOR_TYPE, tensorType);
  return type;
}

/**
 * Returns model bytes whose graph has the given tensors as extra outputs, appended after the existing ones
 * (onnxruntime then returns them from `run`). Outputs already in the graph, and repeats in `outputs`, are
 * skipped.
 *
 * Layout: every ModelProto field is copied verbatim except the (last) graph field, which becomes
 * "original graph bytes + encoded `GraphProto.output` entries" under a new length varint. The result is one
 * new Uint8Array of `bytes.length + added` bytes, allocated once; the input is not modified. When nothing
 * needs adding, the input array itself is returned (no copy of a possibly huge model). External-data
 * references are untouched.
 *
 * Recommended for hidden states: `{ name, typeFrom: 'last_hidden_state' }` (see {@link GraphOutputSpec}).
 *
 * @throws ModelError 'model.format' for malformed bytes (see {@link readGraphSummary}); ModelError
 *   'model.layers' when a name is not a tensor of the graph (no node writes it, and it is neither a graph
 *   input nor an initializer) or `typeFrom` names a tensor without a declared type; RangeError for an
 *   invalid elemType or dim, or `typeFrom` combined with elemType/dims.
 */
export function addGraphOutputs(bytes: Uint8Array, outputs: GraphOutputSpec[]): Uint8Array {
  const { graphs } = readModel(bytes);
  const scan = scanGraphs(bytes, graphs);
  const present = new Set(scan.outputs);
  const known = new Set([...scan.inputs, ...scan.initializers]);
  for (const node of scan.nodes) for (const out of node.outputs) known.add(out);

  const appended: number[] = [];
  for (const spec of outputs) {
    if (present.has(spec.name)) continue;
    if (!known.has(spec.name)) {
      throw new ModelError(
        'model.layers',
        `Cannot expose "${spec.name}" as a model output: no node of the ONNX graph produces a tensor of that name.`,
      );
    }
    let typeFrom: Uint8Array | undefined;
    if (spec.typeFrom !== undefined) {
      if (spec.elemType !== undefined || spec.dims !== undefined) {
        throw new RangeError(`addGraphOutputs: "${spec.name}" gives typeFrom together with elemType/dims.`);
      }
      const span = scan.types.get(spec.typeFrom);
      if (span === undefined) {
        throw new ModelError(
          'model.layers',
          `Cannot copy the type of "${spec.typeFrom}" for "${spec.name}": the ONNX graph declares no type for it.`,
        );
      }
      typeFrom = bytes.subarray(span.start, span.end);
    }
    present.add(spec.name);
    for (const b of encodeValueInfo(spec, typeFrom)) appended.push(b);
  }
  if (appended.length === 0) return bytes;

  const graph = graphs[graphs.length - 1];
  const graphLength = graph.end - graph.start + appended.length;
  const tagSize = varintSize(MODEL_GRAPH * 8 + WIRE_LEN);
  const out = new Uint8Array(
    graph.tagStart + tagSize + varintSize(graphLength) + graphLength + (bytes.length - graph.end),
  );
  out.set(bytes.subarray(0, graph.tagStart), 0);
  let pos = writeVarint(out, graph.tagStart, MODEL_GRAPH * 8 + WIRE_LEN);
  pos = writeVarint(out, pos, graphLength);
  out.set(bytes.subarray(graph.start, graph.end), pos);
  pos += graph.end - graph.start;
  out.set(appended, pos);
  pos += appended.length;
  out.set(bytes.subarray(graph.end), pos);
  return out;
}
