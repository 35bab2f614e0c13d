import { useMemo, useRef, useState } from 'react';
import type { Neighbor } from '../../core/neighbors';
import type { UmapOptions } from '../../core/projection';
import type { PairDetail } from '../../worker/protocol';
import { client } from '../client';
import { describeError } from '../errors';
import { download } from '../download';
import { pairLabels } from '../labels-view';
import { coordinatesCsv, mapColours, mapSvg, searchPairs } from '../map-data';
import type { ColourBy, MapInputs } from '../map-data';
import type { AppController } from '../useApp';
import { MapCanvas } from './MapCanvas';
import { ProgressBar } from './ProgressBar';

const NEIGHBOURS = 8;

const COLOUR_CHOICES: [ColourBy, string][] = [
  ['gold', 'gold label'],
  ['predicted', 'predicted label'],
  ['correct', 'correct / wrong'],
  ['confidence', 'confidence'],
  ['tokens', 'token length'],
  ['truncated', 'truncated'],
];

export function MapPanel({ app }: { app: AppController }) {
  const { state, setSettings, project, cancelProject } = app;
  const umap = state.settings.umap;
  const embedded = state.embed.status === 'done' ? state.embed : null;
  const pairs = useMemo(() => embedded?.pairs ?? [], [embedded]);
  const done = state.projection.status === 'done' ? state.projection.result : null;
  const coordinates = state.layoutPreview ?? (done && done.rows === pairs.length ? done.coordinates : null);
  const [colourBy, setColourBy] = useState<ColourBy>('gold');
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState('');
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [detail, setDetail] = useState<PairDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [boxed, setBoxed] = useState<number[]>([]);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);

  const numericOrder = state.settings.classifier.numericOrder;
  const labelInfo = useMemo(() => pairLabels(pairs, numericOrder), [pairs, numericOrder]);
  const inputs: MapInputs = useMemo(
    () => ({
      pairs,
      labels: labelInfo.labels,
      classNames: labelInfo.scheme.classes,
      train: state.train.status === 'done' ? state.train.result : null,
      tokenCounts: embedded?.summary.tokenCounts ?? null,
      truncated: embedded?.summary.truncated ?? [],
    }),
    [pairs, labelInfo, state.train, embedded],
  );
  const colours = useMemo(() => mapColours(colourBy, inputs), [colourBy, inputs]);
  const highlighted = useMemo(() => new Set(searchPairs(pairs, query)), [pairs, query]);

  // A new embedding clears what pointed into the old one (adjusting state on a prop change, during render).
  const [shownPairs, setShownPairs] = useState(pairs);
  if (shownPairs !== pairs) {
    setShownPairs(pairs);
    setDetail(null);
    setBoxed([]);
    setHover(null);
  }

  const update = (patch: Partial<UmapOptions>) => setSettings({ umap: { ...umap, ...patch } });
  const running = state.projection.status === 'running';
  const pick = (index: number) => {
    setDetailError(null);
    client
      .pairDetail(index, NEIGHBOURS, umap.distance)
      .then(setDetail, (e: unknown) => setDetailError(describeError(e)));
  };
  const labelOf = (i: number) => {
    const gold = inputs.labels[i];
    return gold === null || gold === undefined ? 'unlabelled' : inputs.classNames[gold];
  };
  const predictionOf = (i: number) =>
    inputs.train ? inputs.train.classNames[inputs.train.predictions[i]] : null;

  const numberField = (key: keyof UmapOptions, label: string, step: number, nullable = false) => (
    <label className="field">
      {label}
      <input
        type="number"
        step={step}
        data-testid={`umap.${key}`}
        placeholder={nullable ? 'off / default' : undefined}
        value={(umap[key] as number | null) ?? ''}
        onChange={(e) => update({ [key]: e.target.value === '' && nullable ? null : Number(e.target.value) })}
      />
    </label>
  );

  return (
    <section className="panel" aria-labelledby="map-title">
      <h2 id="map-title">5. Map (UMAP)</h2>
      <div className="grid">
        {numberField('nNeighbors', 'neighbours', 1)}
        {numberField('minDist', 'min distance', 0.05)}
        {numberField('spread', 'spread', 0.1)}
        {numberField('nEpochs', 'epochs', 50, true)}
        {numberField('seed', 'seed', 1)}
        {numberField('pcaDims', 'PCA first to', 10, true)}
        <label className="field">
          distance
          <select
            data-testid="umap.distance"
            value={umap.distance}
            onChange={(e) => update({ distance: e.target.value as UmapOptions['distance'] })}
          >
            <option value="cosine">cosine</option>
            <option value="euclidean">euclidean</option>
          </select>
        </label>
        <label className="field">
          UMAP engine
          <select
            data-testid="umap.engine"
            value={umap.engine}
            onChange={(e) => update({ engine: e.target.value as UmapOptions['engine'] })}
          >
            <option value="pairscope">Pairscope (typed arrays, PCA start)</option>
            <option value="umap-js">umap-js 1.4.0 (reference, slower)</option>
          </select>
        </label>
      </div>
      <div className="row">
        {running ? (
          <button type="button" data-testid="umap.cancel" onClick={cancelProject}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="umap.run"
            disabled={!embedded}
            onClick={project}
          >
            Project {embedded ? `${pairs.length} pairs` : ''}
          </button>
        )}
        {!embedded && <span className="hint">Embed the pairs first.</span>}
        {done && !running && (
          <span className="hint" data-testid="umap.summary">
            {done.rows} points, {done.nNeighborsUsed} neighbours, {done.epochs} epochs
            {done.pcaDimsUsed ? `, PCA to ${done.pcaDimsUsed} dims` : ''},{' '}
            {(done.elapsedMs / 1000).toFixed(1)} s
          </span>
        )}
      </div>
      {state.projection.status === 'running' && (
        <ProgressBar testId="umap.progress" progress={state.projection.progress} />
      )}
      {state.projection.status === 'error' && (
        <p className="error" role="alert" data-testid="umap.error">
          {state.projection.message}
        </p>
      )}
      {coordinates && (
        <>
          <div className="row">
            <label className="field">
              Colour by
              <select
                data-testid="map.colourBy"
                value={colourBy}
                onChange={(e) => {
                  setColourBy(e.target.value as ColourBy);
                  setHidden(new Set());
                }}
              >
                {COLOUR_CHOICES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Search
              <input
                data-testid="map.search"
                value={query}
                placeholder="text in premise or hypothesis"
                onChange={(e) => setQuery(e.target.value)}
              />
            </label>
            {query && <span data-testid="map.searchCount">{highlighted.size} matching</span>}
          </div>
          <ul className="legend" data-testid="map.legend">
            {colours.legend.map((entry, k) => (
              <li key={entry.name}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={!hidden.has(k)}
                    onChange={() => {
                      const next = new Set(hidden);
                      if (next.has(k)) next.delete(k);
                      else next.add(k);
                      setHidden(next);
                    }}
                  />
                  <span className="swatch" style={{ background: entry.colour }} />
                  {entry.name} ({entry.count})
                </label>
              </li>
            ))}
          </ul>
          <div className="map" data-testid="map" data-points={coordinates.length / 2}>
            <MapCanvas
              canvasRef={canvasRef}
              coordinates={coordinates}
              colours={colours}
              hidden={hidden}
              highlighted={highlighted}
              selected={detail?.index ?? null}
              onHover={(index, at) => setHover(index === null || !at ? null : { index, ...at })}
              onPick={pick}
              onBoxSelect={setBoxed}
            />
            {hover && pairs[hover.index] && (
              <div
                className="tooltip"
                data-testid="map.tooltip"
                style={{ left: hover.x + 12, top: hover.y + 12 }}
              >
                <div>
                  <strong>P:</strong> {pairs[hover.index].premise}
                </div>
                <div>
                  <strong>H:</strong> {pairs[hover.index].hypothesis}
                </div>
                <div className="hint">
                  gold: {labelOf(hover.index)}
                  {predictionOf(hover.index) !== null && ` · predicted: ${predictionOf(hover.index)}`}
                </div>
              </div>
            )}
          </div>
          <p className="hint">
            Drag to pan, wheel to zoom, double-click to reset, shift-drag to select a box, click a point for
            its neighbours.
          </p>
          <div className="row">
            <button
              type="button"
              data-testid="map.exportPng"
              onClick={() => canvasRef.current?.toBlob((blob) => blob && download('pairscope-map.png', blob))}
            >
              PNG
            </button>
            <button
              type="button"
              data-testid="map.exportSvg"
              onClick={() =>
                download('pairscope-map.svg', mapSvg(coordinates, colours, pairs), 'image/svg+xml')
              }
            >
              SVG
            </button>
            <button
              type="button"
              data-testid="map.exportCsv"
              onClick={() => download('pairscope-map.csv', coordinatesCsv(inputs, coordinates), 'text/csv')}
            >
              Coordinates CSV
            </button>
          </div>
        </>
      )}
      {detailError && <p className="error">{detailError}</p>}
      {detail && pairs[detail.index] && (
        <div className="detail" data-testid="map.detail">
          <h3>Pair #{pairs[detail.index].id}</h3>
          <p>
            <strong>Premise:</strong> {pairs[detail.index].premise}
          </p>
          <p>
            <strong>Hypothesis:</strong> {pairs[detail.index].hypothesis}
          </p>
          <p className="hint">
            gold: {labelOf(detail.index)}
            {predictionOf(detail.index) !== null && ` · predicted: ${predictionOf(detail.index)}`} · vector
            norm <span data-testid="map.detail.norm">{detail.norm.toFixed(4)}</span>
          </p>
          <h3>Nearest pairs ({umap.distance}, full vectors)</h3>
          <ol className="neighbours" data-testid="map.neighbours">
            {detail.neighbors.map((n: Neighbor) => (
              <li key={n.index} data-index={n.index}>
                <button type="button" className="link" onClick={() => pick(n.index)}>
                  {pairs[n.index]?.premise} / {pairs[n.index]?.hypothesis}
                </button>{' '}
                <span className="hint">
                  ({labelOf(n.index)}, distance {n.distance.toFixed(4)})
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {boxed.length > 0 && (
        <div data-testid="map.selection">
          <h3>
            {boxed.length} selected{' '}
            <button type="button" onClick={() => setBoxed([])}>
              clear
            </button>
          </h3>
          <ul className="issues">
            {boxed.slice(0, 200).map((i) => (
              <li key={i}>
                {pairs[i]?.premise} / {pairs[i]?.hypothesis} ({labelOf(i)})
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
