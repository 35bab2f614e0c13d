/**
 * Typed errors of Pairscope. Every error the user can meet carries a stable `code` so the UI can branch on
 * it after it crossed the worker boundary (comlink keeps only `name`, `message` and `stack`, so the code is
 * also encoded in `name`, e.g. `InputError` / `ModelError`, and in a `[code]` prefix-free field below).
 *
 * Messages say what is wrong, where (line, pair, file, URL) and what to do.
 */
export type ErrorCode =
  | 'input.empty'
  | 'input.line'
  | 'input.single-class'
  | 'input.too-few'
  | 'input.dimension'
  | 'input.not-finite'
  | 'input.label'
  | 'input.option'
  | 'input.file'
  | 'model.file-missing'
  | 'model.not-found'
  | 'model.network'
  | 'model.no-onnx'
  | 'model.format'
  | 'model.architecture'
  | 'model.layers'
  | 'model.session'
  | 'model.not-loaded'
  | 'model.tokenizer';

/** Base class: an error with a stable code. */
export class PairscopeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'PairscopeError';
  }
}

/** Something is wrong with what the user gave (text, labels, settings). */
export class InputError extends PairscopeError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = 'InputError';
  }
}

/** Something is wrong with a model: missing file, unknown id, unsupported graph. */
export class ModelError extends PairscopeError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = 'ModelError';
  }
}

/** Thrown when a job was cancelled; it is not an error to show. */
export class AbortError extends Error {
  constructor(message = 'The job was cancelled.') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for an error (or an error-like object that crossed comlink) that means "cancelled". */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
