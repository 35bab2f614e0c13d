/**
 * Models on the Hugging Face Hub that Pairscope suggests, each with the embedding recipe it is meant for.
 * The Japanese pair is the issue's: the origin blog's model with the origin recipe, and a multilingual BERT
 * whose tokenizer transformers.js runs natively.
 */
import type { PresetId } from './recipe';

export interface HubModelPreset {
  /** Hub repository id (owner/name). */
  hubId: string;
  /** What it is, for the menu. */
  name: string;
  /** Recipe preset chosen with it. */
  recipe: Exclude<PresetId, 'custom'>;
  /** What the user should know before loading it. */
  note: string;
}

export const HUB_MODEL_PRESETS: readonly HubModelPreset[] = [
  {
    hubId: 'Xenova/bert-base-uncased',
    name: 'English: BERT base, uncased',
    recipe: 'origin',
    note: 'ONNX export of Google’s bert-base-uncased; its tokenizer runs in transformers.js.',
  },
  {
    hubId: 'cl-tohoku/bert-base-japanese-whole-word-masking',
    name: 'Japanese: the origin blog’s BERT (cl-tohoku, whole word masking), origin recipe',
    recipe: 'origin',
    note: 'Tokenised in the worker with MeCab rules over IPADIC (kuromoji’s dictionary). The Hub repository has no ONNX file: export one (README, “Japanese models”) and load the folder as a local model.',
  },
  {
    hubId: 'Xenova/bert-base-multilingual-cased',
    name: 'Multilingual (104 languages, Japanese included): BERT base, cased',
    recipe: 'origin',
    note: 'ONNX export of Google’s multilingual BERT; its WordPiece tokenizer runs natively in transformers.js.',
  },
];
