/**
 * The browser runtime for the model worker: ONNX Runtime Web with its wasm files served from the app's own
 * build (never a CDN), and model files read with fetch / the File API.
 *
 * Two ORT builds, loaded on demand:
 * - WASM device: the plain `ort-wasm-simd-threaded` build (`onnxruntime-web/wasm`). It has no asyncify/JSEP
 *   layer, so each operator call is cheaper: about 2× the asyncify build's throughput on small BERTs
 *   (shared/STACK.md; `npm run bench` measures it in this app).
 * - WebGPU device: the asyncify/JSEP build (`onnxruntime-web/webgpu`), the only one that can run WebGPU.
 * A worker that falls back from WebGPU to WASM loads both.
 */
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type * as OrtWasm from 'onnxruntime-web/wasm';
import type { InferenceSession, Tensor } from 'onnxruntime-web/wasm';
import { createFetchFileReader } from './model-files';
import { warmUpModel } from './onnx-writer';
import type { Device, EncoderRuntime, Int64Input, SessionLike } from './model-loader';
import type { WasmBuild } from './protocol';

type Ort = typeof OrtWasm;

/** Imports the ORT build for a device and points it at the wasm files Vite emitted. */
async function ortFor(device: Device, threads: number, build: WasmBuild): Promise<Ort> {
  const asyncify = device === 'webgpu' || build === 'asyncify';
  const ort: Ort = asyncify ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = asyncify
    ? { wasm: asyncifyWasmUrl, mjs: asyncifyMjsUrl }
    : { wasm: plainWasmUrl, mjs: plainMjsUrl };
  // ORT's default is min(4, ceil(cores / 2)): 1 thread on a 2-core machine. Threads need cross-origin
  // isolation (COOP/COEP headers); without it ORT falls back to one thread with a warning. The thread count
  // is fixed when a build's wasm first loads.
  ort.env.wasm.numThreads = self.crossOriginIsolated ? threads : 1;
  return ort;
}

function wrapSession(ort: Ort, session: InferenceSession): SessionLike {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: Record<string, Int64Input>, fetches: string[]) {
      const tensors: Record<string, Tensor> = {};
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
    async prepare() {
      const ort = await ortFor('wasm', maxThreads, 'plain');
      const session = await ort.InferenceSession.create(warmUpModel(), { executionProviders: ['wasm'] });
      await session.release();
    },
    async createSession(bytes: Uint8Array, device: Device, threads: number, wasmBuild: WasmBuild = 'plain') {
      const ort = await ortFor(device, threads, wasmBuild);
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: [device === 'webgpu' ? 'webgpu' : 'wasm'],
        graphOptimizationLevel: 'all',
      });
      return wrapSession(ort, session);
    },
  };
}
