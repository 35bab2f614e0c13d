/**
 * A small ONNX writer: protobuf wire format by hand, only the fields a plain inference graph needs. The
 * worker writes its one-node warm-up model with it ({@link warmUpModel}); the benchmark its random-weight
 * BERT (bench/random-bert.ts). Field numbers are those of `onnx/onnx.proto`:
 * - ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 (domain = 1, version = 2)
 * - GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12
 * - NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7
 * - AttributeProto: name = 1, f = 2, i = 3, type = 20, ints = 8 (packed)
 * - TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, as ONNX requires)
 * - ValueInfoProto: name = 1, type = 2 → TypeProto.tensor_type = 1 → { elem_type = 1, shape = 2 }
 *   → TensorShapeProto.dim = 1 → { dim_value = 1 | dim_param = 2 }
 */

/** ONNX `TensorProto.DataType` values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** A growable byte buffer with protobuf field writers. */
class Writer {
  private bytes = new Uint8Array(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Unsigned varint; negative int64 values take the 10-byte two's-complement form. */
  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes[this.length++] = byte;
    } while (v > 0n);
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  varintField(field: number, value: number | bigint): void {
    this.tag(field, 0);
    this.varint(value);
  }

  bytesField(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.raw(data);
  }

  stringField(field: number, text: string): void {
    this.bytesField(field, new TextEncoder().encode(text));
  }

  messageField(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytesField(field, inner.finish());
  }

  floatField(field: number, value: number): void {
    this.tag(field, 5);
    const data = new Uint8Array(4);
    new DataView(data.buffer).setFloat32(0, value, true);
    this.raw(data);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export type AttributeValue = number | number[] | { float: number };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Integers are INT, arrays INTS, `{ float }` FLOAT. */
  attributes?: Record<string, AttributeValue>;
  domain?: string;
}

export interface TensorSpec {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface ValueInfoSpec {
  name: string;
  elemType: number;
  /** Numbers are fixed sizes, strings symbolic ones. */
  dims: (number | string)[];
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
  opset: number;
  producer: string;
}

function writeValueInfo(w: Writer, info: ValueInfoSpec): void {
  w.stringField(1, info.name);
  w.messageField(2, (type) =>
    type.messageField(1, (tensor) => {
      tensor.varintField(1, info.elemType);
      tensor.messageField(2, (shape) => {
        for (const dim of info.dims) {
          shape.messageField(1, (d) => {
            if (typeof dim === 'number') d.varintField(1, dim);
            else d.stringField(2, dim);
          });
        }
      });
    }),
  );
}

function writeTensor(w: Writer, tensor: TensorSpec): void {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new RangeError(
      `Tensor ${tensor.name}: dims ${tensor.dims.join('×')} ≠ ${tensor.data.length} values.`,
    );
  }
  for (const dim of tensor.dims) w.varintField(1, dim);
  w.varintField(2, tensor.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64);
  w.stringField(8, tensor.name);
  // raw_data is little-endian; typed arrays are in platform order, which is little-endian on every
  // platform Node and browsers run on here (checked below).
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('Big-endian platform.');
  w.bytesField(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
}

function writeNode(w: Writer, node: NodeSpec, index: number): void {
  for (const input of node.inputs) w.stringField(1, input);
  for (const output of node.outputs) w.stringField(2, output);
  w.stringField(3, node.name ?? `${node.op}_${index}`);
  w.stringField(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.messageField(5, (a) => {
      a.stringField(1, name);
      if (Array.isArray(value)) {
        const packed = new Writer();
        for (const v of value) packed.varint(v);
        a.bytesField(8, packed.finish());
        a.varintField(20, ATTR_INTS);
      } else if (typeof value === 'number') {
        a.varintField(3, value);
        a.varintField(20, ATTR_INT);
      } else {
        a.floatField(2, value.float);
        a.varintField(20, ATTR_FLOAT);
      }
    });
  }
  if (node.domain) w.stringField(7, node.domain);
}

/** Serialises a graph as an ONNX ModelProto (IR version 8: opsets up to 17). */
export function writeOnnxModel(graph: GraphSpec): Uint8Array {
  const w = new Writer();
  w.varintField(1, 8);
  w.stringField(2, graph.producer);
  w.messageField(7, (g) => {
    graph.nodes.forEach((node, i) => g.messageField(1, (n) => writeNode(n, node, i)));
    g.stringField(2, graph.name);
    for (const t of graph.initializers) g.messageField(5, (tw) => writeTensor(tw, t));
    for (const input of graph.inputs) g.messageField(11, (vi) => writeValueInfo(vi, input));
    for (const output of graph.outputs) g.messageField(12, (vi) => writeValueInfo(vi, output));
  });
  w.messageField(8, (o) => {
    o.stringField(1, '');
    o.varintField(2, graph.opset);
  });
  return w.finish();
}

/**
 * `y = Identity(x)` on one float: creating a session of it starts ONNX Runtime's wasm and thread pool
 * without any model file, so the worker can do that while the user is still choosing a model.
 */
export function warmUpModel(): Uint8Array {
  const io = (name: string): ValueInfoSpec => ({ name, elemType: DataType.FLOAT, dims: [1] });
  return writeOnnxModel({
    name: 'warm_up',
    producer: 'pairscope',
    opset: 17,
    nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    initializers: [],
    inputs: [io('x')],
    outputs: [io('y')],
  });
}
