import { useRef } from 'react';
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
  const sessionInput = useRef<HTMLInputElement>(null);
  return (
    <div className="app">
      <header>
        <h1>Pairscope</h1>
        <p>Look inside BERT embeddings of sentence pairs — in your browser, nothing leaves it.</p>
        <div className="row session-actions">
          <button type="button" data-testid="session.save" onClick={() => void app.saveSessionFile()}>
            Save session
          </button>
          <button type="button" data-testid="session.open" onClick={() => sessionInput.current?.click()}>
            Open session…
          </button>
          <input
            ref={sessionInput}
            type="file"
            hidden
            accept=".json,application/json"
            data-testid="session.file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void app.openSessionFile(file);
              e.target.value = '';
            }}
          />
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
