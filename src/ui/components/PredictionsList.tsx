import { useMemo, useState } from 'react';
import type { Pair } from '../../core/pairs';
import type { TrainSummary } from '../../worker/protocol';

type Filter = 'all' | 'unlabelled' | 'test' | 'wrong';
const SHOWN = 200;
const ROLE_NAMES = ['unlabelled', 'train', 'test'];

/** Predictions with their confidence, sortable and filterable; user text is rendered as text. */
export function PredictionsList({
  summary,
  pairs,
  labels,
}: {
  summary: TrainSummary;
  pairs: readonly Pair[];
  labels: readonly (number | null)[];
}) {
  const [filter, setFilter] = useState<Filter>(() =>
    labels.some((l) => l === null) ? 'unlabelled' : 'test',
  );
  const [ascending, setAscending] = useState(false);
  const k = summary.classNames.length;
  const rows = useMemo(() => {
    const confidence = (i: number) => summary.probabilities[i * k + summary.predictions[i]];
    const keep = (i: number) => {
      const role = summary.roles[i];
      if (filter === 'unlabelled') return role === 0;
      if (filter === 'test') return role === 2;
      if (filter === 'wrong') return role === 2 && labels[i] !== summary.predictions[i];
      return true;
    };
    return pairs
      .map((_, i) => i)
      .filter(keep)
      .map((i) => ({ i, confidence: confidence(i) }))
      .sort((a, b) => (ascending ? a.confidence - b.confidence : b.confidence - a.confidence) || a.i - b.i);
  }, [summary, pairs, labels, filter, ascending, k]);

  return (
    <div data-testid="predictions">
      <h3>Predictions</h3>
      <div className="row">
        <select
          data-testid="predictions.filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
        >
          <option value="unlabelled">unlabelled pairs</option>
          <option value="test">held-out pairs</option>
          <option value="wrong">held-out pairs predicted wrong</option>
          <option value="all">all pairs</option>
        </select>
        <button type="button" data-testid="predictions.sort" onClick={() => setAscending(!ascending)}>
          confidence {ascending ? '↑ least sure first' : '↓ surest first'}
        </button>
        <span className="hint">
          {rows.length} pairs{rows.length > SHOWN ? `, first ${SHOWN} shown` : ''}
        </span>
      </div>
      <div className="table-scroll predictions">
        <table className="probe" data-testid="predictions.table">
          <thead>
            <tr>
              <th>#</th>
              <th>premise / hypothesis</th>
              <th>predicted</th>
              <th>confidence</th>
              <th>gold</th>
              <th>role</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map(({ i, confidence }) => (
              <tr key={i}>
                <td>{pairs[i].id}</td>
                <td className="text">
                  {pairs[i].premise} / {pairs[i].hypothesis}
                </td>
                <td>{summary.classNames[summary.predictions[i]]}</td>
                <td data-testid="predictions.confidence">{confidence.toFixed(3)}</td>
                <td>{labels[i] === null ? '' : summary.classNames[labels[i]]}</td>
                <td>{ROLE_NAMES[summary.roles[i]]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
