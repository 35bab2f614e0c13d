import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Connect, Plugin } from 'vite';

/**
 * Cross-origin isolation: lets ONNX Runtime's WASM use threads (SharedArrayBuffer). Static hosts must send
 * the same headers (README, "Hosting").
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy of the production build (sent by `vite preview`, and by static hosts through
 * `public/_headers`, which a unit test keeps equal to this). No inline script and no eval anywhere:
 * - `'wasm-unsafe-eval'` lets ONNX Runtime compile its WebAssembly (it allows WebAssembly only, not eval);
 * - `blob:` scripts and workers: ONNX Runtime loads its `.mjs` glue from a same-origin blob: URL and starts
 *   its thread workers from blob: URLs;
 * - `connect-src` is the app itself and the Hugging Face Hub (model files redirect to its CDN hosts).
 * The dev server sends none: Vite's hot reload injects inline scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Every header the built app needs from its host. */
export const PRODUCTION_HEADERS: Record<string, string> = {
  ...isolation,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const DTYPE_FILES: Record<string, string> = {
  'onnx/model.onnx': 'fp32',
  'onnx/model_fp16.onnx': 'fp16',
  'onnx/model_quantized.onnx': 'q8',
  'onnx/model_q4.onnx': 'q4',
};

function listFiles(dir: string, prefix = ''): { path: string; bytes: number }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, rel);
    return entry.isFile() ? [{ path: rel, bytes: statSync(full).size }] : [];
  });
}

/**
 * Serves a folder of models (transformers.js layout) at `/models/`, with `/models/index.json` listing them.
 * The folder is PAIRSCOPE_MODELS_DIR (default `../shared/models` beside the repository). A missing file is a
 * real 404 — never the SPA's index.html, which transformers.js would try to parse as a model.
 */
function localModels(): Plugin {
  const dir = path.resolve(
    process.env.PAIRSCOPE_MODELS_DIR ?? path.join(import.meta.dirname, '..', 'shared', 'models'),
  );
  const handler: Connect.NextHandleFunction = (req: IncomingMessage, res: ServerResponse, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/models/')) return next();
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.statusCode = status;
      res.setHeader('Content-Type', type);
      res.end(body);
    };
    if (url.pathname === '/models/index.json') {
      const models = existsSync(dir)
        ? readdirSync(dir, { withFileTypes: true })
            // existsSync follows symbolic links, so a folder of links to model folders works too.
            .filter((e) => !e.isFile() && existsSync(path.join(dir, e.name, 'config.json')))
            .map((e) => {
              const files = listFiles(path.join(dir, e.name));
              let modelType: string | null;
              try {
                const config = JSON.parse(readFileSync(path.join(dir, e.name, 'config.json'), 'utf8')) as {
                  model_type?: string;
                };
                modelType = config.model_type ?? null;
              } catch {
                modelType = null;
              }
              return {
                id: e.name,
                modelType,
                dtypes: files.flatMap((f) => (DTYPE_FILES[f.path] ? [DTYPE_FILES[f.path]] : [])),
                files,
              };
            })
            .sort((a, b) => a.id.localeCompare(b.id))
        : [];
      return send(200, JSON.stringify({ models }), 'application/json');
    }
    const rel = decodeURIComponent(url.pathname.slice('/models/'.length));
    const full = path.resolve(dir, rel);
    if (!full.startsWith(dir + path.sep) || !existsSync(full) || !statSync(full).isFile()) {
      return send(404, `Not found: ${url.pathname}`);
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', full.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(full).size));
    createReadStream(full).pipe(res);
  };
  return {
    name: 'pairscope-local-models',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

export default defineConfig({
  plugins: [react(), localModels()],
  server: { headers: isolation },
  preview: { headers: PRODUCTION_HEADERS },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@huggingface/transformers', 'onnxruntime-web'],
    // kuromoji is CommonJS; the worker imports one of its internal modules (the IPADIC dictionary loader).
    include: ['comlink', 'umap-js', 'kuromoji/src/dict/DynamicDictionaries.js'],
  },
  build: {
    // Never inline the IPADIC dictionary parts as data: URLs (some are under 4 kB): the worker fetches them
    // as files, and the Content-Security-Policy allows fetches from the app's own origin only.
    assetsInlineLimit: (file) => (file.endsWith('.dat.gz') ? false : undefined),
    // The worker bundles transformers.js + ONNX Runtime (~650 kB); the wasm itself is a separate asset.
    chunkSizeWarningLimit: 1500,
  },
});
