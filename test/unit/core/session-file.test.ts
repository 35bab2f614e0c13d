import { describe, expect, it } from 'vitest';
import {
  SESSION_VERSION,
  base64ToBytes,
  bytesToBase64,
  parseSession,
  serializeSession,
} from '../../../src/core/session-file';

describe('base64', () => {
  it('matches RFC 4648 test vectors and round-trips every length', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      const bytes = Uint8Array.from(plain, (c) => c.charCodeAt(0));
      expect(bytesToBase64(bytes)).toBe(encoded);
      expect(base64ToBytes(encoded)).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });
  it('refuses characters outside the alphabet', () => {
    expect(() => base64ToBytes('Zm9*')).toThrow(/invalid base64/);
  });
});

describe('session file', () => {
  it('round-trips typed arrays bit for bit (−0, NaN, subnormals) inside any structure', () => {
    const vectors = new Float32Array([-0, Number.NaN, 1e-45, 3.4e38, -1.5]);
    const content = {
      pairsText: 'A cat.\tAn animal.\tentailment',
      settings: { seed: 3, nested: { list: [1, 2] } },
      results: {
        vectors: { data: vectors, rows: 1, dim: 5 },
        roles: new Uint8Array([0, 1]),
        predictions: new Int32Array([2, -1]),
      },
    };
    const text = serializeSession(content, '2026-11-28T00:00:00.000Z');
    const parsed = parseSession(text);
    expect(parsed.createdAt).toBe('2026-11-28T00:00:00.000Z');
    const results = parsed.content.results as typeof content.results;
    expect(results.vectors.data).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(results.vectors.data.buffer)).toEqual(new Uint8Array(vectors.buffer));
    expect(results.roles).toEqual(new Uint8Array([0, 1]));
    expect(results.predictions).toEqual(new Int32Array([2, -1]));
    expect(parsed.content.settings).toEqual(content.settings);
  });
  it('explains files it cannot use', () => {
    expect(() => parseSession('not json', 's.json')).toThrow(/s.json: not a readable session file/);
    expect(() => parseSession('{"a": 1}', 's.json')).toThrow(/not a Pairscope session file/);
    const newer = JSON.stringify({ format: 'pairscope-session', version: SESSION_VERSION + 1, content: {} });
    expect(() => parseSession(newer, 's.json')).toThrow(/made by a newer Pairscope .* Update the app/);
    const damaged = JSON.stringify({
      format: 'pairscope-session',
      version: 1,
      content: { v: { $typed: 'Float32Array', base64: 'AAA=' } },
    });
    expect(() => parseSession(damaged, 's.json')).toThrow(/damaged Float32Array/);
  });
});
