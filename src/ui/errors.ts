/**
 * Turns an error that crossed the worker boundary into one sentence for the user. Comlink keeps only
 * `name`, `message` and `stack`, so errors are told apart by name; core messages already say what to do.
 */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return 'Unexpected error.';
  const { name, message } = error as { name?: string; message?: string };
  const text = message ?? 'no message';
  switch (name) {
    case 'InputError':
    case 'ModelError':
    case 'WorkerCrashError':
      return text;
    case 'RangeError':
      return text;
    default:
      if (/no available backend|Failed to fetch/i.test(text)) {
        return `ONNX Runtime could not start (${text}). Reload the page; if it persists, try the WASM device.`;
      }
      return `Unexpected error: ${text}`;
  }
}
