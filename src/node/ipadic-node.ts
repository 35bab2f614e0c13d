/**
 * IPADIC dictionary files for Node (tests, `npm run eval`): read from the installed kuromoji package and
 * gunzipped with zlib.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isGzip, type IpadicFileReader } from '../worker/ipadic';

/** The folder holding kuromoji's 12 `*.dat.gz` dictionary files. */
export function kuromojiDictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** Reads dictionary files from `dir` (default: the kuromoji package's). */
export function createNodeIpadicReader(dir = kuromojiDictDir()): IpadicFileReader {
  return async (file, onBytes) => {
    const bytes = new Uint8Array(await readFile(path.join(dir, file)));
    onBytes?.(bytes.byteLength, bytes.byteLength);
    return isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
  };
}
