import { ClassifierPanel } from './components/ClassifierPanel';
import { EmbedPanel } from './components/EmbedPanel';
import { MapPanel } from './components/MapPanel';
import { ModelPanel } from './components/ModelPanel';
import { PairsPanel } from './components/PairsPanel';
import { PairsTable } from './components/PairsTable';
import { RecipePanel } from './components/RecipePanel';
import { useApp } from './useApp';

export function App() {
  const app = useApp();
  return (
    <div className="app">
      <header>
        <h1>Pairscope</h1>
        <p>Look inside BERT embeddings of sentence pairs — in your browser, nothing leaves it.</p>
        <div className="row session-actions">
          <button
            type="button"
            data-testid="session.new"
            onClick={() => {
              if (window.confirm('Start a new session? The pairs, results and settings are cleared.')) {
                app.newSession();
              }
            }}
          >
            New session
          </button>
        </div>
      </header>
      {app.state.notice && (
        <p className="notice" role="status" data-testid="app.notice">
          {app.state.notice}
        </p>
      )}
      <main className="columns">
        <div className="column">
          <ModelPanel app={app} />
          <PairsPanel app={app} />
        </div>
        <div className="column">
          <RecipePanel app={app} />
          <EmbedPanel app={app} />
        </div>
      </main>
      <PairsTable app={app} />
      <section className="results" aria-label="Results">
        <MapPanel app={app} />
        <ClassifierPanel app={app} />
      </section>
    </div>
  );
}
