/**
 * The Node runtime (tests, `npm run eval`, benchmarks): onnxruntime-node on the CPU and model files from a
 * folder on disk. Same loader and pipeline as the browser worker.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../core/errors';
import type { EncoderRuntime, Int64Input, SessionLike } from '../worker/model-loader';
import type { ModelSource } from '../worker/protocol';
import { createNodeIpadicReader } from './ipadic-node';

/**
 * A runtime whose `server` sources are folders under `modelsDir` (the same layout the app serves at
 * `/models/`). Hub sources are not fetched in Node.
 */
export function createNodeRuntime(modelsDir: string): EncoderRuntime {
  return {
    readIpadicFile: createNodeIpadicReader(),
    cpuDevice: 'cpu',
    maxThreads: cpus().length,
    webgpuAvailable: () => Promise.resolve(false),
    async readFile(source: ModelSource, file: string, onBytes) {
      if (source.kind !== 'server') {
        throw new ModelError(
          'model.not-found',
          `The Node runtime reads local folders only, not ${source.kind} sources.`,
        );
      }
      const full = path.join(modelsDir, source.id, file);
      try {
        const bytes = new Uint8Array(await readFile(full));
        onBytes?.(bytes.byteLength, bytes.byteLength);
        return bytes;
      } catch {
        throw new ModelError('model.file-missing', `Model file ${file} not found at ${full}.`);
      }
    },
    async createSession(bytes, _device, threads) {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        graphOptimizationLevel: 'all',
      });
      const wrapped: SessionLike = {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: Record<string, Int64Input>, fetches: string[]) {
          const tensors: Record<string, ort.Tensor> = {};
          for (const [name, input] of Object.entries(feeds)) {
            tensors[name] = new ort.Tensor('int64', input.data, input.dims);
          }
          const outputs = await session.run(tensors, fetches);
          const result: Record<string, Float32Array> = {};
          for (const name of fetches) {
            const tensor = outputs[name];
            if (tensor) result[name] = tensor.data as Float32Array;
          }
          return result;
        },
        release: () => session.release(),
      };
      return wrapped;
    },
  };
}
