/**
 * Locates `../shared` (beside the repository): models and data the project may use but not commit.
 * Override with PAIRSCOPE_SHARED_DIR. A missing file is an error, never a skip — under CI=true and elsewhere.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the shared folder. */
export const sharedDir = path.resolve(
  process.env.PAIRSCOPE_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'),
);

/** Absolute path of a file or folder under shared/; throws with a clear message when it is missing. */
export function sharedPath(...parts: string[]): string {
  const full = path.join(sharedDir, ...parts);
  if (!existsSync(full)) {
    throw new Error(
      `Missing ${full}: the tests need ../shared beside the repository (models and data; see README). ` +
        `Set PAIRSCOPE_SHARED_DIR to its location.`,
    );
  }
  return full;
}

/** The folder of local models (`shared/models`). */
export function modelsDir(): string {
  return sharedPath('models');
}
