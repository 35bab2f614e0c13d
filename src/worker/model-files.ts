/**
 * Reading a model's files from its source: the Hugging Face Hub, the app's own `/models/` folder, or files the
 * user picked. Every failure names the file and the URL tried, and says what to do.
 */
import { ModelError } from '../core/errors';
import type { Dtype, ModelSource } from './protocol';

/** `(bytesLoaded, bytesTotal)`; total is 0 when the server does not say. */
export type ByteProgress = (loaded: number, total: number) => void;

/** Reads one file of a model, e.g. `config.json` or `onnx/model.onnx`. */
export type FileReader = (source: ModelSource, path: string, onBytes?: ByteProgress) => Promise<Uint8Array>;

/** The ONNX file transformers.js exports use for each dtype. */
export const ONNX_FILE_BY_DTYPE: Record<Dtype, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

export const HUB_HOST = 'https://huggingface.co';

/** The URL a file is fetched from (not used for picked files). */
export function modelFileUrl(source: ModelSource, path: string, baseUrl: string): string {
  switch (source.kind) {
    case 'hub':
      return `${HUB_HOST}/${source.id}/resolve/${encodeURIComponent(source.revision ?? 'main')}/${path}`;
    case 'server':
      return new URL(`models/${source.id}/${path}`, baseUrl).href;
    case 'files':
      return `${source.name}/${path}`;
  }
}

/** The label of a source for messages and the UI. */
export function sourceLabel(source: ModelSource): string {
  switch (source.kind) {
    case 'hub':
      return source.id;
    case 'server':
      return `${source.id} (local folder)`;
    case 'files':
      return `${source.name} (picked folder)`;
  }
}

const HUB_CACHE = 'pairscope-hub-v1';

/**
 * A FileReader over `fetch` (and the Cache API for Hub files, so a model downloads once). `baseUrl` is the
 * app's origin + base path, for `server` sources.
 */
export function createFetchFileReader(baseUrl: string): FileReader {
  return async (source, path, onBytes) => {
    if (source.kind === 'files') return readPickedFile(source, path, onBytes);
    const url = modelFileUrl(source, path, baseUrl);
    const cache =
      source.kind === 'hub' && typeof caches !== 'undefined' ? await caches.open(HUB_CACHE) : null;
    const cached = cache ? await cache.match(url) : undefined;
    let response: Response;
    if (cached) {
      response = cached;
    } else {
      try {
        response = await fetch(url);
      } catch (error) {
        throw new ModelError(
          'model.network',
          `Could not reach ${url} (${(error as Error).message}). Check the network, or use a local model folder.`,
        );
      }
    }
    if (!response.ok) throw httpError(source, path, url, response.status);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/html')) {
      // A single-page-app fallback answers every unknown path with index.html and status 200.
      throw new ModelError(
        'model.file-missing',
        `Model file ${path} is missing: ${url} answered with an HTML page, not the file. Put ${path} in the model folder.`,
      );
    }
    const bytes = await readBody(response, onBytes);
    if (cache && !cached) {
      await cache
        .put(url, new Response(bytes.slice().buffer, { headers: response.headers }))
        .catch(() => undefined);
    }
    return bytes;
  };
}

function httpError(source: ModelSource, path: string, url: string, status: number): ModelError {
  if (source.kind === 'hub' && path === 'config.json' && (status === 401 || status === 404)) {
    return new ModelError(
      'model.not-found',
      `No public model "${source.id}" on the Hugging Face Hub (${url} answered HTTP ${status}). Check the id (owner/name), or log in is not supported: use a public model.`,
    );
  }
  return new ModelError(
    'model.file-missing',
    `Model file ${path} not found: ${url} answered HTTP ${status}. The folder must hold config.json, tokenizer.json, tokenizer_config.json and ${path.startsWith('onnx/') ? path : 'onnx/model.onnx'}.`,
  );
}

/** Reads a response body, reporting bytes as they arrive (total 0 when the server sent no length). */
export async function readBody(response: Response, onBytes?: ByteProgress): Promise<Uint8Array> {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body || !onBytes) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readPickedFile(
  source: Extract<ModelSource, { kind: 'files' }>,
  path: string,
  onBytes?: ByteProgress,
): Promise<Uint8Array> {
  const entry = source.files.find((f) => f.path === path);
  if (!entry) {
    throw new ModelError(
      'model.file-missing',
      `Model file ${path} is not in the picked folder "${source.name}" (it has ${source.files.length} files). Pick the folder that holds config.json and onnx/.`,
    );
  }
  const bytes = new Uint8Array(await entry.file.arrayBuffer());
  onBytes?.(bytes.byteLength, bytes.byteLength);
  return bytes;
}

/**
 * Paths of picked files relative to the model folder: strips the first folder component that
 * `webkitRelativePath` carries (`my-model/onnx/model.onnx` → `onnx/model.onnx`).
 */
export function relativeModelPath(relativePath: string): string {
  const parts = relativePath.split('/').filter(Boolean);
  return parts.length > 1 ? parts.slice(1).join('/') : (parts[0] ?? '');
}
