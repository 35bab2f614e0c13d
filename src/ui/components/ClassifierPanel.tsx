import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ClassifierKind } from '../../core/classifier';
import type { TrainSummary } from '../../worker/protocol';
import { NUMERIC_ORDERS, pairLabels } from '../labels-view';
import { PredictionsList } from './PredictionsList';
import type { ClassifierSettings } from '../state';
import type { AppController } from '../useApp';
import { ProgressBar } from './ProgressBar';

/** The origin blog's result (LightGBM on 248 test pairs), shown beside the user's with the origin preset. */
const ORIGIN_RESULT = { accuracy: 0.641, macroF1: 0.514, nTest: 248 };

const PARAM_FIELDS: Record<ClassifierKind, { key: string; label: string; step: number }[]> = {
  logreg: [
    { key: 'c', label: 'C (inverse L2)', step: 0.1 },
    { key: 'maxIter', label: 'max iterations', step: 100 },
  ],
  mlp: [
    { key: 'hidden', label: 'hidden units', step: 16 },
    { key: 'epochs', label: 'max epochs', step: 10 },
    { key: 'learningRate', label: 'learning rate', step: 0.0005 },
    { key: 'patience', label: 'early-stop patience', step: 1 },
  ],
  gbdt: [
    { key: 'nRounds', label: 'rounds', step: 10 },
    { key: 'numLeaves', label: 'leaves', step: 1 },
    { key: 'learningRate', label: 'learning rate', step: 0.01 },
  ],
};

/** Colour of a confusion-matrix cell: white to dark blue by share of its row. */
function cellColour(share: number): string {
  const l = 97 - 60 * share;
  return `hsl(215 60% ${l}%)`;
}

function ConfusionMatrix({ summary }: { summary: TrainSummary }) {
  return (
    <table className="confusion" data-testid="report.confusion">
      <thead>
        <tr>
          <th>true ↓ predicted →</th>
          {summary.classNames.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {summary.confusion.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr key={summary.classNames[i]}>
              <th>{summary.classNames[i]}</th>
              {row.map((n, j) => (
                <td
                  key={j}
                  style={{ background: cellColour(n / total), color: n / total > 0.6 ? '#fff' : undefined }}
                >
                  {n}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Per-class precision / recall / F1 from the confusion matrix. */
function perClass(summary: TrainSummary) {
  return summary.classNames.map((name, k) => {
    const tp = summary.confusion[k][k];
    const predicted = summary.confusion.reduce((s, row) => s + row[k], 0);
    const actual = summary.confusion[k].reduce((a, b) => a + b, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    return {
      name,
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    };
  });
}

export function ClassifierPanel({ app }: { app: AppController }) {
  const { state, setSettings, train, probe, cancelTrain } = app;
  const c = state.settings.classifier;
  const embedded = state.embed.status === 'done' ? state.embed.pairs : null;
  const labelInfo = useMemo(
    () => (embedded ? pairLabels(embedded, c.numericOrder) : null),
    [embedded, c.numericOrder],
  );
  const hasDigitLabels = labelInfo?.scheme.numericOrder !== undefined;
  const update = (patch: Partial<ClassifierSettings>) => setSettings({ classifier: { ...c, ...patch } });
  const running = state.train.status === 'running' || state.probe.status === 'running';
  const labelled = labelInfo ? labelInfo.labels.filter((l) => l !== null).length : 0;
  const blocker = !embedded
    ? 'Embed the pairs first.'
    : labelInfo && labelInfo.scheme.classes.length < 2
      ? 'Give gold labels of at least two classes (third column) to train.'
      : null;
  const summary = state.train.status === 'done' ? state.train.result : null;

  return (
    <section className="panel" aria-labelledby="classifier-title">
      <h2 id="classifier-title">6. Entailment classifier</h2>
      {labelInfo && (
        <p className="hint" data-testid="labels.mapping">
          {labelled} labelled pairs; classes: {labelInfo.scheme.classes.join(', ') || 'none'} (
          {labelInfo.scheme.task}). Read as:{' '}
          {Object.entries(labelInfo.scheme.mapping)
            .filter(([raw]) => raw !== '')
            .map(([raw, name]) => `${raw} → ${name ?? 'unlabelled'}`)
            .join('; ')}
        </p>
      )}
      {hasDigitLabels && (
        <label className="field">
          Digit labels mean
          <select
            data-testid="labels.numericOrder"
            value={c.numericOrder?.join(',') ?? ''}
            onChange={(e) => update({ numericOrder: e.target.value ? e.target.value.split(',') : null })}
          >
            <option value="">
              default (0 = entailment, 1 = neutral / not_entailment, 2 = contradiction)
            </option>
            {NUMERIC_ORDERS.map((order) => (
              <option key={order.join(',')} value={order.join(',')}>
                {order.map((name, k) => `${k} = ${name}`).join(', ')}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="grid">
        <label className="field">
          Classifier
          <select
            data-testid="classifier.kind"
            value={c.kind}
            onChange={(e) => update({ kind: e.target.value as ClassifierKind })}
          >
            <option value="logreg">Logistic regression (L-BFGS, L2)</option>
            <option value="mlp">MLP (1 hidden layer, early stopping)</option>
            <option value="gbdt">Gradient-boosted trees</option>
          </select>
        </label>
        {PARAM_FIELDS[c.kind].map((field) => (
          <label key={field.key} className="field">
            {field.label}
            <input
              type="number"
              step={field.step}
              data-testid={`classifier.param.${field.key}`}
              value={c.params[c.kind][field.key] ?? ''}
              onChange={(e) =>
                update({
                  params: {
                    ...c.params,
                    [c.kind]: { ...c.params[c.kind], [field.key]: Number(e.target.value) },
                  },
                })
              }
            />
          </label>
        ))}
        <label className="field">
          Evaluation
          <select
            data-testid="classifier.scheme"
            value={c.scheme}
            onChange={(e) => update({ scheme: e.target.value as 'holdout' | 'kfold' })}
          >
            <option value="holdout">stratified hold-out</option>
            <option value="kfold">stratified k-fold</option>
          </select>
        </label>
        {c.scheme === 'holdout' ? (
          <label className="field">
            Test share
            <input
              type="number"
              min={0.05}
              max={0.9}
              step={0.05}
              data-testid="classifier.testFraction"
              value={c.testFraction}
              onChange={(e) => update({ testFraction: Number(e.target.value) })}
            />
          </label>
        ) : (
          <label className="field">
            Folds
            <input
              type="number"
              min={2}
              max={20}
              data-testid="classifier.k"
              value={c.k}
              onChange={(e) => update({ k: Number(e.target.value) })}
            />
          </label>
        )}
        <label className="field">
          Seed
          <input
            type="number"
            data-testid="classifier.seed"
            value={c.seed}
            onChange={(e) => update({ seed: Number(e.target.value) })}
          />
        </label>
      </div>
      <div className="row">
        {running ? (
          <button type="button" data-testid="classifier.cancel" onClick={cancelTrain}>
            Cancel
          </button>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              data-testid="classifier.train"
              disabled={blocker !== null}
              onClick={train}
            >
              Train and evaluate
            </button>
            <button type="button" data-testid="probe.run" disabled={blocker !== null} onClick={probe}>
              Probe every layer
            </button>
            {state.train.status === 'done' && (
              <button
                type="button"
                data-testid="classifier.export"
                onClick={() => void app.exportClassifier()}
              >
                Download classifier (JSON)
              </button>
            )}
          </>
        )}
        {blocker && <span className="hint">{blocker}</span>}
      </div>
      {state.train.status === 'running' && (
        <ProgressBar testId="classifier.progress" progress={state.train.progress} />
      )}
      {state.probe.status === 'running' && (
        <ProgressBar testId="probe.progress" progress={state.probe.progress} />
      )}
      {state.train.status === 'error' && (
        <p className="error" role="alert" data-testid="classifier.error">
          {state.train.message}
        </p>
      )}
      {state.probe.status === 'error' && (
        <p className="error" role="alert" data-testid="probe.error">
          {state.probe.message}
        </p>
      )}
      {summary && (
        <div data-testid="report">
          <p>
            <strong>
              Accuracy <span data-testid="report.accuracy">{summary.accuracy.toFixed(4)}</span>, macro-F1{' '}
              <span data-testid="report.macroF1">{summary.macroF1.toFixed(4)}</span>
            </strong>{' '}
            on {summary.nTest} held-out pairs ({summary.nTrain} for training,{' '}
            {(summary.elapsedMs / 1000).toFixed(1)} s).
            {summary.folds.length > 0 &&
              ` Folds: ${summary.folds.map((f) => f.accuracy.toFixed(3)).join(', ')}.`}
          </p>
          {state.settings.presetId === 'origin' && (
            <p className="hint" data-testid="report.origin">
              Origin blog (LightGBM on cl-tohoku BERT features): accuracy {ORIGIN_RESULT.accuracy}, macro-F1{' '}
              {ORIGIN_RESULT.macroF1} on {ORIGIN_RESULT.nTest} test pairs.
            </p>
          )}
          <pre className="report" data-testid="report.text">
            {summary.reportText}
          </pre>
          <div className="charts">
            <div className="table-scroll">
              <ConfusionMatrix summary={summary} />
            </div>
            <div className="chart" data-testid="report.bars">
              <ResponsiveContainer width="100%" height={180}>
                <BarChart data={perClass(summary)}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="name" fontSize={11} />
                  <YAxis domain={[0, 1]} fontSize={11} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
                  <Legend />
                  <Bar dataKey="precision" fill="#0072b2" isAnimationActive={false} />
                  <Bar dataKey="recall" fill="#e69f00" isAnimationActive={false} />
                  <Bar dataKey="f1" fill="#009e73" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            {summary.lossCurve.length > 1 && (
              <div className="chart" data-testid="report.loss">
                <ResponsiveContainer width="100%" height={180}>
                  <LineChart data={summary.lossCurve}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="step" fontSize={11} />
                    <YAxis domain={['auto', 'auto']} fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Line
                      dataKey="loss"
                      name="training loss"
                      stroke="#0072b2"
                      dot={false}
                      isAnimationActive={false}
                    />
                    <Line
                      dataKey="validationLoss"
                      name="validation loss"
                      stroke="#d55e00"
                      dot={false}
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            )}
          </div>
        </div>
      )}
      {summary && embedded && labelInfo && (
        <PredictionsList summary={summary} pairs={embedded} labels={labelInfo.labels} />
      )}
      {state.probe.status === 'done' && (
        <div data-testid="probe.result">
          <h3>Layer-wise probe ({state.probe.result.classifier})</h3>
          <div className="chart" data-testid="probe.chart">
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={state.probe.result.layers}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="layer"
                  fontSize={11}
                  label={{ value: 'layer', position: 'insideBottomRight', offset: -4 }}
                />
                <YAxis domain={['auto', 'auto']} fontSize={11} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
                <Legend />
                <Line dataKey="accuracy" stroke="#0072b2" isAnimationActive={false} />
                <Line dataKey="macroF1" name="macro-F1" stroke="#e69f00" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <table className="probe" data-testid="probe.table">
            <thead>
              <tr>
                <th>layer</th>
                <th>accuracy</th>
                <th>macro-F1</th>
              </tr>
            </thead>
            <tbody>
              {state.probe.result.layers.map((l) => (
                <tr key={l.layer}>
                  <td>{l.layer}</td>
                  <td>{l.accuracy.toFixed(4)}</td>
                  <td>{l.macroF1.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
