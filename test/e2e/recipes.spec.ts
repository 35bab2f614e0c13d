/**
 * Every layer × pooling × pair mode in the browser (ONNX Runtime Web, WASM) against the same recipe run in
 * Node by onnxruntime-node from the same ONNX file (the path checked against torch and an independent naive
 * reference in test/unit/worker). Also the graph edit of a last-layer-only export, in the browser.
 */
import { readFileSync } from 'node:fs';
import type { Pair } from '../../src/core/pairs';
import type { EmbeddingRecipe, PairMode, Pooling } from '../../src/core/recipe';
import { createNodeRuntime } from '../../src/node/runtime-node';
import { PairscopeService } from '../../src/worker/service';
import { modelsDir, sharedPath } from '../shared-dir';
import { expect, maxAbsDiff, test } from './fixtures';

const pairs: Pair[] = readFileSync(sharedPath('data', 'sick', 'test.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 12)
  .map((line, i) => {
    const row = JSON.parse(line) as { premise: string; hypothesis: string };
    return { id: String(i), premise: row.premise, hypothesis: row.hypothesis, label: null };
  })
  .concat([{ id: 'sep', premise: 'left [SEP] right', hypothesis: '', label: null }]);

const combos: EmbeddingRecipe[] = (['origin', 'standard', 'separate'] as PairMode[]).flatMap((pairMode) =>
  (['mean', 'max', 'mean-max', 'first', 'last'] as Pooling[]).map((pooling) => ({
    pairMode,
    layers: [0, 1, 2],
    pooling,
    normalize: pooling === 'mean',
    maxLength: pooling === 'last' ? 12 : null,
    sbertParts: { u: true, v: true, absDiff: true, product: true },
  })),
);

for (const model of ['tiny-random-bert', 'tiny-random-bert-lastonly']) {
  test(`${model}: 15 pair mode × pooling recipes over all layers equal Node within 1e-4`, async ({
    app,
    page,
  }) => {
    const node = new PairscopeService(createNodeRuntime(modelsDir()));
    await node.loadModel(
      { source: { kind: 'server', id: model }, dtype: 'fp32', device: 'auto', threads: 2 },
      1,
      () => undefined,
    );
    await app.open();
    const info = await page.evaluate(
      (id) =>
        window.pairscope.loadModel({
          source: { kind: 'server', id },
          dtype: 'fp32',
          device: 'wasm',
          threads: null,
        }),
      model,
    );
    expect(info.layerAccess).toBe(model.endsWith('lastonly') ? 'graph-edit' : 'native');
    let worst = 0;
    for (const [i, recipe] of combos.entries()) {
      const browser = await page.evaluate(
        async ({ pairs, recipe }) => {
          const summary = await window.pairscope.embed(pairs, recipe);
          const v = (await window.pairscope.getVectors())!;
          return { dim: summary.dim, truncated: summary.truncated, data: Array.from(v.data) };
        },
        { pairs, recipe },
      );
      const summary = await node.embed(pairs, recipe, 10 + i, () => undefined);
      const expected = (await node.getVectors())!;
      expect(browser.dim).toBe(expected.dim);
      expect(browser.truncated).toEqual(summary.truncated);
      worst = Math.max(worst, maxAbsDiff(browser.data, expected.data));
    }
    console.log(
      `${model}: browser vs Node over ${combos.length} recipes × ${pairs.length} pairs, max abs diff ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThan(1e-4);
    expect(app.errors).toEqual([]);
  });
}
