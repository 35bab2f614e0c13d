import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { client } from './ui/client';
import './ui/console-api';
import './ui/styles.css';

window.pairscope = {
  getVectors: () => client.getVectors(),
  getPairInputs: (index) => client.getPairInputs(index),
  info: () => client.info(),
  loadModel: (options) => client.loadModel(options, () => undefined),
  embed: (pairs, recipe, run) => client.embed(pairs, recipe, () => undefined, undefined, run),
  killWorker: () => client.simulateCrash(),
};

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
