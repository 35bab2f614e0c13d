import { useState } from 'react';
import type { EmbeddingRecipe, PairMode, Pooling, PresetId, SbertParts } from '../../core/recipe';
import { describeRecipe, matchPreset, PRESETS, presetRecipe } from '../../core/recipe';
import type { AppController } from '../useApp';

/** Parses "-2" or "-4, -3, -2, -1" into layer indices; null when not a list of integers. */
export function parseLayers(text: string): number[] | null {
  const parts = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => p.replace('−', '-'));
  if (parts.length === 0 || parts.some((p) => !/^-?\d+$/.test(p))) return null;
  return parts.map(Number);
}

export function RecipePanel({ app }: { app: AppController }) {
  const { state, setSettings } = app;
  const { recipe, presetId } = state.settings;
  const [layersText, setLayersText] = useState(recipe.layers.join(', '));
  // When the recipe's layers change from outside (a preset), show them; React's "adjust state on prop change".
  const [shownLayers, setShownLayers] = useState(recipe.layers);
  if (shownLayers !== recipe.layers) {
    setShownLayers(recipe.layers);
    if (parseLayers(layersText)?.join() !== recipe.layers.join()) setLayersText(recipe.layers.join(', '));
  }
  const numLayers = state.model.status === 'ready' ? state.model.info.numLayers : null;

  const update = (patch: Partial<EmbeddingRecipe>) => {
    const next = { ...recipe, ...patch };
    setSettings({ recipe: next, presetId: matchPreset(next) });
  };
  const layersValid = parseLayers(layersText) !== null;
  const preset = PRESETS.find((p) => p.id === presetId);

  return (
    <section className="panel" aria-labelledby="recipe-title">
      <h2 id="recipe-title">3. Embedding recipe</h2>
      <label className="field">
        Preset
        <select
          data-testid="recipe.preset"
          value={presetId}
          onChange={(e) => {
            const id = e.target.value as PresetId;
            if (id === 'custom') setSettings({ presetId: 'custom' });
            else setSettings({ presetId: id, recipe: presetRecipe(id) });
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </label>
      {preset && <p className="hint">{preset.source}</p>}
      <p className="recipe" data-testid="recipe.description">
        {describeRecipe(recipe)}
      </p>
      <div className="grid">
        <label className="field">
          Pair input
          <select
            data-testid="recipe.pairMode"
            value={recipe.pairMode}
            onChange={(e) => {
              const pairMode = e.target.value as PairMode;
              const p = recipe.sbertParts;
              const noParts = !(p.u || p.v || p.absDiff || p.product);
              // Switching to sentence vectors with no part chosen starts from Sentence-BERT's (u, v, |u−v|).
              update(
                pairMode === 'separate' && noParts
                  ? { pairMode, sbertParts: { u: true, v: true, absDiff: true, product: false } }
                  : { pairMode },
              );
            }}
          >
            <option value="origin">premise[SEP]hypothesis as one text (origin)</option>
            <option value="standard">[CLS] premise [SEP] hypothesis [SEP]</option>
            <option value="separate">each sentence alone (u, v)</option>
          </select>
        </label>
        <label className="field">
          Layers{' '}
          {numLayers !== null && (
            <span className="hint">
              (0…{numLayers}, or −1…−{numLayers + 1})
            </span>
          )}
          <input
            data-testid="recipe.layers"
            value={layersText}
            aria-invalid={!layersValid}
            onChange={(e) => {
              setLayersText(e.target.value);
              const layers = parseLayers(e.target.value);
              if (layers) update({ layers });
            }}
          />
          {!layersValid && (
            <span className="error">Give layer numbers separated by commas, e.g. −2 or −4, −3, −2, −1.</span>
          )}
        </label>
        <label className="field">
          Pooling
          <select
            data-testid="recipe.pooling"
            value={recipe.pooling}
            onChange={(e) => update({ pooling: e.target.value as Pooling })}
          >
            <option value="mean">mean (non-padding tokens)</option>
            <option value="max">max</option>
            <option value="mean-max">mean ‖ max</option>
            <option value="first">first token ([CLS])</option>
            <option value="last">last non-padding token</option>
          </select>
        </label>
        <label className="field">
          Max tokens
          <input
            data-testid="recipe.maxLength"
            type="number"
            min={4}
            placeholder="model maximum"
            value={recipe.maxLength ?? ''}
            onChange={(e) =>
              update({ maxLength: e.target.value === '' ? null : Math.max(4, Number(e.target.value)) })
            }
          />
        </label>
        <label className="choice">
          <input
            type="checkbox"
            data-testid="recipe.normalize"
            checked={recipe.normalize}
            onChange={(e) => update({ normalize: e.target.checked })}
          />
          L2-normalise
        </label>
        {recipe.pairMode === 'separate' && (
          <fieldset className="row">
            <legend>Pair features</legend>
            {(
              [
                ['u', 'u'],
                ['v', 'v'],
                ['absDiff', '|u−v|'],
                ['product', 'u·v'],
              ] as [keyof SbertParts, string][]
            ).map(([key, label]) => (
              <label key={key} className="choice">
                <input
                  type="checkbox"
                  data-testid={`recipe.part.${key}`}
                  checked={recipe.sbertParts[key]}
                  onChange={(e) => update({ sbertParts: { ...recipe.sbertParts, [key]: e.target.checked } })}
                />
                {label}
              </label>
            ))}
          </fieldset>
        )}
      </div>
    </section>
  );
}
