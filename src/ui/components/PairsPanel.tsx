import { useRef, useState } from 'react';
import type { ColumnMapping, FormatChoice, PairFormat } from '../../core/formats';
import { MAX_FILE_BYTES, MAX_PAIRS } from '../../core/formats';
import type { AppController } from '../useApp';
import { SAMPLE_PAIRS, SAMPLE_PAIRS_JA } from '../sample';

const SHOWN_ISSUES = 20;

/** Texts larger than this are not put in the text box (typing in it would be slow); they are shown as a file. */
const EDITABLE_CHARS = 5_000_000;

const FORMAT_NAMES: Record<PairFormat, string> = {
  tsv: 'TSV',
  csv: 'CSV',
  jsonl: 'JSON Lines',
  json: 'a JSON array',
};

function describeChoice(choice: FormatChoice): string {
  const name = (index: number | null) => (index === null ? null : (choice.columns[index] ?? `#${index + 1}`));
  const { premise, hypothesis, label, id } = choice.mapping;
  const parts = [`premise = ${name(premise)}`, `hypothesis = ${name(hypothesis)}`];
  if (label !== null) parts.push(`label = ${name(label)}`);
  if (id !== null) parts.push(`id = ${name(id)}`);
  const header =
    choice.format === 'tsv' || choice.format === 'csv'
      ? choice.hasHeader
        ? ', with a header'
        : ', no header'
      : '';
  return `${FORMAT_NAMES[choice.format]}${header}: ${parts.join(', ')}`;
}

/** Lets the user say which column is which, with a preview of the first rows. */
function MappingEditor({ app, onDone }: { app: AppController; onDone: () => void }) {
  const { state, setPairsText } = app;
  const detection = state.detection;
  const current = state.pairsFormat;
  const [format, setFormat] = useState<PairFormat>(current?.format ?? detection?.format ?? 'tsv');
  const [hasHeader, setHasHeader] = useState(current?.hasHeader ?? detection?.hasHeader ?? false);
  const [mapping, setMapping] = useState<ColumnMapping>(
    current?.mapping ?? detection?.mapping ?? { premise: 0, hypothesis: 1, label: null, id: null },
  );
  if (!detection) return null;
  const columns = detection.columns;
  const select = (key: keyof ColumnMapping, optional: boolean) => (
    <label className="field" key={key}>
      {key}
      <select
        data-testid={`pairs.mapping.${key}`}
        value={mapping[key] ?? ''}
        onChange={(e) =>
          setMapping({ ...mapping, [key]: e.target.value === '' ? null : Number(e.target.value) })
        }
      >
        {optional && <option value="">(none)</option>}
        {columns.map((c, i) => (
          <option key={i} value={i}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="mapping" data-testid="pairs.mapping">
      {detection.reason && <p className="hint">{detection.reason}</p>}
      <div className="row">
        <label className="field">
          Format
          <select
            data-testid="pairs.mapping.format"
            value={format}
            onChange={(e) => setFormat(e.target.value as PairFormat)}
          >
            {(Object.keys(FORMAT_NAMES) as PairFormat[]).map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </label>
        {(format === 'tsv' || format === 'csv') && (
          <label className="choice">
            <input
              type="checkbox"
              data-testid="pairs.mapping.header"
              checked={hasHeader}
              onChange={(e) => setHasHeader(e.target.checked)}
            />
            First line is a header
          </label>
        )}
      </div>
      <div className="row">
        {select('premise', false)}
        {select('hypothesis', false)}
        {select('label', true)}
        {select('id', true)}
      </div>
      {detection.preview.length > 0 && (
        <div className="preview-scroll">
          <table className="preview" data-testid="pairs.preview">
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i}>
                    {c}
                    {Object.entries(mapping)
                      .filter(([, v]) => v === i)
                      .map(([k]) => ` → ${k}`)
                      .join('')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {detection.preview.slice(0, 5).map((row, r) => (
                <tr key={r}>
                  {columns.map((_, i) => (
                    <td key={i} title={row[i] ?? ''}>
                      {(row[i] ?? '').slice(0, 80)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="pairs.mapping.apply"
          disabled={mapping.premise === mapping.hypothesis}
          onClick={() => {
            setPairsText(state.pairsText, { format, hasHeader, columns, mapping });
            onDone();
          }}
        >
          Read the pairs this way
        </button>
        <button
          type="button"
          data-testid="pairs.mapping.auto"
          onClick={() => {
            setPairsText(state.pairsText, null);
            onDone();
          }}
        >
          Detect automatically
        </button>
      </div>
    </div>
  );
}

export function PairsPanel({ app }: { app: AppController }) {
  const { state, setPairsText, openPairsFile } = app;
  const [editing, setEditing] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const labelled = state.pairs.filter((p) => p.label !== null).length;
  const large = state.pairsText.length > EDITABLE_CHARS;
  const needsMapping =
    state.pairsText.trim() !== '' &&
    state.detection !== null &&
    state.detection.mapping === null &&
    state.pairsFormat === null;
  const choice =
    state.pairsFormat ??
    (state.detection?.mapping ? { ...state.detection, mapping: state.detection.mapping } : null);
  return (
    <section
      className={`panel${dragging ? ' dragging' : ''}`}
      aria-labelledby="pairs-title"
      data-testid="pairs.panel"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        setDragging(false);
        void openPairsFile(file);
      }}
    >
      <h2 id="pairs-title">2. Sentence pairs</h2>
      <p className="hint">
        Paste pairs or drop a file: TSV or CSV (premise, hypothesis, optional label; a header may name them),
        JSON Lines (SNLI/MultiNLI, JNLI, premise/hypothesis/label) or a JSON array. Up to{' '}
        {MAX_PAIRS.toLocaleString('en-US')} pairs and {MAX_FILE_BYTES / 1024 / 1024} MB.
      </p>
      {large ? (
        <p className="file-card" data-testid="pairs.large">
          {state.pairsFile?.name ?? 'The text'} is {(state.pairsText.length / 1e6).toFixed(1)} million
          characters: too large to edit here. Fix it in an editor and open it again, or{' '}
          <button type="button" className="link" onClick={() => setPairsText('')}>
            clear it
          </button>
          .
        </p>
      ) : (
        <textarea
          data-testid="pairs.input"
          value={state.pairsText}
          spellCheck={false}
          rows={10}
          placeholder={'A man is playing a guitar.\tSomeone is making music.\tentailment'}
          onChange={(e) => setPairsText(e.target.value, state.pairsFormat)}
        />
      )}
      <div className="row">
        <button type="button" data-testid="pairs.open" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="pairs.file"
          accept=".tsv,.csv,.txt,.jsonl,.json,.ndjson,text/plain,text/csv,text/tab-separated-values,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void openPairsFile(file);
            e.target.value = '';
          }}
        />
        <button type="button" data-testid="pairs.sample" onClick={() => setPairsText(SAMPLE_PAIRS)}>
          Load sample pairs
        </button>
        <button type="button" data-testid="pairs.sampleJa" onClick={() => setPairsText(SAMPLE_PAIRS_JA)}>
          日本語のサンプル
        </button>
      </div>
      {state.pairsFile?.error && (
        <p className="error" role="alert" data-testid="pairs.fileError">
          {state.pairsFile.error}
        </p>
      )}
      {state.reading ? (
        <div className="progress" data-testid="pairs.reading">
          <progress value={state.reading.done} max={state.reading.total} />
          <span>
            Reading {(state.reading.done / 1e6).toFixed(1)} of {(state.reading.total / 1e6).toFixed(1)}{' '}
            million characters…
          </span>
        </div>
      ) : (
        <div className="row">
          <span data-testid="pairs.summary">
            {state.pairs.length} pair{state.pairs.length === 1 ? '' : 's'}, {labelled} labelled
            {state.issues.length > 0 &&
              `, ${state.issues.length} line${state.issues.length === 1 ? '' : 's'} skipped`}
            {state.duplicates.length > 0 &&
              `, ${state.duplicates.length} duplicate${state.duplicates.length === 1 ? '' : 's'}`}
          </span>
        </div>
      )}
      {choice && !state.reading && (
        <p className="hint" data-testid="pairs.format">
          Read as {describeChoice(choice)}
          {state.pairsFormat ? ' (your choice)' : ''}.{' '}
          <button
            type="button"
            className="link"
            data-testid="pairs.changeFormat"
            onClick={() => setEditing(!editing)}
          >
            {editing ? 'Close' : 'Change…'}
          </button>
        </p>
      )}
      {(editing || needsMapping) && <MappingEditor app={app} onDone={() => setEditing(false)} />}
      {state.pairsTruncated && (
        <p className="error" role="alert" data-testid="pairs.truncated">
          Only the first {MAX_PAIRS.toLocaleString('en-US')} pairs were read; split the input to use the rest.
        </p>
      )}
      {state.issues.length > 0 && (
        <>
          <p className="hint">
            These lines are left out; the other pairs are kept. Fix them in the text above, or leave them out.
          </p>
          <ul className="issues" data-testid="pairs.issues">
            {state.issues.slice(0, SHOWN_ISSUES).map((issue) => (
              <li key={issue.line}>{issue.message}</li>
            ))}
            {state.issues.length > SHOWN_ISSUES && <li>… and {state.issues.length - SHOWN_ISSUES} more.</li>}
          </ul>
        </>
      )}
      {state.duplicates.length > 0 && (
        <details data-testid="pairs.duplicates">
          <summary>
            {state.duplicates.length} pair{state.duplicates.length === 1 ? ' repeats' : 's repeat'} an earlier
            one (kept)
          </summary>
          <ul className="issues">
            {state.duplicates.slice(0, SHOWN_ISSUES).map((d) => (
              <li key={d.line}>
                line {d.line} repeats line {d.firstLine}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
