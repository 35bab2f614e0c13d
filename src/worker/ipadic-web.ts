/**
 * IPADIC dictionary files in the browser: kuromoji's 12 `dict/*.dat.gz` files, emitted by Vite as assets of
 * the app's own build (never a CDN), fetched with byte progress and gunzipped with `DecompressionStream`.
 */
import base from 'kuromoji/dict/base.dat.gz?url';
import cc from 'kuromoji/dict/cc.dat.gz?url';
import check from 'kuromoji/dict/check.dat.gz?url';
import tid from 'kuromoji/dict/tid.dat.gz?url';
import tidMap from 'kuromoji/dict/tid_map.dat.gz?url';
import tidPos from 'kuromoji/dict/tid_pos.dat.gz?url';
import unk from 'kuromoji/dict/unk.dat.gz?url';
import unkChar from 'kuromoji/dict/unk_char.dat.gz?url';
import unkCompat from 'kuromoji/dict/unk_compat.dat.gz?url';
import unkInvoke from 'kuromoji/dict/unk_invoke.dat.gz?url';
import unkMap from 'kuromoji/dict/unk_map.dat.gz?url';
import unkPos from 'kuromoji/dict/unk_pos.dat.gz?url';
import { isGzip, type IpadicFile, type IpadicFileReader } from './ipadic';
import { readBody } from './model-files';

const URLS: Record<IpadicFile, string> = {
  'base.dat.gz': base,
  'check.dat.gz': check,
  'tid.dat.gz': tid,
  'tid_pos.dat.gz': tidPos,
  'tid_map.dat.gz': tidMap,
  'cc.dat.gz': cc,
  'unk.dat.gz': unk,
  'unk_pos.dat.gz': unkPos,
  'unk_map.dat.gz': unkMap,
  'unk_char.dat.gz': unkChar,
  'unk_compat.dat.gz': unkCompat,
  'unk_invoke.dat.gz': unkInvoke,
};

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Reads the dictionary from the app's assets; a server that already decoded the gzip is handled too. */
export function createWebIpadicReader(): IpadicFileReader {
  return async (file, onBytes) => {
    const url = new URL(URLS[file], self.location.href).href;
    const response = await fetch(url);
    if (!response.ok || !response.body) {
      throw new Error(`${url} answered HTTP ${response.status}`);
    }
    const bytes = await readBody(response, (loaded, total) => onBytes?.(loaded, Math.max(total, loaded)));
    return isGzip(bytes) ? gunzip(bytes) : bytes;
  };
}
