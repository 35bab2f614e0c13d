/**
 * The browser runtime for the model worker: ONNX Runtime Web (WebGPU or multi-threaded WASM) with its wasm
 * files served from the app's own build (never a CDN), and model files read with fetch / the File API.
 */
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { createFetchFileReader } from './model-files';
import type { Device, EncoderRuntime, Int64Input, SessionLike } from './model-loader';

/**
 * Points ONNX Runtime at the wasm files Vite emitted. Must run before the first session. transformers.js
 * imports the same `onnxruntime-web/webgpu` module, so this setting is shared.
 */
export function configureOrt(threads: number): void {
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl, mjs: ortMjsUrl };
  // ORT's default is min(4, ceil(cores / 2)): 1 thread on a 2-core machine. Threads need cross-origin
  // isolation (COOP/COEP headers); without it ORT falls back to one thread with a warning.
  ort.env.wasm.numThreads = self.crossOriginIsolated ? threads : 1;
}

function wrapSession(session: ort.InferenceSession): SessionLike {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: Record<string, Int64Input>, fetches: string[]) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, input] of Object.entries(feeds))
        tensors[name] = new ort.Tensor('int64', input.data, input.dims);
      const outputs = await session.run(tensors, fetches);
      const result: Record<string, Float32Array> = {};
      for (const name of fetches) {
        const tensor = outputs[name];
        if (!tensor) continue;
        result[name] = tensor.data as Float32Array;
        tensor.dispose();
      }
      return result;
    },
    release: () => session.release(),
  };
}

/** Creates the runtime for a module worker; `baseUrl` is the app's URL (for `/models/`). */
export function createWebRuntime(baseUrl: string): EncoderRuntime {
  const maxThreads = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  return {
    readFile: createFetchFileReader(baseUrl),
    cpuDevice: 'wasm',
    maxThreads,
    async webgpuAvailable() {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return false;
      try {
        return (await gpu.requestAdapter()) !== null;
      } catch {
        return false;
      }
    },
    async createSession(bytes: Uint8Array, device: Device, threads: number) {
      configureOrt(threads);
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: [device === 'webgpu' ? 'webgpu' : 'wasm'],
        graphOptimizationLevel: 'all',
      });
      return wrapSession(session);
    },
  };
}
