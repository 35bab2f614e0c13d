import { useRef } from 'react';
import type { AppController } from '../useApp';
import { ProgressBar } from './ProgressBar';

export function EmbedPanel({ app }: { app: AppController }) {
  const { state, embed, resumeEmbed, cancelEmbed, exportVectors, importVectorsFile } = app;
  const vectorsInput = useRef<HTMLInputElement>(null);
  const modelReady = state.model.status === 'ready';
  const running = state.embed.status === 'running';
  const parts = state.settings.recipe.sbertParts;
  const partsOk =
    state.settings.recipe.pairMode !== 'separate' || parts.u || parts.v || parts.absDiff || parts.product;
  const blocker = !modelReady
    ? 'Load a model first.'
    : state.pairs.length === 0
      ? 'Paste at least one pair.'
      : !partsOk
        ? 'Choose at least one pair feature (u, v, |u−v|, u·v).'
        : null;
  return (
    <section className="panel" aria-labelledby="embed-title">
      <h2 id="embed-title">4. Embed</h2>
      <div className="row">
        {running ? (
          <button type="button" data-testid="embed.cancel" onClick={cancelEmbed}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="embed.run"
            disabled={blocker !== null}
            onClick={embed}
          >
            Embed {state.pairs.length} pair{state.pairs.length === 1 ? '' : 's'}
          </button>
        )}
        {blocker && !running && <span className="hint">{blocker}</span>}
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="embed.importVectors"
          disabled={running || state.pairs.length === 0}
          title="Vectors made elsewhere: a .npy array or a TSV file with one row per pair, in pair order"
          onClick={() => vectorsInput.current?.click()}
        >
          Import vectors (.npy / TSV)…
        </button>
        <input
          ref={vectorsInput}
          type="file"
          hidden
          accept=".npy,.tsv,.txt,.csv"
          data-testid="embed.vectorsFile"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importVectorsFile(file);
            e.target.value = '';
          }}
        />
        {state.embed.status === 'done' && (
          <>
            <button type="button" data-testid="embed.exportNpy" onClick={() => void exportVectors('npy')}>
              Download .npy
            </button>
            <button
              type="button"
              data-testid="embed.exportProjector"
              title="vectors.tsv and metadata.tsv for projector.tensorflow.org"
              onClick={() => void exportVectors('projector')}
            >
              TensorBoard Projector TSV
            </button>
          </>
        )}
      </div>
      {state.embed.status === 'running' && (
        <ProgressBar testId="embed.progress" progress={state.embed.progress} />
      )}
      {state.embed.status === 'error' && (
        <p className="error" role="alert" data-testid="embed.error">
          {state.embed.message}
        </p>
      )}
      {state.embed.status === 'error' && state.embed.resumable && (
        <div className="row">
          <button type="button" className="primary" data-testid="embed.resume" onClick={resumeEmbed}>
            Resume from pair {state.embed.resumable.done + 1} of {state.embed.resumable.total}
          </button>
        </div>
      )}
      {state.embed.status === 'done' && (
        <dl className="facts" data-testid="embed.summary">
          <dt>Pairs embedded</dt>
          <dd data-testid="embed.rows">{state.embed.summary.rows}</dd>
          <dt>Vector size</dt>
          <dd data-testid="embed.dim">{state.embed.summary.dim}</dd>
          {state.embed.summary.origin !== 'embedded' && (
            <>
              <dt>{state.embed.summary.origin === 'imported' ? 'Imported' : 'Restored'}</dt>
              <dd data-testid="embed.origin">{state.embed.summary.note}</dd>
            </>
          )}
          {state.embed.summary.device !== null && (
            <>
              <dt>Device</dt>
              <dd>
                {state.embed.summary.device === 'webgpu'
                  ? 'WebGPU'
                  : `WASM, ${state.embed.summary.threads} thread${state.embed.summary.threads === 1 ? '' : 's'}`}
              </dd>
            </>
          )}
          {state.embed.summary.origin === 'embedded' && (
            <>
              <dt>Time</dt>
              <dd data-testid="embed.time">
                {(state.embed.summary.elapsedMs / 1000).toFixed(2)} s ·{' '}
                {state.embed.summary.pairsPerSecond.toFixed(1)} pairs/s
              </dd>
              <dt>Truncated</dt>
              <dd data-testid="embed.truncated">
                {state.embed.summary.truncated.length} pair
                {state.embed.summary.truncated.length === 1 ? '' : 's'} cut to {state.embed.summary.maxLength}{' '}
                tokens
                {state.embed.summary.maxLengthClamped && ' (the model allows no more)'}
              </dd>
              {state.embed.summary.truncated.length > 0 && (
                <dd>
                  <details>
                    <summary>Show truncated pairs</summary>
                    <ul className="issues" data-testid="embed.truncatedList">
                      {state.embed.summary.truncated.slice(0, 200).map((i) => {
                        const pair = state.embed.status === 'done' ? state.embed.pairs[i] : undefined;
                        return (
                          <li key={i}>
                            #{pair?.id}: {pair?.premise.slice(0, 80)} / {pair?.hypothesis.slice(0, 80)}
                          </li>
                        );
                      })}
                    </ul>
                  </details>
                </dd>
              )}
            </>
          )}
        </dl>
      )}
    </section>
  );
}
