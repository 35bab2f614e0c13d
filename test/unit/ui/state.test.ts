import { describe, expect, it } from 'vitest';
import { completeSettings, DEFAULT_SETTINGS, initialState, reducer, updateJob } from '../../../src/ui/state';
import type { AppState } from '../../../src/ui/state';
import type { ModelInfo } from '../../../src/worker/protocol';

const info = { label: 'm', numLayers: 2 } as ModelInfo;

describe('reducer', () => {
  it('drops results of stale jobs', () => {
    let state: AppState = reducer(initialState(), { type: 'model-load-started', jobId: 1 });
    state = reducer(state, { type: 'model-load-started', jobId: 2 });
    const stale = reducer(state, { type: 'model-loaded', jobId: 1, info });
    expect(stale.model.status).toBe('loading');
    const fresh = reducer(state, { type: 'model-loaded', jobId: 2, info });
    expect(fresh.model).toEqual({ status: 'ready', info });
  });

  it('a worker restart keeps a running embedding, which then ends resumable; a reload keeps it', () => {
    let state = reducer(initialState(), { type: 'model-load-started', jobId: 1 });
    state = reducer(state, { type: 'model-loaded', jobId: 1, info });
    state = reducer(state, { type: 'embed-started', jobId: 2 });
    state = reducer(state, { type: 'worker-restarted', reason: 'crashed' });
    expect(state.model.status).toBe('idle');
    expect(state.embed.status).toBe('running');
    expect(state.notice).toBe('crashed');
    state = reducer(state, {
      type: 'embed-failed',
      jobId: 2,
      message: 'stopped',
      resumable: { done: 2000, total: 5000 },
    });
    expect(state.embed).toEqual({
      status: 'error',
      message: 'stopped',
      resumable: { done: 2000, total: 5000 },
    });
    state = reducer(state, { type: 'embed-started', jobId: 3 });
    state = reducer(state, { type: 'model-reloaded', info });
    expect(state.model).toEqual({ status: 'ready', info });
    expect(state.embed.status).toBe('running');
  });

  it('a worker restart when nothing runs forgets the embedding the worker held', () => {
    let state = reducer(initialState(), { type: 'embed-started', jobId: 2 });
    state = reducer(state, { type: 'embed-failed', jobId: 2, message: 'x' });
    state = reducer(state, { type: 'worker-restarted', reason: 'r' });
    expect(state.embed.status).toBe('idle');
  });

  it('a cancelled embedding says so and is not an error', () => {
    let state = reducer(initialState(), { type: 'embed-started', jobId: 5 });
    state = reducer(state, { type: 'embed-cancelled', jobId: 5 });
    expect(state.embed.status).toBe('idle');
    expect(state.notice).toBe('Embedding cancelled.');
  });

  it('changing the model source unloads the model; changing the recipe does not', () => {
    const ready: AppState = { ...initialState(), model: { status: 'ready', info } };
    expect(reducer(ready, { type: 'settings-changed', settings: { dtype: 'q8' } }).model.status).toBe('idle');
    expect(
      reducer(ready, { type: 'settings-changed', settings: { recipe: DEFAULT_SETTINGS.recipe } }).model
        .status,
    ).toBe('ready');
  });

  it('restoring an old session fills in settings it did not have', () => {
    const old = { ...DEFAULT_SETTINGS } as Partial<typeof DEFAULT_SETTINGS>;
    delete old.classifier;
    delete old.umap;
    const state = reducer(initialState(), {
      type: 'restore',
      pairs: {
        text: 'a\tb',
        format: null,
        detection: null,
        pairs: [],
        issues: [],
        duplicates: [],
        truncated: false,
      },
      settings: old as typeof DEFAULT_SETTINGS,
    });
    expect(state.settings.classifier.kind).toBe('logreg');
    expect(state.settings.umap.nNeighbors).toBe(15);
    expect(state.pairsText).toBe('a\tb');
  });

  it('the local model list switches an untouched default source, never a chosen one', () => {
    const models = [{ id: 'tiny', modelType: 'bert', dtypes: ['fp32' as const], files: [] }];
    const switched = reducer(initialState(), { type: 'server-models', models });
    expect(switched.settings.source).toEqual({ kind: 'server', id: 'tiny' });
    const chosen = reducer(initialState(), {
      type: 'settings-changed',
      settings: { source: { kind: 'hub', id: 'Xenova/bert-base-uncased' } },
    });
    expect(reducer(chosen, { type: 'server-models', models }).settings.source.kind).toBe('hub');
  });

  it('a new embedding clears classifier, probe and map results', () => {
    let state: AppState = {
      ...initialState(),
      train: { status: 'error', message: 'x' },
      projection: { status: 'error', message: 'y' },
    };
    state = reducer(state, { type: 'embed-started', jobId: 9 });
    state = reducer(state, {
      type: 'embed-done',
      jobId: 9,
      pairs: [],
      summary: {} as never,
    });
    expect(state.train.status).toBe('idle');
    expect(state.projection.status).toBe('idle');
  });
});

describe('updateJob', () => {
  it('follows started → progress → done and ignores other job ids', () => {
    let job = updateJob<number>({ status: 'idle' }, { kind: 'started', jobId: 3 });
    job = updateJob(job, { kind: 'progress', jobId: 3, progress: { stage: 'umap', done: 1, total: 2 } });
    expect(job).toMatchObject({ status: 'running', progress: { done: 1 } });
    expect(updateJob(job, { kind: 'done', jobId: 4, result: 1 })).toBe(job);
    expect(updateJob(job, { kind: 'done', jobId: 3, result: 42 })).toEqual({ status: 'done', result: 42 });
    expect(updateJob(job, { kind: 'cancelled', jobId: 3 })).toEqual({ status: 'idle' });
  });
});

describe('completeSettings', () => {
  it('fills fields that older saved settings lack from the defaults', () => {
    const old = { ...DEFAULT_SETTINGS, classifier: undefined } as unknown as Partial<typeof DEFAULT_SETTINGS>;
    expect(completeSettings(old).classifier).toEqual(DEFAULT_SETTINGS.classifier);
    expect(completeSettings({}).umap).toEqual(DEFAULT_SETTINGS.umap);
  });

  it('moves map settings saved before the engine setting from "no PCA" to the PCA default, keeping the rest', () => {
    const before: Partial<typeof DEFAULT_SETTINGS.umap> = {
      ...DEFAULT_SETTINGS.umap,
      pcaDims: null,
      seed: 9,
    };
    delete before.engine;
    const upgraded = completeSettings({ umap: before as typeof DEFAULT_SETTINGS.umap }).umap;
    expect(upgraded.pcaDims).toBe(DEFAULT_SETTINGS.umap.pcaDims);
    expect(upgraded.seed).toBe(9);
    expect(upgraded.engine).toBe('pairscope');
    // A choice made since (the engine field is there) is kept, "no PCA" included.
    const chosen = completeSettings({
      umap: { ...DEFAULT_SETTINGS.umap, pcaDims: null, engine: 'umap-js' },
    }).umap;
    expect(chosen.pcaDims).toBeNull();
    expect(chosen.engine).toBe('umap-js');
  });
});
