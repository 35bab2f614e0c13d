/**
 * The ONNX writer behind the worker's warm-up model and the benchmark's random BERT: what it writes is read
 * back by Pairscope's own graph reader and runs in onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readGraphSummary } from '../../../src/core/onnx-graph';
import { DataType, warmUpModel, writeOnnxModel } from '../../../src/worker/onnx-writer';

describe('writeOnnxModel', () => {
  it('writes the warm-up model, y = Identity(x), which onnxruntime-node runs', async () => {
    const bytes = warmUpModel();
    const summary = readGraphSummary(bytes);
    expect(summary.inputs).toEqual(['x']);
    expect(summary.outputs).toEqual(['y']);
    const session = await ort.InferenceSession.create(bytes);
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2.5), [1]) });
    expect(Array.from(y.data as Float32Array)).toEqual([2.5]);
    await session.release();
  });

  it('writes initializers, attributes and symbolic dimensions that run as written', async () => {
    // y = Transpose(x · W + b) with W 2×3 and b of length 3, for x of shape [n, 2].
    const bytes = writeOnnxModel({
      name: 'affine',
      producer: 'test',
      opset: 17,
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
        { op: 'Add', inputs: ['xw', 'b'], outputs: ['z'] },
        { op: 'Transpose', inputs: ['z'], outputs: ['y'], attributes: { perm: [1, 0] } },
      ],
      initializers: [
        { name: 'W', dims: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
        { name: 'b', dims: [3], data: Float32Array.of(0.5, -1, 10) },
      ],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, dims: ['n', 2] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, dims: [3, 'n'] }],
    });
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', Float32Array.of(1, 0, 0, 1), [2, 2]);
    const { y } = await session.run({ x });
    expect(y.dims).toEqual([3, 2]);
    // Rows of x·W + b: [1.5, 1, 13] and [4.5, 4, 16]; transposed.
    expect(Array.from(y.data as Float32Array)).toEqual([1.5, 4.5, 1, 4, 13, 16]);
    await session.release();
  });
});
