import { describe, expect, it } from 'vitest';
import {
  checkVectorsForPairs,
  decodeNpy,
  encodeNpy,
  parseVectorsTsv,
  vectorsTsv,
} from '../../../src/core/vector-files';

/** A .npy file as numpy.save writes it (header padded so the data starts at a multiple of 64). */
function numpyFile(
  descr: string,
  shape: string,
  fortran: boolean,
  body: Uint8Array,
  version = 1,
): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape}), }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(body, prefix + header.length);
  return out;
}

describe('encodeNpy', () => {
  it('writes numpy.save’s exact header (checked byte for byte against numpy 2.4) and little-endian float32 data', () => {
    const bytes = encodeNpy({ data: new Float32Array([1, -2.5, 0.25, 3, 4, 5]), rows: 2, dim: 3 });
    expect(Array.from(bytes.subarray(0, 10))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    const header = String.fromCharCode(...bytes.subarray(10, 128));
    expect(header).toBe(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }${' '.repeat(58)}\n`);
    expect(bytes.length).toBe(128 + 24);
    const view = new DataView(bytes.buffer);
    expect(view.getFloat32(128 + 4, true)).toBe(-2.5);
  });
  it('round-trips through decodeNpy, an empty matrix included', () => {
    const m = { data: Float32Array.from({ length: 35 }, (_, i) => Math.sin(i)), rows: 7, dim: 5 };
    expect(decodeNpy(encodeNpy(m))).toEqual(m);
    expect(decodeNpy(encodeNpy({ data: new Float32Array(0), rows: 0, dim: 4 }))).toEqual({
      data: new Float32Array(0),
      rows: 0,
      dim: 4,
    });
  });
});

describe('decodeNpy', () => {
  const f64 = new Uint8Array(new Float64Array([0, 0.25, 0.5, 0.75, 1, 1.25]).buffer);
  it('reads float64 (converted), Fortran order (transposed), version 2 headers and 1-D arrays', () => {
    expect(Array.from(decodeNpy(numpyFile('<f8', '2, 3', false, f64)).data)).toEqual([
      0, 0.25, 0.5, 0.75, 1, 1.25,
    ]);
    // Column-major [[0, .5, 1], [.25, .75, 1.25]] stored as 0, .25, .5, .75, 1, 1.25.
    expect(Array.from(decodeNpy(numpyFile('<f8', '2, 3', true, f64)).data)).toEqual([
      0, 0.5, 1, 0.25, 0.75, 1.25,
    ]);
    const f32 = new Uint8Array(new Float32Array([7, 8]).buffer);
    expect(decodeNpy(numpyFile('<f4', '1, 2', false, f32, 2))).toEqual({
      data: new Float32Array([7, 8]),
      rows: 1,
      dim: 2,
    });
    expect(decodeNpy(numpyFile('<f4', '2,', false, f32))).toMatchObject({ rows: 2, dim: 1 });
  });
  it('says what is wrong: not npy, dtype, shape, truncated data', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]), 'x.npy')).toThrow(/x.npy: not a NumPy .npy file/);
    expect(() => decodeNpy(numpyFile('<i8', '2, 3', false, f64), 'i.npy')).toThrow(
      /holds <i8 values; save it as float32/,
    );
    expect(() => decodeNpy(numpyFile('<f4', '2, 3, 4', false, f64), 's.npy')).toThrow(/must be a 2-D array/);
    expect(() => decodeNpy(numpyFile('<f8', '4, 3', false, f64), 't.npy')).toThrow(
      /truncated: 4 × 3 values need 96 bytes/,
    );
  });
});

describe('vectors as TSV', () => {
  it('round-trips tab-separated rows; commas and spaces are accepted as separators', () => {
    const m = { data: new Float32Array([1.5, -2, 0, 3.25]), rows: 2, dim: 2 };
    expect(vectorsTsv(m)).toBe('1.5\t-2\n0\t3.25\n');
    expect(parseVectorsTsv(vectorsTsv(m))).toEqual(m);
    expect(parseVectorsTsv('1, 2\n3 4\n\n')).toEqual({
      data: new Float32Array([1, 2, 3, 4]),
      rows: 2,
      dim: 2,
    });
  });
  it('locates a header, a bad cell and a ragged row', () => {
    expect(() => parseVectorsTsv('x\ty\n1\t2', 'v.tsv')).toThrow(
      /v.tsv: line 1 is not numbers \("x"\): a vectors file has no header/,
    );
    expect(() => parseVectorsTsv('1\t2\n3\tNaN', 'v.tsv')).toThrow(
      /line 2, column 2: "NaN" is not a finite number/,
    );
    expect(() => parseVectorsTsv('1\t2\n3', 'v.tsv')).toThrow(/line 2 has 1 numbers, the lines before it 2/);
    expect(() => parseVectorsTsv('\n\n', 'v.tsv')).toThrow(/no vectors/);
  });
  it('vectors must be one per pair and finite', () => {
    const m = { data: new Float32Array([1, 2, 3, 4]), rows: 2, dim: 2 };
    expect(() => checkVectorsForPairs(m, 3, 'v.npy')).toThrow(
      /v.npy: the file has 2 vectors but there are 3 pairs: vectors must be one per pair, in pair order/,
    );
    expect(() => checkVectorsForPairs({ ...m, data: new Float32Array([1, Infinity, 3, 4]) }, 2)).toThrow(
      /vector 1 holds Infinity/,
    );
    expect(() => checkVectorsForPairs(m, 2)).not.toThrow();
  });
});
