/**
 * Vectors as files: NumPy `.npy` (written as float32, read from float32 or float64) and tab-separated rows,
 * for exporting embeddings and for importing vectors made elsewhere, aligned with the pairs.
 *
 * The `.npy` layout (NEP 1, format version 1.0): the magic `\x93NUMPY`, version bytes 1 0, a little-endian
 * uint16 header length, an ASCII Python-dict header padded with spaces and ended by `\n` so that the data
 * starts at a multiple of 64 bytes, then the array in C order.
 */
import { InputError } from './errors';
import type { Matrix } from './matrix';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** `.npy` bytes of a float32 matrix, exactly as `numpy.save` writes a `(rows, dim)` float32 array. */
export function encodeNpy(matrix: Matrix): Uint8Array {
  const { data, rows, dim } = matrix;
  if (data.length !== rows * dim)
    throw new InputError('input.dimension', `matrix is ${rows} × ${dim} but holds ${data.length} numbers`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  // magic (6) + version (2) + length (2) + header + '\n' must be a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const offset = 10 + header.length;
  const bytes = new Uint8Array(offset + data.length * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  bytes[8] = header.length & 0xff;
  bytes[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(offset + i * 4, data[i], true);
  return bytes;
}

function npyError(name: string, message: string): InputError {
  return new InputError('input.file', `${name}: ${message}`);
}

/**
 * Reads a `.npy` file of a 2-D float32 or float64 array (versions 1–3, C or Fortran order) into a float32
 * matrix. A 1-D array is one column. Throws `InputError` `input.file` naming the file and the problem.
 */
export function decodeNpy(bytes: Uint8Array, name = 'the file'): Matrix {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw npyError(
      name,
      'not a NumPy .npy file (it does not start with \\x93NUMPY). Save the array with numpy.save.',
    );
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (major < 1 || major > 3 || start + headerLength > bytes.length) {
    throw npyError(name, `unsupported or damaged .npy header (format version ${major}).`);
  }
  let header = '';
  for (let i = start; i < start + headerLength; i++) header += String.fromCharCode(bytes[i]);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw npyError(name, 'the .npy header has no dtype or shape.');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.length < 1 || shape.length > 2 || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw npyError(
      name,
      `the array has shape (${shapeText}); vectors must be a 2-D array (pairs × dimensions).`,
    );
  }
  const [rows, dim = 1] = shape;
  const little = descr.startsWith('<') || descr.startsWith('|');
  const kind = descr.slice(1);
  if (kind !== 'f4' && kind !== 'f8') {
    throw npyError(name, `the array holds ${descr} values; save it as float32 (numpy: a.astype("float32")).`);
  }
  const size = kind === 'f4' ? 4 : 8;
  const offset = start + headerLength;
  const count = rows * dim;
  if (bytes.length - offset < count * size) {
    throw npyError(
      name,
      `the file is truncated: ${rows} × ${dim} values need ${count * size} bytes of data, it has ${bytes.length - offset}.`,
    );
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const at = offset + i * size;
    data[i] = size === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little);
  }
  if (fortran && dim > 1) {
    const c = new Float32Array(count);
    for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) c[r * dim + d] = data[d * rows + r];
    return { data: c, rows, dim };
  }
  return { data, rows, dim };
}

/** Tab-separated rows of numbers, one vector per line (TensorBoard Projector's `vectors.tsv`). */
export function vectorsTsv(matrix: Matrix): string {
  const lines: string[] = [];
  for (let r = 0; r < matrix.rows; r++) {
    lines.push(Array.from(matrix.data.subarray(r * matrix.dim, (r + 1) * matrix.dim), String).join('\t'));
  }
  return lines.join('\n') + '\n';
}

/**
 * Reads vectors as text: one row per line, numbers separated by tabs (or commas / spaces), no header. Blank
 * lines are skipped. Throws with the line (and column) of a ragged row or a cell that is not a finite number.
 */
export function parseVectorsTsv(text: string, name = 'the file'): Matrix {
  const rows: number[][] = [];
  let dim = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(/[\t, ]+/);
    const values = cells.map(Number);
    const bad = values.findIndex((v, k) => !Number.isFinite(v) || cells[k] === '');
    if (bad >= 0) {
      throw npyError(
        name,
        rows.length === 0 && /[A-Za-z]/.test(cells[bad])
          ? `line ${i + 1} is not numbers ("${cells[bad].slice(0, 20)}"): a vectors file has no header; remove it.`
          : `line ${i + 1}, column ${bad + 1}: "${cells[bad].slice(0, 20)}" is not a finite number.`,
      );
    }
    if (dim >= 0 && values.length !== dim) {
      throw npyError(
        name,
        `line ${i + 1} has ${values.length} numbers, the lines before it ${dim}: every vector needs the same length.`,
      );
    }
    dim = values.length;
    rows.push(values);
  }
  if (rows.length === 0) throw npyError(name, 'no vectors in the file.');
  const data = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => data.set(row, r * dim));
  return { data, rows: rows.length, dim };
}

/**
 * Checks that imported vectors fit the pairs: one finite vector per pair, in pair order. Throws `InputError`
 * saying how many rows the file has and how many pairs there are.
 */
export function checkVectorsForPairs(matrix: Matrix, pairs: number, name = 'the file'): void {
  if (matrix.rows !== pairs) {
    throw npyError(
      name,
      `the file has ${matrix.rows} vectors but there are ${pairs} pairs: vectors must be one per pair, in pair order.`,
    );
  }
  if (matrix.dim < 1) throw npyError(name, 'the vectors have no dimensions.');
  for (let i = 0; i < matrix.data.length; i++) {
    if (!Number.isFinite(matrix.data[i])) {
      throw npyError(
        name,
        `vector ${Math.floor(i / matrix.dim) + 1} holds ${matrix.data[i]}: every value must be a finite number.`,
      );
    }
  }
}
