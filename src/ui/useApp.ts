/**
 * The app controller: state (pure reducer), persistence, and the actions that call the model worker.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isAbortError } from '../core/errors';
import { parsePairsText } from '../core/pairs';
import type {
  JobProgress,
  LayerProbeResult,
  ModelSource,
  ProjectionResult,
  ServerModel,
  TrainRequest,
  TrainSummary,
} from '../worker/protocol';
import { pairLabels } from './labels-view';
import { client } from './client';
import { describeError } from './errors';
import { loadSession, saveSession } from './persist';
import { initialState, reducer } from './state';
import type { AppState, JobUpdate, Settings } from './state';

const SAVE_DEBOUNCE_MS = 300;

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
  setPairsText: (text: string) => void;
  setSettings: (settings: Partial<Settings>) => void;
  loadModel: (source: ModelSource) => void;
  cancelLoad: () => void;
  embed: () => void;
  cancelEmbed: () => void;
  train: () => void;
  probe: () => void;
  cancelTrain: () => void;
  project: () => void;
  cancelProject: () => void;
  serverModels: ServerModel[] | null;
}

export function useApp(): AppController {
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const restored = useRef(false);
  const loadAbort = useRef<AbortController | null>(null);
  const embedAbort = useRef<AbortController | null>(null);
  const jobCounter = useRef(0);

  useEffect(() => {
    client.onRestart = (reason) => dispatch({ type: 'worker-restarted', reason });
    return () => {
      client.onRestart = null;
    };
  }, []);

  // Restore the saved session once, then save on every change (debounced).
  useEffect(() => {
    let cancelled = false;
    void loadSession().then((saved) => {
      if (cancelled) return;
      if (saved) {
        const { pairs, issues } = parsePairsText(saved.pairsText);
        dispatch({ type: 'restore', pairsText: saved.pairsText, pairs, issues, settings: saved.settings });
      }
      restored.current = true;
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!restored.current) return;
    const timer = setTimeout(() => {
      void saveSession({ pairsText: state.pairsText, settings: state.settings }).then((problem) => {
        if (problem) dispatch({ type: 'notice', message: problem });
      });
    }, SAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [state.pairsText, state.settings]);

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

  const setPairsText = useCallback((text: string) => {
    const { pairs, issues } = parsePairsText(text);
    dispatch({ type: 'pairs-changed', text, pairs, issues });
  }, []);

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
      client
        .loadModel(
          { source, dtype: state.settings.dtype, device: state.settings.device, threads: null },
          (progress) => dispatch({ type: 'model-progress', jobId, progress }),
          abort.signal,
        )
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

  const embed = useCallback(() => {
    embedAbort.current?.abort();
    const abort = new AbortController();
    embedAbort.current = abort;
    const jobId = ++jobCounter.current;
    const pairs = state.pairs;
    dispatch({ type: 'embed-started', jobId });
    client
      .embed(
        pairs,
        state.settings.recipe,
        (progress) => dispatch({ type: 'embed-progress', jobId, progress }),
        abort.signal,
      )
      .then(
        (summary) => dispatch({ type: 'embed-done', jobId, summary, pairs }),
        (error: unknown) =>
          dispatch(
            isAbortError(error)
              ? { type: 'embed-cancelled', jobId }
              : { type: 'embed-failed', jobId, message: describeError(error) },
          ),
      );
  }, [state.pairs, state.settings.recipe]);

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
    setSettings,
    loadModel,
    cancelLoad,
    embed,
    cancelEmbed,
    train,
    probe,
    cancelTrain,
    project,
    cancelProject,
    serverModels: state.serverModels,
  };
}
