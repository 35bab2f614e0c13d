/**
 * The session survives reloads and browser restarts, in IndexedDB (via `idb`): what the user gave (pasted
 * text, settings) and what took long to compute (vectors, map coordinates, classifier), the latter keyed by
 * the text, the model and the recipe so that stale results are never shown. Writes are debounced by the
 * caller; a failed write (quota, private mode) is reported as a sentence, never thrown at the UI.
 */
import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { FormatChoice } from '../core/formats';
import type { Pair } from '../core/pairs';
import { recipeKey } from '../core/recipe';
import type { EmbedSummary, ProjectionResult, TrainSummary, VectorsExport } from '../worker/protocol';
import type { Settings } from './state';

const DB_NAME = 'pairscope';
const STORE = 'session';
const RESULTS = 'results';

export interface SavedSession {
  pairsText: string;
  /** How the text is read (null or absent: detected). */
  pairsFormat?: FormatChoice | null;
  settings: Settings;
}

/** Computed results of one embedding, and what was computed from it. */
export interface SavedResults {
  /** {@link resultsKey} of the text and settings they were computed for. */
  key: string;
  pairs: Pair[];
  vectors: VectorsExport;
  embed: EmbedSummary;
  projection: ProjectionResult | null;
  train: TrainSummary | null;
  /** The trained classifier as JSON (weights, scaler, classes), as the worker exports it. */
  classifierJson: string | null;
  /** ISO time of the embedding. */
  savedAt: string;
}

/** FNV-1a over UTF-16 code units: a fast fingerprint of the pasted text (not a security hash). */
export function textFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16)}:${text.length}`;
}

/** What results belong to: the text and how it is read, the model source and weights, and the recipe. */
export function resultsKey(pairsText: string, format: FormatChoice | null, settings: Settings): string {
  return JSON.stringify([
    textFingerprint(pairsText),
    format,
    settings.source,
    settings.dtype,
    recipeKey(settings.recipe),
  ]);
}

let dbPromise: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 2, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) database.createObjectStore(STORE);
      if (oldVersion < 2) database.createObjectStore(RESULTS);
    },
  });
  return dbPromise;
}

function storageProblem(error: unknown, what: string): string {
  const name = (error as { name?: string }).name;
  return name === 'QuotaExceededError'
    ? `The browser refused to store ${what} (storage quota exceeded): everything is still here, but it will not survive a reload. Free space in the browser, or use fewer pairs; "Save session" writes a file instead.`
    : `Could not save ${what} (${(error as Error).message}).`;
}

export async function loadSession(): Promise<SavedSession | null> {
  try {
    return ((await (await db()).get(STORE, 'current')) as SavedSession | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Saves; resolves to an error message when storage refused (e.g. quota exceeded), else null. */
export async function saveSession(session: SavedSession): Promise<string | null> {
  try {
    await (await db()).put(STORE, session, 'current');
    return null;
  } catch (error) {
    return storageProblem(error, 'your text and settings');
  }
}

export async function loadResults(): Promise<SavedResults | null> {
  try {
    const database = await db();
    const meta = (await database.get(RESULTS, 'meta')) as Omit<SavedResults, 'vectors'> | undefined;
    const vectors = (await database.get(RESULTS, 'vectors')) as
      | (VectorsExport & { key: string; savedAt: string })
      | undefined;
    if (!meta || !vectors || vectors.key !== meta.key || vectors.savedAt !== meta.savedAt) return null;
    return { ...meta, vectors: { data: vectors.data, rows: vectors.rows, dim: vectors.dim } };
  } catch {
    return null;
  }
}

/**
 * Saves the results, replacing older ones. The vectors are a separate record, written only when they are new
 * (`vectors: true`): a map or a classifier computed later rewrites the small part alone. Resolves to an error
 * message when storage refused.
 */
export async function saveResults(
  results: SavedResults,
  options: { vectors: boolean },
): Promise<string | null> {
  const { vectors, ...meta } = results;
  try {
    const database = await db();
    if (options.vectors) {
      await database.put(RESULTS, { ...vectors, key: results.key, savedAt: results.savedAt }, 'vectors');
    }
    await database.put(RESULTS, meta, 'meta');
    return null;
  } catch (error) {
    return storageProblem(error, `the vectors (${vectors.rows} × ${vectors.dim})`);
  }
}

/** Forgets everything stored: text, settings and results. */
export async function clearSession(): Promise<void> {
  try {
    const database = await db();
    await database.delete(STORE, 'current');
    await database.delete(RESULTS, 'meta');
    await database.delete(RESULTS, 'vectors');
  } catch {
    // Nothing stored is nothing to clear.
  }
}
