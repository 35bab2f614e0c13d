import type { AppController } from '../useApp';
import { SAMPLE_PAIRS, SAMPLE_PAIRS_JA } from '../sample';

const SHOWN_ISSUES = 20;

export function PairsPanel({ app }: { app: AppController }) {
  const { state, setPairsText } = app;
  const labelled = state.pairs.filter((p) => p.label !== null).length;
  return (
    <section className="panel" aria-labelledby="pairs-title">
      <h2 id="pairs-title">2. Sentence pairs</h2>
      <p className="hint">
        One pair per line: premise, TAB, hypothesis, and optionally TAB and a gold label.
      </p>
      <textarea
        data-testid="pairs.input"
        value={state.pairsText}
        spellCheck={false}
        rows={10}
        placeholder={'A man is playing a guitar.\tSomeone is making music.\tentailment'}
        onChange={(e) => setPairsText(e.target.value)}
      />
      <div className="row">
        <span data-testid="pairs.summary">
          {state.pairs.length} pair{state.pairs.length === 1 ? '' : 's'}, {labelled} labelled
          {state.issues.length > 0 &&
            `, ${state.issues.length} line${state.issues.length === 1 ? '' : 's'} skipped`}
        </span>
        <button type="button" data-testid="pairs.sample" onClick={() => setPairsText(SAMPLE_PAIRS)}>
          Load sample pairs
        </button>
        <button type="button" data-testid="pairs.sampleJa" onClick={() => setPairsText(SAMPLE_PAIRS_JA)}>
          日本語のサンプル
        </button>
      </div>
      {state.issues.length > 0 && (
        <ul className="issues" data-testid="pairs.issues">
          {state.issues.slice(0, SHOWN_ISSUES).map((issue) => (
            <li key={issue.line}>{issue.message}</li>
          ))}
          {state.issues.length > SHOWN_ISSUES && <li>… and {state.issues.length - SHOWN_ISSUES} more.</li>}
        </ul>
      )}
    </section>
  );
}
