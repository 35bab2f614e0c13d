import { describe, expect, it } from 'vitest';
import {
  describeRecipe,
  matchPreset,
  PRESETS,
  presetRecipe,
  recipeDimension,
  resolveLayers,
} from '../../../src/core/recipe';

describe('recipes', () => {
  it('the origin preset is exactly the blog recipe', () => {
    expect(presetRecipe('origin')).toMatchObject({
      pairMode: 'origin',
      layers: [-2],
      pooling: 'mean',
      normalize: false,
    });
    expect(describeRecipe(presetRecipe('origin'))).toBe(
      'Input one text "premise[SEP]hypothesis" (no [CLS], no final [SEP], token types 0), model maximum length; layer -2; mean over non-padding tokens.',
    );
  });

  it('bert-as-service caps at 25 tokens on the pair input', () => {
    expect(presetRecipe('bert-as-service')).toMatchObject({
      pairMode: 'standard',
      layers: [-2],
      maxLength: 25,
    });
  });

  it('matchPreset recognises presets and calls anything else custom', () => {
    for (const p of PRESETS) expect(matchPreset(presetRecipe(p.id))).toBe(p.id);
    expect(matchPreset({ ...presetRecipe('origin'), layers: [-1] })).toBe('custom');
  });

  it('presetRecipe returns an independent copy', () => {
    const a = presetRecipe('sbert-nli');
    a.sbertParts.product = true;
    a.layers.push(3);
    expect(presetRecipe('sbert-nli').sbertParts.product).toBe(false);
    expect(presetRecipe('sbert-nli').layers).toEqual([-1]);
  });

  it('resolves negative layers and rejects layers that do not exist', () => {
    expect(resolveLayers([-1, -2, 0, 4], 4)).toEqual([4, 3, 0, 4]);
    expect(resolveLayers([-5], 4)).toEqual([0]);
    expect(() => resolveLayers([5], 4)).toThrow(/0 \(embeddings\) to 4/);
    expect(() => resolveLayers([-6], 4)).toThrow(RangeError);
  });

  it('computes the vector size', () => {
    expect(recipeDimension(presetRecipe('origin'), 768)).toBe(768);
    expect(recipeDimension({ ...presetRecipe('origin'), layers: [-4, -3, -2, -1] }, 768)).toBe(3072);
    expect(recipeDimension({ ...presetRecipe('origin'), pooling: 'mean-max' }, 128)).toBe(256);
    expect(recipeDimension(presetRecipe('sbert-nli'), 128)).toBe(384);
  });
});
