/**
 * The session file: one JSON document that re-imports to the same state — the pairs text and how it is read,
 * the settings, and the computed results (vectors, map coordinates, classifier and its report).
 *
 * Typed arrays anywhere in the content (vectors, coordinates, predictions …) are written as
 * `{"$typed": "Float32Array", "base64": "…"}` — the little-endian bytes in base64: exact, and about a third of
 * the size of number lists. Everything else is plain JSON. The content is opaque here; the app checks its
 * fields when it applies them.
 */
import { InputError } from './errors';

export const SESSION_FORMAT = 'pairscope-session';
/** Version written; files from a newer version are refused with a message to update. */
export const SESSION_VERSION = 1;

const TYPED = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
} as const;
type TypedName = keyof typeof TYPED;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648, with padding) of bytes; built in chunks so large inputs stay fast. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const codes: number[] = [];
    for (let i = start; i < end; i += 3) {
      const b0 = bytes[i];
      const b1 = i + 1 < end ? bytes[i + 1] : 0;
      const b2 = i + 2 < end ? bytes[i + 2] : 0;
      codes.push(ALPHABET.charCodeAt(b0 >> 2), ALPHABET.charCodeAt(((b0 & 3) << 4) | (b1 >> 4)));
      codes.push(i + 1 < end ? ALPHABET.charCodeAt(((b1 & 15) << 2) | (b2 >> 6)) : 61);
      codes.push(i + 2 < end ? ALPHABET.charCodeAt(b2 & 63) : 61);
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Bytes of standard base64; throws on characters outside the alphabet or a bad length. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => {
      const code = text.charCodeAt(i + k);
      if (code === 61 && i + 4 === text.length && k >= 2) return 0;
      const v = code < 128 ? DECODE[code] : -1;
      if (v < 0) throw new Error(`invalid base64 character at ${i + k}`);
      return v;
    });
    const n = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    if (o < bytes.length) bytes[o++] = n >> 16;
    if (o < bytes.length) bytes[o++] = (n >> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  return bytes;
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function encodeTyped(value: ArrayBufferView): { $typed: string; base64: string } {
  const name = value.constructor.name as TypedName;
  if (!(name in TYPED)) throw new Error(`cannot store ${name}`);
  if (!isLittleEndian()) throw new Error('session files are written on little-endian machines only');
  return {
    $typed: name,
    base64: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)),
  };
}

/** Writes a session file for `content` (any JSON-like value whose typed arrays are kept exactly). */
export function serializeSession(content: object, createdAt = new Date().toISOString()): string {
  return JSON.stringify(
    { format: SESSION_FORMAT, version: SESSION_VERSION, createdAt, content },
    (_key, value: unknown) =>
      ArrayBuffer.isView(value) && !(value instanceof DataView) ? encodeTyped(value) : value,
  );
}

/** What {@link parseSession} returns. */
export interface ParsedSession {
  createdAt: string;
  content: Record<string, unknown>;
}

/**
 * Reads a session file. Throws `InputError` `input.file` when the text is not JSON, not a Pairscope session,
 * from a newer version, or has a damaged array.
 */
export function parseSession(text: string, name = 'the file'): ParsedSession {
  const fail = (message: string): never => {
    throw new InputError('input.file', `${name}: ${message}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && '$typed' in value && 'base64' in value) {
        const { $typed, base64 } = value;
        if (typeof $typed !== 'string' || !($typed in TYPED) || typeof base64 !== 'string') {
          throw new Error(`an array of unknown type ${String($typed)}`);
        }
        const Ctor = TYPED[$typed as TypedName];
        const bytes = base64ToBytes(base64);
        if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`a damaged ${$typed}`);
        return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
      }
      return value;
    });
  } catch (error) {
    return fail(`not a readable session file (${(error as Error).message}).`);
  }
  const doc = parsed as {
    format?: unknown;
    version?: unknown;
    createdAt?: unknown;
    content?: unknown;
  } | null;
  if (!doc || typeof doc !== 'object' || doc.format !== SESSION_FORMAT) {
    return fail('not a Pairscope session file (use "Save session" to make one).');
  }
  if (typeof doc.version !== 'number' || doc.version > SESSION_VERSION) {
    return fail(
      `made by a newer Pairscope (session version ${String(doc.version)}; this one reads ${SESSION_VERSION}). Update the app.`,
    );
  }
  if (!doc.content || typeof doc.content !== 'object') return fail('the session has no content.');
  return {
    createdAt: typeof doc.createdAt === 'string' ? doc.createdAt : '',
    content: doc.content as Record<string, unknown>,
  };
}
