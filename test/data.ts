/** Shared test data: NLI rows from ../shared/data, model references, and a max-abs-diff helper. */
import { readFileSync } from 'node:fs';
import { sharedPath } from './shared-dir';

/** The first `n` rows of a JSONL file in ../shared/data as [premise, hypothesis, label]. */
export function nliRows(dataset: string, file: string, n: number): [string, string, string][] {
  return readFileSync(sharedPath('data', dataset, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((line) => {
      const row = JSON.parse(line) as { premise: string; hypothesis: string; label: string };
      return [row.premise, row.hypothesis, row.label];
    });
}

/** A model's reference_outputs.json (computed with torch / transformers.js; see its PROVENANCE.md). */
export interface ModelReference {
  sentences: string[];
  pairs: [string, string][];
  pooled: { dims: number[]; data: number[] };
  pair_input_ids: { dims: number[]; data: number[] };
  pair_token_type_ids: { dims: number[]; data: number[] };
  pair_pooled_mean_layer_minus2?: { dims: number[]; data: number[] };
}

export function modelReference(model: string): ModelReference {
  return JSON.parse(
    readFileSync(sharedPath('models', model, 'reference_outputs.json'), 'utf8'),
  ) as ModelReference;
}

/** Largest absolute difference of two equally long arrays (throws when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** One record of ../shared/data/ja-tokenizer/reference_tokens.jsonl (format in its SPEC.md). */
export type JaReferenceRecord =
  | {
      type: 'sentence';
      source: string;
      id: string;
      text: string;
      mecab_words: string[];
      tokens: string[];
      input_ids: number[];
      token_type_ids: number[];
    }
  | {
      type: 'pair';
      source: string;
      id: string;
      premise: string;
      hypothesis: string;
      input_ids: number[];
      token_type_ids: number[];
      seed_joined_text: string;
      seed_joined_input_ids: number[];
      seed_joined_token_type_ids: number[];
    };

/** The Japanese tokenizer reference records (MeCab + IPADIC + WordPiece, made with Python). */
export function jaReferenceRecords(): JaReferenceRecord[] {
  return readFileSync(sharedPath('data', 'ja-tokenizer', 'reference_tokens.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JaReferenceRecord);
}
