/**
 * What the user gave survives reloads: pasted text and settings, in IndexedDB (via `idb`). Writes are
 * debounced by the caller; a failed write (quota, private mode) is reported, never thrown at the UI.
 */
import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { Settings } from './state';

const DB_NAME = 'pairscope';
const STORE = 'session';

export interface SavedSession {
  pairsText: string;
  settings: Settings;
}

let dbPromise: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return dbPromise;
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
    const name = (error as { name?: string }).name;
    return name === 'QuotaExceededError'
      ? 'The browser refused to store this session (storage quota exceeded): your text is still here, but it will not survive a reload. Free space or shorten the input.'
      : `Could not save the session (${(error as Error).message}).`;
  }
}

export async function clearSession(): Promise<void> {
  try {
    await (await db()).delete(STORE, 'current');
  } catch {
    // Nothing stored is nothing to clear.
  }
}
