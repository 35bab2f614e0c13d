/**
 * An embedding recipe: exactly which vector Pairscope takes for a sentence pair. Presets name the recipes
 * from the literature; `describeRecipe` states in words what a recipe does, so the UI can show it.
 */

/**
 * How a pair becomes model input.
 * - `origin`: the origin blog's single text `premise + "[SEP]" + hypothesis`, tokenized as one string
 *   without added special tokens: no [CLS], no trailing [SEP], token_type_ids all 0. A "[SEP]" typed by the
 *   user is a separator here too, exactly as in the origin.
 * - `standard`: `[CLS] premise [SEP] hypothesis [SEP]`, token types 0 / 1 (BERT's pair input).
 * - `separate`: each sentence encoded alone as `[CLS] s [SEP]`; the pair vector is built from u (premise)
 *   and v (hypothesis) with the parts in `sbertParts`.
 */
export type PairMode = 'origin' | 'standard' | 'separate';

/**
 * How token vectors become one vector. All poolings look only at tokens with attention mask 1 (special
 * tokens included, as bert-as-service's REDUCE_MEAN does).
 * - `mean`: masked mean; `max`: masked max; `mean-max`: both concatenated (2×dim);
 * - `first`: the first token ([CLS] in standard/separate mode); `last`: the last non-padding token.
 */
export type Pooling = 'mean' | 'max' | 'mean-max' | 'first' | 'last';

/** Parts of the sentence-transformers NLI feature vector, in this order when enabled. */
export interface SbertParts {
  u: boolean;
  v: boolean;
  absDiff: boolean;
  product: boolean;
}

export interface EmbeddingRecipe {
  pairMode: PairMode;
  /**
   * Hidden layers to take, concatenated in this order. 0 = embeddings output, N = last layer; negative
   * values count from the end as in the literature (−1 = last, −2 = second-to-last).
   */
  layers: number[];
  pooling: Pooling;
  /** L2-normalise each pooled vector (each sentence vector in `separate` mode, before combining). */
  normalize: boolean;
  /**
   * Maximum tokens per model input, special tokens included; null = the model's maximum. Never beyond the
   * model's position embeddings (clamped, and the clamp is reported).
   */
  maxLength: number | null;
  /** Only for `separate` mode. */
  sbertParts: SbertParts;
}

export type PresetId = 'origin' | 'bert-as-service' | 'sbert-nli' | 'custom';

export interface Preset {
  id: Exclude<PresetId, 'custom'>;
  name: string;
  recipe: EmbeddingRecipe;
  /** Where the recipe comes from, in one sentence. */
  source: string;
}

const ALL_PARTS_OFF: SbertParts = { u: false, v: false, absDiff: false, product: false };

/** The presets, in the order the UI lists them. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'origin',
    name: 'Origin blog',
    recipe: {
      pairMode: 'origin',
      layers: [-2],
      pooling: 'mean',
      normalize: false,
      maxLength: null,
      sbertParts: ALL_PARTS_OFF,
    },
    source:
      'The blog Pairscope started from: tokenize(premise + "[SEP]" + hypothesis), hidden_states[-2], mean over all tokens, fed to LightGBM.',
  },
  {
    id: 'bert-as-service',
    name: 'bert-as-service defaults',
    recipe: {
      pairMode: 'standard',
      layers: [-2],
      pooling: 'mean',
      normalize: false,
      maxLength: 25,
      sbertParts: ALL_PARTS_OFF,
    },
    source:
      'bert-as-service: "premise ||| hypothesis" as [CLS] p [SEP] h [SEP], max_seq_len 25 (longest-first), pooling_layer -2, REDUCE_MEAN over non-padding tokens.',
  },
  {
    id: 'sbert-nli',
    name: 'Sentence-BERT NLI features',
    recipe: {
      pairMode: 'separate',
      layers: [-1],
      pooling: 'mean',
      normalize: false,
      maxLength: null,
      sbertParts: { u: true, v: true, absDiff: true, product: false },
    },
    source:
      'Sentence-BERT (Reimers & Gurevych 2019): sentences encoded alone, mean pooling, classifier on (u, v, |u−v|).',
  },
];

/** The recipe of a preset (a fresh copy the caller may change). */
export function presetRecipe(id: Exclude<PresetId, 'custom'>): EmbeddingRecipe {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset ${id}`);
  return { ...preset.recipe, layers: [...preset.recipe.layers], sbertParts: { ...preset.recipe.sbertParts } };
}

/** The preset a recipe equals, or 'custom'. */
export function matchPreset(recipe: EmbeddingRecipe): PresetId {
  const key = recipeKey(recipe);
  return PRESETS.find((p) => recipeKey(p.recipe) === key)?.id ?? 'custom';
}

/** A canonical string for a recipe: equal recipes give equal keys (used for caching and matching). */
export function recipeKey(recipe: EmbeddingRecipe): string {
  const parts = recipe.pairMode === 'separate' ? recipe.sbertParts : ALL_PARTS_OFF;
  return JSON.stringify([
    recipe.pairMode,
    recipe.layers,
    recipe.pooling,
    recipe.normalize,
    recipe.maxLength,
    parts.u,
    parts.v,
    parts.absDiff,
    parts.product,
  ]);
}

/** Resolves layer indices (negative from the end) against a model with `numLayers` encoder layers. */
export function resolveLayers(layers: readonly number[], numLayers: number): number[] {
  return layers.map((layer) => {
    const resolved = layer < 0 ? numLayers + 1 + layer : layer;
    if (!Number.isInteger(layer) || resolved < 0 || resolved > numLayers) {
      throw new RangeError(
        `Layer ${layer} does not exist: this model has hidden states 0 (embeddings) to ${numLayers} (last), or −1 to −${numLayers + 1}.`,
      );
    }
    return resolved;
  });
}

/** Vector size the recipe produces for a model of hidden size `hidden`. */
export function recipeDimension(recipe: EmbeddingRecipe, hidden: number): number {
  const pooled = hidden * recipe.layers.length * (recipe.pooling === 'mean-max' ? 2 : 1);
  if (recipe.pairMode !== 'separate') return pooled;
  const p = recipe.sbertParts;
  return pooled * [p.u, p.v, p.absDiff, p.product].filter(Boolean).length;
}

/** One sentence describing the recipe, for the UI. */
export function describeRecipe(recipe: EmbeddingRecipe): string {
  const input =
    recipe.pairMode === 'origin'
      ? 'one text "premise[SEP]hypothesis" (no [CLS], no final [SEP], token types 0)'
      : recipe.pairMode === 'standard'
        ? '"[CLS] premise [SEP] hypothesis [SEP]" (token types 0/1)'
        : 'each sentence alone as "[CLS] sentence [SEP]"';
  const layers =
    recipe.layers.length === 1
      ? `layer ${recipe.layers[0]}`
      : `layers ${recipe.layers.join(', ')} concatenated`;
  const pooling = {
    mean: 'mean over non-padding tokens',
    max: 'max over non-padding tokens',
    'mean-max': 'mean and max concatenated',
    first: 'first token',
    last: 'last non-padding token',
  }[recipe.pooling];
  const parts =
    recipe.pairMode === 'separate'
      ? `; pair vector = [${[
          recipe.sbertParts.u && 'u',
          recipe.sbertParts.v && 'v',
          recipe.sbertParts.absDiff && '|u−v|',
          recipe.sbertParts.product && 'u·v',
        ]
          .filter(Boolean)
          .join(', ')}]`
      : '';
  const length = recipe.maxLength === null ? 'model maximum length' : `max ${recipe.maxLength} tokens`;
  return `Input ${input}, ${length}; ${layers}; ${pooling}${recipe.normalize ? ', L2-normalised' : ''}${parts}.`;
}
