import { useEffect, useState } from 'react';
import type { ServerModel } from '../worker/protocol';
import { EmbedPanel } from './components/EmbedPanel';
import { ModelPanel } from './components/ModelPanel';
import { PairsPanel } from './components/PairsPanel';
import { RecipePanel } from './components/RecipePanel';
import { useApp } from './useApp';

/** Lists the model folders the app's server offers (`/models/index.json`); none on a static host. */
function useServerModels(): ServerModel[] | null {
  const [models, setModels] = useState<ServerModel[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    void fetch(new URL('models/index.json', document.baseURI))
      .then((r) => (r.ok ? (r.json() as Promise<{ models: ServerModel[] }>) : { models: [] }))
      .catch(() => ({ models: [] }))
      .then((body) => {
        if (!cancelled) setModels(body.models);
      });
    return () => {
      cancelled = true;
    };
  }, []);
  return models;
}

export function App() {
  const serverModels = useServerModels();
  const app = useApp(serverModels);
  return (
    <div className="app">
      <header>
        <h1>Pairscope</h1>
        <p>Look inside BERT embeddings of sentence pairs — in your browser, nothing leaves it.</p>
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
    </div>
  );
}
