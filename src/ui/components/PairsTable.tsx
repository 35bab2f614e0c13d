import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { pairLabels } from '../labels-view';
import type { ColumnId, LabelFilter, PairsTableData, SortSpec } from '../pairs-table';
import {
  BASE_COLUMNS,
  PREDICTION_COLUMNS,
  alignPredictions,
  buildPairsTable,
  filterPairs,
  nextSort,
  sortPairs,
  visibleRows,
} from '../pairs-table';
import type { AppController } from '../useApp';
import '../pairs-table.css';

/** Fixed row height: the virtualiser positions rows without measuring them. Matches the CSS line box. */
const ROW_HEIGHT_PX = 28;
const HEADER_HEIGHT_PX = 32;
/** Rows rendered beyond each edge of the viewport, so fast scrolling shows no blank band. */
const OVERSCAN_ROWS = 12;

const COLUMN_TITLES: Record<ColumnId, string> = {
  id: '#',
  premise: 'premise',
  hypothesis: 'hypothesis',
  label: 'gold label',
  prediction: 'predicted',
  probability: 'probability',
  role: 'role',
};

const ALL_LABELS = 'all';
const UNLABELLED = 'unlabelled';
/** Select values of one raw label: prefixed, so a label spelled "all" or "unlabelled" stays distinct. */
const LABEL_PREFIX = 'label:';

/** The label filter a select value stands for; a label no longer present means all pairs. */
function labelFilterOf(value: string, table: PairsTableData): LabelFilter {
  if (value === UNLABELLED && table.unlabelled > 0) return { kind: 'unlabelled' };
  if (value.startsWith(LABEL_PREFIX)) {
    const label = value.slice(LABEL_PREFIX.length);
    if (table.labels.some((l) => l.label === label)) return { kind: 'label', label };
  }
  return { kind: 'all' };
}

function selectValueOf(filter: LabelFilter): string {
  if (filter.kind === 'all') return ALL_LABELS;
  if (filter.kind === 'unlabelled') return UNLABELLED;
  return LABEL_PREFIX + filter.label;
}

/** Most labels offered in the select (by frequency): a third column of free text must not make 100k options. */
const MAX_LABEL_OPTIONS = 50;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The current pairs as a virtualised table (only the rows in view are in the DOM), sortable by any column and
 * filterable by text, gold label, wrong predictions and duplicates. Prediction columns appear once a
 * classifier is trained on exactly these pairs. User text is rendered as text.
 */
export function PairsTable({ app }: { app: AppController }) {
  const { state } = app;
  const pairs = state.pairs;
  const embedded = state.embed.status === 'done' ? state.embed.pairs : null;
  const summary = state.train.status === 'done' ? state.train.result : null;
  const numericOrder = state.settings.classifier.numericOrder;
  const predictions = useMemo(
    () =>
      embedded && summary
        ? alignPredictions(pairs, embedded, summary, pairLabels(embedded, numericOrder).labels)
        : null,
    [pairs, embedded, summary, numericOrder],
  );
  const table = useMemo(() => buildPairsTable(pairs, predictions), [pairs, predictions]);
  const labelOptions = useMemo(
    () =>
      table.labels.length <= MAX_LABEL_OPTIONS
        ? table.labels
        : [...table.labels].sort((a, b) => b.count - a.count).slice(0, MAX_LABEL_OPTIONS),
    [table],
  );

  const [query, setQuery] = useState('');
  const [labelValue, setLabelValue] = useState(ALL_LABELS);
  const [wrongOnly, setWrongOnly] = useState(false);
  const [duplicatesOnly, setDuplicatesOnly] = useState(false);
  const [sort, setSort] = useState<SortSpec | null>(null);
  // Typing stays responsive on 100k pairs: the filter follows the query at a lower priority.
  const deferredQuery = useDeferredValue(query);

  const activeSort = sort && table.hasColumn(sort.column) ? sort : null;
  const order = useMemo(() => sortPairs(table, activeSort), [table, activeSort]);
  // The select's value: a label that is gone (the pairs changed) falls back to all labels.
  const labelKey = selectValueOf(labelFilterOf(labelValue, table));
  // Its checkbox is hidden when there are no duplicates; a stale tick must not hide every pair.
  const onlyDuplicates = duplicatesOnly && table.duplicatePairs > 0;
  const mask = useMemo(
    () =>
      filterPairs(table, {
        query: deferredQuery,
        label: labelFilterOf(labelKey, table),
        wrongOnly,
        duplicatesOnly: onlyDuplicates,
      }),
    [table, deferredQuery, labelKey, wrongOnly, onlyDuplicates],
  );
  const rows = useMemo(() => visibleRows(order, mask), [order, mask]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The app does not use React Compiler, and the virtualiser's methods are only called during this render
  // (never passed to memoised children), so the compiler's skip is harmless here.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: OVERSCAN_ROWS,
    scrollMargin: HEADER_HEIGHT_PX,
  });
  const toTop = () => scrollRef.current?.scrollTo({ top: 0 });

  const columns = predictions ? [...BASE_COLUMNS, ...PREDICTION_COLUMNS] : BASE_COLUMNS;
  const hasPredictions = predictions !== null;

  return (
    <section className="panel pairs-table-panel" aria-labelledby="pairs-table-title">
      <h2 id="pairs-table-title">Pairs</h2>
      {table.n === 0 ? (
        <p className="hint">Paste or import pairs above; they are listed here.</p>
      ) : (
        <>
          <div className="row">
            <input
              type="search"
              data-testid="pairs.table.filter"
              aria-label="Filter pairs by text"
              placeholder="Filter: id, premise, hypothesis, label"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                toTop();
              }}
            />
            <select
              data-testid="pairs.table.label"
              aria-label="Filter pairs by gold label"
              value={labelKey}
              onChange={(e) => {
                setLabelValue(e.target.value);
                toTop();
              }}
            >
              <option value={ALL_LABELS}>all labels</option>
              {labelOptions.map((l) => (
                <option key={l.label} value={LABEL_PREFIX + l.label}>
                  {l.label} ({l.count})
                </option>
              ))}
              {table.unlabelled > 0 && <option value={UNLABELLED}>unlabelled ({table.unlabelled})</option>}
            </select>
            {hasPredictions && (
              <label className="choice">
                <input
                  type="checkbox"
                  data-testid="pairs.table.wrongOnly"
                  checked={wrongOnly}
                  onChange={(e) => {
                    setWrongOnly(e.target.checked);
                    toTop();
                  }}
                />
                wrong predictions only ({table.wrongCount})
              </label>
            )}
            {table.duplicatePairs > 0 && (
              <label className="choice">
                <input
                  type="checkbox"
                  data-testid="pairs.table.duplicatesOnly"
                  checked={duplicatesOnly}
                  onChange={(e) => {
                    setDuplicatesOnly(e.target.checked);
                    toTop();
                  }}
                />
                duplicates only ({table.duplicatePairs})
              </label>
            )}
            <span className="hint" role="status" data-testid="pairs.table.count">
              {rows.length} of {plural(table.n, 'pair')}
            </span>
          </div>
          <div
            ref={scrollRef}
            className="pairs-table-scroll"
            data-testid="pairs.table"
            role="table"
            aria-label="Pairs"
            aria-rowcount={rows.length + 1}
            tabIndex={0}
          >
            <div className={`pairs-table-inner${hasPredictions ? ' with-predictions' : ''}`}>
              <div role="rowgroup" className="pairs-table-head">
                <div
                  role="row"
                  aria-rowindex={1}
                  className="pairs-table-row"
                  style={{ height: HEADER_HEIGHT_PX }}
                >
                  {columns.map((column) => {
                    const direction = activeSort?.column === column ? activeSort.direction : null;
                    return (
                      <div
                        key={column}
                        role="columnheader"
                        aria-sort={
                          direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'
                        }
                        className={`cell col-${column}`}
                      >
                        <button
                          type="button"
                          data-testid={`pairs.table.sort.${column}`}
                          onClick={() => {
                            setSort(nextSort(activeSort, column));
                            toTop();
                          }}
                        >
                          {COLUMN_TITLES[column]}
                          <span aria-hidden="true" className="sort-mark">
                            {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : ''}
                          </span>
                        </button>
                      </div>
                    );
                  })}
                </div>
              </div>
              <div
                role="rowgroup"
                className="pairs-table-body"
                style={{ height: virtualizer.getTotalSize() }}
              >
                {virtualizer.getVirtualItems().map((item) => {
                  const row = table.row(rows[item.index]);
                  const duplicate = row.duplicateOf >= 0;
                  return (
                    <div
                      key={row.index}
                      role="row"
                      aria-rowindex={item.index + 2}
                      data-testid="pairs.table.row"
                      data-index={row.index}
                      className={`pairs-table-row${row.wrong ? ' wrong' : ''}`}
                      style={{
                        height: ROW_HEIGHT_PX,
                        transform: `translateY(${item.start - HEADER_HEIGHT_PX}px)`,
                      }}
                    >
                      <div role="cell" className="cell col-id" title={`pair ${row.index + 1}, id ${row.id}`}>
                        {row.id}
                        {duplicate && (
                          <span
                            className="dup"
                            data-testid="pairs.table.duplicate"
                            title={
                              row.duplicateOf === row.index
                                ? `Duplicate: ${row.duplicates - 1} more pair(s) have the same premise and hypothesis`
                                : `Duplicate of #${table.pairs[row.duplicateOf].id} (same premise and hypothesis)`
                            }
                          >
                            dup
                          </span>
                        )}
                      </div>
                      <div role="cell" className="cell col-premise" title={row.premise}>
                        {row.premise}
                      </div>
                      <div role="cell" className="cell col-hypothesis" title={row.hypothesis}>
                        {row.hypothesis}
                      </div>
                      <div role="cell" className="cell col-label" title={row.label}>
                        {row.label}
                      </div>
                      {hasPredictions && (
                        <>
                          <div
                            role="cell"
                            className="cell col-prediction"
                            title={row.wrong ? `${row.prediction} (gold: ${row.label})` : row.prediction}
                          >
                            {row.prediction}
                          </div>
                          <div role="cell" className="cell col-probability">
                            {row.probability}
                          </div>
                          <div role="cell" className="cell col-role">
                            {row.role}
                          </div>
                        </>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
          {rows.length === 0 && <p className="hint">No pair matches the filter.</p>}
        </>
      )}
    </section>
  );
}
