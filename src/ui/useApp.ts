/**
 * The app controller: state (pure reducer), persistence, and the actions that call the model worker.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { InputError, isAbortError } from '../core/errors';
import {
  detectFormat,
  detectedChoice,
  inspectFileBytes,
  parsePairsSteps,
  readPairsText,
  STEP_CHARS,
  type FormatChoice,
  type FormatDetection,
  type PairsParseResult,
} from '../core/formats';
import type { Pair } from '../core/pairs';
import { parseSession, serializeSession } from '../core/session-file';
import {
  checkVectorsForPairs,
  decodeNpy,
  encodeNpy,
  parseVectorsTsv,
  vectorsTsv,
} from '../core/vector-files';
import type { EmbeddingRecipe } from '../core/recipe';
import { recipeKey } from '../core/recipe';
import type {
  EmbedSummary,
  JobProgress,
  LoadModelOptions,
  VectorsExport,
  LayerProbeResult,
  ModelSource,
  ProjectionResult,
  ServerModel,
  TrainRequest,
  TrainSummary,
} from '../worker/protocol';
import { pairLabels } from './labels-view';
import { WorkerCrashError } from '../worker/client';
import { client } from './client';
import { describeError } from './errors';
import { download } from './download';
import { projectorMetadataTsv } from './map-data';
import {
  clearSession,
  loadResults,
  loadSession,
  resultsKey,
  saveResults,
  saveSession,
  type SavedResults,
} from './persist';
import { completeSettings, initialState, reducer } from './state';
import type { AppState, JobUpdate, PairsInput, Settings } from './state';

const SAVE_DEBOUNCE_MS = 300;

/**
 * Pairs per worker call when embedding. Big enough that the per-call cost (a copy of the chunk's vectors to
 * this thread) is small, small enough that a crash loses little.
 */
export const EMBED_CHUNK_PAIRS = 2000;

interface EmbedCheckpoint {
  pairs: Pair[];
  recipeKey: string;
  /** The recipe with layers resolved, as the worker reported it (null before the first chunk). */
  resolved: EmbeddingRecipe | null;
  /** Vectors of the finished chunks, in order (only kept when there is more than one chunk). */
  chunks: VectorsExport[];
  /** Pairs embedded so far, from the start. */
  done: number;
}

/** Texts longer than this are read in steps, with progress, between which the page stays responsive. */
const STEPPED_READ_CHARS = 2 * STEP_CHARS;

function toPairsInput(
  text: string,
  format: FormatChoice | null,
  detection: FormatDetection,
  result: PairsParseResult,
): PairsInput {
  const { pairs, issues, duplicates, truncated } = result;
  return { text, format, detection, pairs, issues, duplicates, truncated };
}

function pairsInput(text: string, format: FormatChoice | null, fileName: string): PairsInput {
  const reading = readPairsText(text, format, fileName);
  return toPairsInput(text, format, reading.detection, reading.result);
}

/**
 * Reads a large text step by step, yielding to the page between steps; resolves to null when `stale()` says a
 * newer text replaced it.
 */
async function readPairsStepped(
  text: string,
  format: FormatChoice | null,
  fileName: string,
  onProgress: (done: number, total: number) => void,
  stale: () => boolean,
): Promise<PairsInput | null> {
  const detection = detectFormat(text, fileName);
  const choice = format ?? detectedChoice(detection);
  if (!choice) return pairsInput(text, format, fileName);
  const steps = parsePairsSteps(text, choice);
  let step = steps.next();
  while (!step.done) {
    onProgress(step.value.done, step.value.total);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stale()) return null;
    step = steps.next();
  }
  return toPairsInput(text, format, detection, step.value);
}

/** Checks the results of a session file before they reach the worker and the state. */
function checkSavedResults(saved: SavedResults, pairs: number, name: string): void {
  const v = saved.vectors as Partial<VectorsExport> | undefined;
  const problem =
    !v || !(v.data instanceof Float32Array) || typeof v.rows !== 'number' || typeof v.dim !== 'number'
      ? 'its vectors are missing or damaged'
      : v.data.length !== v.rows * v.dim
        ? `its vectors hold ${v.data.length} numbers, not ${v.rows} × ${v.dim}`
        : v.rows !== pairs || !Array.isArray(saved.pairs) || saved.pairs.length !== pairs
          ? `its vectors are for ${v.rows} pairs but its text holds ${pairs}`
          : saved.projection && saved.projection.coordinates.length !== 2 * pairs
            ? 'its map coordinates do not match its pairs'
            : null;
  if (problem) throw new InputError('input.file', `${name}: ${problem}; the session cannot be restored.`);
}

/** Stacks row blocks of equal width. */
function concatVectors(parts: VectorsExport[]): VectorsExport {
  const rows = parts.reduce((sum, p) => sum + p.rows, 0);
  const dim = parts[0]?.dim ?? 0;
  const data = new Float32Array(rows * dim);
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  return { data, rows, dim };
}

/**
 * Starts a worker job that reports through JobUpdate: cancels the previous job of its kind, numbers the new
 * one, and maps its end to done / cancelled (not an error) / failed with a sentence for the user.
 */
function startJob<T>(
  abortRef: { current: AbortController | null },
  jobId: number,
  send: (update: JobUpdate<T>) => void,
  run: (onProgress: (progress: JobProgress) => void, signal: AbortSignal) => Promise<T>,
): void {
  abortRef.current?.abort();
  const abort = new AbortController();
  abortRef.current = abort;
  send({ kind: 'started', jobId });
  run((progress) => send({ kind: 'progress', jobId, progress }), abort.signal).then(
    (result) => send({ kind: 'done', jobId, result }),
    (error: unknown) =>
      send(
        isAbortError(error)
          ? { kind: 'cancelled', jobId }
          : { kind: 'failed', jobId, message: describeError(error) },
      ),
  );
}

export interface AppController {
  state: AppState;
  /** New pairs text, read with `format` (null: detect it); `fileName` hints the format. */
  setPairsText: (text: string, format?: FormatChoice | null, fileName?: string) => void;
  /** Reads a dropped or picked file of pairs (checked, decoded, detected) into the pairs text. */
  openPairsFile: (file: File) => Promise<void>;
  setSettings: (settings: Partial<Settings>) => void;
  loadModel: (source: ModelSource) => void;
  cancelLoad: () => void;
  embed: () => void;
  /** Continues an embedding the worker lost (crash), from the first pair not yet embedded. */
  resumeEmbed: () => void;
  cancelEmbed: () => void;
  train: () => void;
  probe: () => void;
  cancelTrain: () => void;
  project: () => void;
  cancelProject: () => void;
  serverModels: ServerModel[] | null;
  /** Clears the pairs, results, settings and what the browser stored (the loaded model stays). */
  newSession: () => void;
  /** Downloads the vectors as `.npy`, or as TensorBoard Projector `vectors.tsv` + `metadata.tsv`. */
  exportVectors: (kind: 'npy' | 'projector') => Promise<void>;
  /** Downloads the trained classifier as JSON. */
  exportClassifier: () => Promise<void>;
  /** Downloads a session file: text, settings, vectors, map and classifier. */
  saveSessionFile: () => Promise<void>;
  /** Opens a session file and restores its state. */
  openSessionFile: (file: File) => Promise<void>;
  /** Uses vectors made elsewhere (`.npy` or TSV, one per pair in order) as the embedding. */
  importVectorsFile: (file: File) => Promise<void>;
}

export function useApp(): AppController {
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const restored = useRef(false);
  const loadAbort = useRef<AbortController | null>(null);
  const embedAbort = useRef<AbortController | null>(null);
  const jobCounter = useRef(0);
  // Long embeddings run in chunks; the finished chunks' vectors are kept here, so that a worker crash (e.g. out
  // of memory) loses one chunk at most and the job resumes where it stopped.
  const checkpoint = useRef<EmbedCheckpoint | null>(null);
  const modelOptions = useRef<LoadModelOptions | null>(null);

  useEffect(() => {
    client.onRestart = (reason) => dispatch({ type: 'worker-restarted', reason });
    return () => {
      client.onRestart = null;
    };
  }, []);

  // The results of the current embedding as stored (vectors included): kept for saving what is computed from
  // them, and for "Save session".
  const results = useRef<SavedResults | null>(null);

  /** Puts saved results back: the vectors into the worker, the rest into the state. */
  const restoreResults = useCallback(async (saved: SavedResults, note: string) => {
    await client.importVectors(saved.pairs, saved.vectors, {
      origin: 'restored',
      recipe: saved.embed.recipe,
      note,
    });
    const summary: EmbedSummary = { ...saved.embed, origin: 'restored', note };
    results.current = { ...saved, embed: summary };
    dispatch({
      type: 'results-restored',
      summary,
      pairs: saved.pairs,
      projection: saved.projection,
      train: saved.train,
    });
  }, []);

  // Restore the saved session once, then save on every change (debounced).
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const saved = await loadSession();
      if (cancelled) return;
      // Start the model runtime while the user pastes pairs and picks a model.
      client.prepareRuntime(completeSettings(saved?.settings ?? {}).device);
      if (saved) {
        const settings = completeSettings(saved.settings);
        const format = saved.pairsFormat ?? null;
        dispatch({ type: 'restore', pairs: pairsInput(saved.pairsText, format, ''), settings });
        const stored = await loadResults();
        if (!cancelled && stored && stored.key === resultsKey(saved.pairsText, format, settings)) {
          await restoreResults(
            stored,
            `saved in this browser on ${new Date(stored.savedAt).toLocaleString()}; load the model to embed again`,
          ).catch((error: unknown) => dispatch({ type: 'notice', message: describeError(error) }));
        }
      }
      restored.current = true;
    })();
    return () => {
      cancelled = true;
    };
  }, [restoreResults]);

  useEffect(() => {
    if (!restored.current) return;
    const timer = setTimeout(() => {
      void saveSession({
        pairsText: state.pairsText,
        pairsFormat: state.pairsFormat,
        settings: state.settings,
      }).then((problem) => {
        if (problem) dispatch({ type: 'notice', message: problem });
      });
    }, SAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [state.pairsText, state.pairsFormat, state.settings]);

  // Store each new embedding with its vectors, and then what is computed from it (map, classifier).
  const embedDone = state.embed.status === 'done' ? state.embed : null;
  const { pairsText, pairsFormat, settings } = state;
  useEffect(() => {
    if (!embedDone || results.current?.embed === embedDone.summary) return;
    const key = resultsKey(pairsText, pairsFormat, settings);
    const pending: SavedResults = {
      key,
      pairs: embedDone.pairs,
      vectors: { data: new Float32Array(0), rows: 0, dim: 0 },
      embed: embedDone.summary,
      projection: null,
      train: null,
      classifierJson: null,
      savedAt: new Date().toISOString(),
    };
    results.current = pending;
    void client
      .getVectors()
      .then((vectors) => {
        if (!vectors || results.current !== pending) return null;
        pending.vectors = vectors;
        return saveResults(pending, { vectors: true });
      })
      .then((problem) => problem && dispatch({ type: 'notice', message: problem }))
      .catch(() => undefined);
  }, [embedDone, pairsText, pairsFormat, settings]);

  const projectionDone = state.projection.status === 'done' ? state.projection.result : null;
  useEffect(() => {
    const current = results.current;
    if (!projectionDone || !current || current.projection === projectionDone) return;
    current.projection = projectionDone;
    void saveResults(current, { vectors: false }).then(
      (problem) => problem && dispatch({ type: 'notice', message: problem }),
    );
  }, [projectionDone]);

  const trainDone = state.train.status === 'done' ? state.train.result : null;
  useEffect(() => {
    const current = results.current;
    if (!trainDone || !current || current.train === trainDone) return;
    current.train = trainDone;
    void client
      .getClassifierJson()
      .then((json) => {
        current.classifierJson = json;
        return saveResults(current, { vectors: false });
      })
      .then((problem) => problem && dispatch({ type: 'notice', message: problem }))
      .catch(() => undefined);
  }, [trainDone]);

  /** The current results with their vectors (fetched from the worker when the stored copy is not ready). */
  const currentResults = useCallback(async (): Promise<SavedResults | null> => {
    const current = results.current;
    if (!current) return null;
    if (current.vectors.rows === 0) {
      const vectors = await client.getVectors();
      if (!vectors) return null;
      current.vectors = vectors;
    }
    return current;
  }, []);

  const exportVectors = useCallback(
    async (kind: 'npy' | 'projector') => {
      const current = await currentResults();
      if (!current) return;
      if (kind === 'npy') {
        download('pairscope-vectors.npy', new Blob([encodeNpy(current.vectors) as Uint8Array<ArrayBuffer>]));
        return;
      }
      download('vectors.tsv', vectorsTsv(current.vectors), 'text/tab-separated-values');
      download(
        'metadata.tsv',
        projectorMetadataTsv(current.pairs, current.train),
        'text/tab-separated-values',
      );
    },
    [currentResults],
  );

  const exportClassifier = useCallback(async () => {
    const json = (await client.getClassifierJson()) ?? results.current?.classifierJson ?? null;
    if (json) download('pairscope-classifier.json', json, 'application/json');
  }, []);

  const saveSessionFile = useCallback(async () => {
    const current = await currentResults();
    download(
      'pairscope-session.json',
      serializeSession({
        pairsText: state.pairsText,
        pairsFormat: state.pairsFormat,
        settings: state.settings,
        results: current,
      }),
      'application/json',
    );
  }, [currentResults, state.pairsText, state.pairsFormat, state.settings]);

  const openSessionFile = useCallback(
    async (file: File) => {
      try {
        const { content, createdAt } = parseSession(await file.text(), file.name);
        const text = typeof content.pairsText === 'string' ? content.pairsText : '';
        const format = (content.pairsFormat ?? null) as FormatChoice | null;
        const settings = completeSettings(content.settings ?? {});
        embedAbort.current?.abort();
        results.current = null;
        checkpoint.current = null;
        const input = pairsInput(text, format, '');
        dispatch({ type: 'restore', pairs: input, settings });
        const saved = content.results as SavedResults | null | undefined;
        if (saved) {
          checkSavedResults(saved, input.pairs.length, file.name);
          await restoreResults(
            { ...saved, key: resultsKey(text, format, settings) },
            `from ${file.name} (saved ${new Date(createdAt).toLocaleString()})`,
          );
        }
        dispatch({ type: 'notice', message: `Session ${file.name} opened.` });
      } catch (error) {
        dispatch({ type: 'notice', message: describeError(error) });
      }
    },
    [restoreResults],
  );

  const importVectorsFile = useCallback(
    async (file: File) => {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const isNpy = bytes[0] === 0x93 && bytes[1] === 0x4e;
        const matrix = isNpy
          ? decodeNpy(bytes, file.name)
          : parseVectorsTsv(new TextDecoder().decode(bytes), file.name);
        const pairs = state.pairs;
        checkVectorsForPairs(matrix, pairs.length, file.name);
        const summary = await client.importVectors(pairs, matrix, {
          origin: 'imported',
          recipe: null,
          note: `${file.name} (${matrix.rows} × ${matrix.dim})`,
        });
        dispatch({ type: 'results-restored', summary, pairs, projection: null, train: null });
      } catch (error) {
        dispatch({ type: 'notice', message: describeError(error) });
      }
    },
    [state.pairs],
  );

  const newSession = useCallback(() => {
    embedAbort.current?.abort();
    results.current = null;
    checkpoint.current = null;
    void clearSession();
    dispatch({ type: 'new-session' });
  }, []);

  // The model folders the app's server offers (`/models/index.json`); none on a static host.
  useEffect(() => {
    let cancelled = false;
    void fetch(new URL('models/index.json', document.baseURI))
      .then((r) => (r.ok ? (r.json() as Promise<{ models: ServerModel[] }>) : { models: [] }))
      .catch(() => ({ models: [] }))
      .then((body) => {
        if (!cancelled) dispatch({ type: 'server-models', models: body.models });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const readSeq = useRef(0);
  const setPairsText = useCallback((text: string, format: FormatChoice | null = null, fileName = '') => {
    const seq = ++readSeq.current;
    if (text.length <= STEPPED_READ_CHARS) {
      dispatch({ type: 'pairs-changed', pairs: pairsInput(text, format, fileName) });
      return;
    }
    dispatch({ type: 'pairs-reading', text, done: 0, total: text.length });
    void readPairsStepped(
      text,
      format,
      fileName,
      (done, total) => {
        if (seq === readSeq.current) dispatch({ type: 'pairs-reading', text, done, total });
      },
      () => seq !== readSeq.current,
    ).then((input) => {
      if (input && seq === readSeq.current) dispatch({ type: 'pairs-changed', pairs: input });
    });
  }, []);

  const openPairsFile = useCallback(
    async (file: File) => {
      try {
        // Size first: a file over the limit is refused before it is read into memory.
        inspectFileBytes(new Uint8Array(0), file.name, file.size);
        const bytes = new Uint8Array(await file.arrayBuffer());
        inspectFileBytes(bytes, file.name);
        const text = new TextDecoder('utf-8').decode(bytes);
        dispatch({ type: 'pairs-file', name: file.name, error: null });
        setPairsText(text, null, file.name);
      } catch (error) {
        dispatch({ type: 'pairs-file', name: file.name, error: describeError(error) });
      }
    },
    [setPairsText],
  );

  const setSettings = useCallback((settings: Partial<Settings>) => {
    dispatch({ type: 'settings-changed', settings });
  }, []);

  const loadModel = useCallback(
    (source: ModelSource) => {
      loadAbort.current?.abort();
      const abort = new AbortController();
      loadAbort.current = abort;
      const jobId = ++jobCounter.current;
      dispatch({ type: 'model-load-started', jobId });
      const options: LoadModelOptions = {
        source,
        dtype: state.settings.dtype,
        device: state.settings.device,
        threads: null,
      };
      modelOptions.current = options;
      client
        .loadModel(options, (progress) => dispatch({ type: 'model-progress', jobId, progress }), abort.signal)
        .then(
          (info) => dispatch({ type: 'model-loaded', jobId, info }),
          (error: unknown) =>
            dispatch(
              isAbortError(error)
                ? { type: 'model-load-cancelled', jobId }
                : { type: 'model-failed', jobId, message: describeError(error) },
            ),
        );
    },
    [state.settings.dtype, state.settings.device],
  );

  const cancelLoad = useCallback(() => loadAbort.current?.abort(), []);

  const runEmbed = useCallback(
    (resume: boolean) => {
      embedAbort.current?.abort();
      const abort = new AbortController();
      embedAbort.current = abort;
      const jobId = ++jobCounter.current;
      const pairs = state.pairs;
      const recipe = state.settings.recipe;
      const key = recipeKey(recipe);
      const previous = checkpoint.current;
      // Updated immutably after each chunk: the ref always holds a complete checkpoint.
      let cp: EmbedCheckpoint =
        resume && previous && previous.pairs === pairs && previous.recipeKey === key
          ? previous
          : { pairs, recipeKey: key, resolved: null, chunks: [], done: 0 };
      checkpoint.current = cp;
      dispatch({ type: 'embed-started', jobId });
      const progress = (done: number, detail?: string) =>
        dispatch({
          type: 'embed-progress',
          jobId,
          progress: { stage: 'embed', done, total: pairs.length, detail },
        });
      const run = async (): Promise<EmbedSummary> => {
        const resumedFrom = cp.done;
        if (cp.done > 0) {
          // The worker restarted: load the model again and hand it the finished part.
          const options = modelOptions.current;
          if (!options) throw new Error('Load the model again, then resume.');
          progress(cp.done, 'loading the model again');
          const info = await client.loadModel(options, () => undefined, abort.signal);
          dispatch({ type: 'model-reloaded', info });
          await client.importVectors(pairs.slice(0, cp.done), concatVectors(cp.chunks), {
            origin: 'restored',
            recipe: cp.resolved,
            note: '',
          });
        }
        const started = performance.now();
        let summary: EmbedSummary | null = null;
        for (let start = cp.done; start < pairs.length; start += EMBED_CHUNK_PAIRS) {
          const part = pairs.slice(start, start + EMBED_CHUNK_PAIRS);
          summary = await client.embed(
            part,
            recipe,
            (p) => progress(start + Math.round((part.length * p.done) / Math.max(1, p.total))),
            abort.signal,
            { append: start > 0 },
          );
          const vectors = pairs.length > EMBED_CHUNK_PAIRS ? await client.getVectors(start) : null;
          cp = {
            ...cp,
            resolved: summary.recipe,
            chunks: vectors ? [...cp.chunks, vectors] : cp.chunks,
            done: start + part.length,
          };
          checkpoint.current = cp;
        }
        if (!summary) throw new Error('Nothing to embed.');
        const elapsedMs = performance.now() - started;
        return {
          ...summary,
          elapsedMs,
          pairsPerSecond: (pairs.length - resumedFrom) / (elapsedMs / 1000),
        };
      };
      run().then(
        (summary) => {
          checkpoint.current = null;
          dispatch({ type: 'embed-done', jobId, summary, pairs });
        },
        (error: unknown) => {
          if (isAbortError(error)) {
            dispatch({ type: 'embed-cancelled', jobId });
            return;
          }
          const crashed = error instanceof WorkerCrashError;
          dispatch({
            type: 'embed-failed',
            jobId,
            message: crashed
              ? `${error.reason} ${cp.done} of ${pairs.length} pairs were embedded before it stopped and are kept${cp.done > 0 ? '; Resume continues with the rest (the model is loaded again)' : ''}. If it ran out of memory, use a smaller model, q8 weights or shorter max length.`
              : describeError(error),
            resumable: crashed && cp.done > 0 ? { done: cp.done, total: pairs.length } : undefined,
          });
        },
      );
    },
    [state.pairs, state.settings.recipe],
  );
  const embed = useCallback(() => runEmbed(false), [runEmbed]);
  const resumeEmbed = useCallback(() => runEmbed(true), [runEmbed]);

  const cancelEmbed = useCallback(() => embedAbort.current?.abort(), []);

  const trainAbort = useRef<AbortController | null>(null);
  const embedded = state.embed.status === 'done' ? state.embed.pairs : null;
  const classifierSettings = state.settings.classifier;
  const runTraining = useCallback(
    (job: 'train' | 'probe') => {
      if (!embedded) return;
      const jobId = ++jobCounter.current;
      const { labels, scheme } = pairLabels(embedded, classifierSettings.numericOrder);
      const c = classifierSettings;
      const request: TrainRequest = {
        labels,
        classNames: scheme.classes,
        classifier: c.kind,
        params: c.params[c.kind],
        scheme:
          c.scheme === 'holdout'
            ? { kind: 'holdout', testFraction: c.testFraction }
            : { kind: 'kfold', k: c.k },
        seed: c.seed,
      };
      if (job === 'train') {
        startJob<TrainSummary>(
          trainAbort,
          jobId,
          (update) => dispatch({ type: 'job', job: 'train', update }),
          (onProgress, signal) => client.train(request, onProgress, signal),
        );
      } else {
        startJob<LayerProbeResult>(
          trainAbort,
          jobId,
          (update) => dispatch({ type: 'job', job: 'probe', update }),
          (onProgress, signal) => client.layerProbe(request, onProgress, signal),
        );
      }
    },
    [embedded, classifierSettings],
  );
  const train = useCallback(() => runTraining('train'), [runTraining]);
  const probe = useCallback(() => runTraining('probe'), [runTraining]);
  const cancelTrain = useCallback(() => trainAbort.current?.abort(), []);

  const projectAbort = useRef<AbortController | null>(null);
  const umapOptions = state.settings.umap;
  const project = useCallback(() => {
    const jobId = ++jobCounter.current;
    startJob<ProjectionResult>(
      projectAbort,
      jobId,
      (update) => dispatch({ type: 'job', job: 'projection', update }),
      (onProgress, signal) =>
        client.project(
          umapOptions,
          onProgress,
          (coordinates) => dispatch({ type: 'layout-preview', jobId, coordinates }),
          signal,
        ),
    );
  }, [umapOptions]);
  const cancelProject = useCallback(() => projectAbort.current?.abort(), []);

  return {
    state,
    setPairsText,
    openPairsFile,
    setSettings,
    loadModel,
    cancelLoad,
    embed,
    resumeEmbed,
    cancelEmbed,
    train,
    probe,
    cancelTrain,
    project,
    cancelProject,
    serverModels: state.serverModels,
    newSession,
    exportVectors,
    exportClassifier,
    saveSessionFile,
    openSessionFile,
    importVectorsFile,
  };
}
