/**
 * Compact gradient-boosted decision trees in the style of LightGBM: features binned into at most 255
 * quantile bins once, histograms of gradient/hessian sums per leaf (the larger child's histogram by
 * subtraction), leaf-wise (best-first) growth up to `numLeaves` leaves, second-order gain and leaf values.
 *
 * - More than two classes: softmax loss, one regression tree per class per round, start from log class
 *   priors; gradient `p − y`, hessian `p(1 − p)`.
 * - Two classes: logistic loss, one tree per round predicting the log-odds of class 1, start from the
 *   log-odds of its training share.
 *
 * No randomness is involved (no bagging or feature sampling), so training is deterministic; ties between
 * splits go to the lower feature index, then the lower bin.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, assertTrainingSet, type Matrix } from './matrix';

/**
 * One regression tree in flat arrays (JSON-friendly). Node 0 is the root. For an internal node `k`: go to
 * `left[k]` when `x[feature[k]] <= threshold[k]`, else to `right[k]`; a child index `c < 0` means leaf `~c`
 * (i.e. `-c - 1`), whose output is `leafValue[~c]` (already multiplied by the learning rate). A tree with a
 * single leaf has no nodes and one leaf value.
 */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  leafValue: number[];
}

/** A trained GBDT. Plain arrays only, so `JSON.stringify` round-trips it. */
export interface GbdtModel {
  kind: 'gbdt';
  nClasses: number;
  dim: number;
  /** Trees per round: 1 for two classes, else `nClasses`. */
  treesPerRound: number;
  /** Initial raw score per output (log prior, or log-odds for two classes). */
  initScore: number[];
  /** `trees[round * treesPerRound + output]`. */
  trees: GbdtTree[];
  /** Rounds done. */
  rounds: number;
  /** Mean training cross-entropy after each round. */
  lossHistory: number[];
  /** True when `onRound` returned false. */
  stopped: boolean;
}

/** Options of {@link trainGbdt}; defaults follow LightGBM. */
export interface GbdtOptions {
  /** Boosting rounds. Default 100. */
  nRounds?: number;
  /** Shrinkage applied to every leaf value. Default 0.1. */
  learningRate?: number;
  /** Most leaves per tree (leaf-wise growth). Default 31. */
  numLeaves?: number;
  /** Most depth per tree; 0 = unlimited. Default 0. */
  maxDepth?: number;
  /** Fewest rows in a leaf. Default 20. */
  minDataInLeaf?: number;
  /** Smallest hessian sum in a leaf. Default 1e-3. */
  minSumHessianInLeaf?: number;
  /** L2 regularisation λ of leaf values (`−G / (H + λ)`). Default 0. */
  lambdaL2?: number;
  /** Smallest gain for a split. Default 0. */
  minGainToSplit?: number;
  /** Most bins per feature, 2 … 256. Default 255. */
  maxBins?: number;
  /** Names per class id, used in error messages. */
  classNames?: readonly string[];
  /** Called after each round with its number (1-based) and the mean training cross-entropy; `false` stops. */
  onRound?: (round: number, trainLoss: number) => boolean | void;
}

/**
 * Upper bin edges per feature: value v falls in the first bin b with `v <= edges[b]`; the last edge is
 * +Infinity. Edges sit halfway between neighbouring distinct values at (approximately) equal-count
 * quantiles, as LightGBM places them.
 */
function computeBinEdges(x: Matrix, maxBins: number): Float64Array[] {
  const { rows, dim, data } = x;
  const column = new Float64Array(rows);
  const edges: Float64Array[] = [];
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < rows; i++) column[i] = data[i * dim + j];
    column.sort();
    const distinct: number[] = [];
    for (let i = 0; i < rows; i++) if (i === 0 || column[i] !== column[i - 1]) distinct.push(column[i]);
    const cuts: number[] = [];
    if (distinct.length <= maxBins) {
      for (let k = 0; k + 1 < distinct.length; k++) cuts.push((distinct[k] + distinct[k + 1]) / 2);
    } else {
      for (let b = 1; b < maxBins; b++) {
        const idx = Math.floor((b * rows) / maxBins);
        if (idx <= 0 || idx >= rows || column[idx - 1] === column[idx]) continue;
        const cut = (column[idx - 1] + column[idx]) / 2;
        if (cuts.length === 0 || cut > cuts[cuts.length - 1]) cuts.push(cut);
      }
    }
    cuts.push(Infinity);
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

function findBin(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A leaf being grown: its rows are `order[start, end)`. */
interface GrowingLeaf {
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  /** Histogram: per feature, per bin, [sum g, sum h, count] at `(j * maxBins + b) * 3`. */
  hist: Float64Array;
  /** Best split found for this leaf: its gain, feature and bin (feature −1: no split beats minGainToSplit). */
  gain: number;
  feature: number;
  bin: number;
  /** Where this leaf hangs: parent node index and side (−1 for the root). */
  parent: number;
  isLeft: boolean;
}

interface TreeContext {
  /** Bin of every value, feature-major: `bins[j * rows + i]` (one feature's column stays in cache). */
  bins: Uint8Array;
  rows: number;
  dim: number;
  nBins: Int32Array;
  maxBins: number;
  edges: Float64Array[];
  numLeaves: number;
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessian: number;
  lambda: number;
  minGain: number;
  learningRate: number;
  /** Reusable histogram buffers (each `dim × maxBins × 3` doubles), so trees do not allocate per leaf. */
  pool: Float64Array[];
  /** Scratch, length rows: row ids, gradients and hessians of the leaf being histogrammed, in order. */
  leafRows: Int32Array;
  leafG: Float64Array;
  leafH: Float64Array;
}

function acquireHistogram(ctx: TreeContext): Float64Array {
  const buffer = ctx.pool.pop();
  if (buffer === undefined) return new Float64Array(ctx.dim * ctx.maxBins * 3);
  buffer.fill(0);
  return buffer;
}

function releaseHistogram(ctx: TreeContext, leaf: GrowingLeaf): void {
  if (leaf.hist !== NO_HISTOGRAM) ctx.pool.push(leaf.hist);
  leaf.hist = NO_HISTOGRAM;
}

function buildHistogram(
  ctx: TreeContext,
  order: Uint32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): Float64Array {
  const { dim, maxBins, bins, rows, leafRows, leafG, leafH } = ctx;
  const hist = acquireHistogram(ctx);
  const n = end - start;
  for (let r = 0; r < n; r++) {
    const i = order[start + r];
    leafRows[r] = i;
    leafG[r] = g[i];
    leafH[r] = h[i];
  }
  // Feature by feature, so the feature's bins column and its histogram slice stay in cache.
  for (let j = 0; j < dim; j++) {
    const column = j * rows;
    const base = j * maxBins * 3;
    for (let r = 0; r < n; r++) {
      const k = base + bins[column + leafRows[r]] * 3;
      hist[k] += leafG[r];
      hist[k + 1] += leafH[r];
      hist[k + 2] += 1;
    }
  }
  return hist;
}

/** `parent − small` written into `parent` (the sibling's histogram, by LightGBM's subtraction trick). */
function subtractHistogram(parent: Float64Array, small: Float64Array): Float64Array {
  for (let k = 0; k < parent.length; k++) parent[k] -= small[k];
  return parent;
}

function leafObjective(sumG: number, sumH: number, lambda: number): number {
  return (sumG * sumG) / (sumH + lambda);
}

/** Finds the best split of a leaf from its histogram; stores it in the leaf. */
function findBestSplit(ctx: TreeContext, leaf: GrowingLeaf): void {
  leaf.gain = ctx.minGain;
  leaf.feature = -1;
  leaf.bin = -1;
  findBestSplitInHistogram(ctx, leaf);
  // A leaf that will not split gives its histogram back (they are large: dim × maxBins × 3 doubles).
  if (leaf.feature < 0) releaseHistogram(ctx, leaf);
}

const NO_HISTOGRAM = new Float64Array(0);

function findBestSplitInHistogram(ctx: TreeContext, leaf: GrowingLeaf): void {
  const count = leaf.end - leaf.start;
  if (count < 2 * ctx.minDataInLeaf) return;
  if (ctx.maxDepth > 0 && leaf.depth >= ctx.maxDepth) return;
  const { dim, maxBins, nBins, minDataInLeaf, minSumHessian, lambda } = ctx;
  const parentScore = leafObjective(leaf.sumG, leaf.sumH, lambda);
  const hist = leaf.hist;
  for (let j = 0; j < dim; j++) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const base = j * maxBins * 3;
    for (let b = 0; b + 1 < nBins[j]; b++) {
      const k = base + b * 3;
      if (hist[k + 2] === 0) continue; // empty bin: same split as the previous bin
      gl += hist[k];
      hl += hist[k + 1];
      nl += hist[k + 2];
      if (nl < minDataInLeaf || hl < minSumHessian) continue;
      const nr = count - nl;
      if (nr < minDataInLeaf) break;
      const hr = leaf.sumH - hl;
      if (hr < minSumHessian) continue;
      const gain = leafObjective(gl, hl, lambda) + leafObjective(leaf.sumG - gl, hr, lambda) - parentScore;
      if (gain > leaf.gain) {
        leaf.gain = gain;
        leaf.feature = j;
        leaf.bin = b;
      }
    }
  }
}

/** Grows one tree leaf-wise on gradients `g` and hessians `h`; returns it and adds its output to `score`. */
function growTree(
  ctx: TreeContext,
  g: Float64Array,
  h: Float64Array,
  score: Float64Array,
  scoreStride: number,
  scoreOffset: number,
): GbdtTree {
  const { rows, bins } = ctx;
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const scratch = new Uint32Array(rows);
  let sumG = 0;
  let sumH = 0;
  for (let i = 0; i < rows; i++) {
    sumG += g[i];
    sumH += h[i];
  }
  const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], leafValue: [] };
  const root: GrowingLeaf = {
    start: 0,
    end: rows,
    depth: 0,
    sumG,
    sumH,
    hist: buildHistogram(ctx, order, 0, rows, g, h),
    gain: 0,
    feature: -1,
    bin: -1,
    parent: -1,
    isLeft: false,
  };
  findBestSplit(ctx, root);
  const leaves: GrowingLeaf[] = [root];
  while (leaves.length < ctx.numLeaves) {
    let bestIndex = -1;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      if (leaf.feature >= 0 && (bestIndex < 0 || leaf.gain > leaves[bestIndex].gain)) bestIndex = k;
    }
    if (bestIndex < 0) break;
    const leaf = leaves[bestIndex];
    const { feature, bin } = leaf;
    // Stable partition of the leaf's rows: bin ≤ split bin to the left.
    let nl = 0;
    let nr = 0;
    for (let r = leaf.start; r < leaf.end; r++) {
      const i = order[r];
      if (bins[feature * rows + i] <= bin) order[leaf.start + nl++] = i;
      else scratch[nr++] = i;
    }
    order.set(scratch.subarray(0, nr), leaf.start + nl);
    const mid = leaf.start + nl;

    const node = tree.feature.length;
    tree.feature.push(feature);
    tree.threshold.push(ctx.edges[feature][bin]);
    tree.left.push(0);
    tree.right.push(0);
    if (leaf.parent >= 0) {
      if (leaf.isLeft) tree.left[leaf.parent] = node;
      else tree.right[leaf.parent] = node;
    }
    // Sums of the left child from the histogram of the split feature.
    let gl = 0;
    let hl = 0;
    const base = feature * ctx.maxBins * 3;
    for (let b = 0; b <= bin; b++) {
      gl += leaf.hist[base + b * 3];
      hl += leaf.hist[base + b * 3 + 1];
    }
    const smallerIsLeft = nl <= nr;
    const small = smallerIsLeft
      ? buildHistogram(ctx, order, leaf.start, mid, g, h)
      : buildHistogram(ctx, order, mid, leaf.end, g, h);
    const large = subtractHistogram(leaf.hist, small); // reuses the parent's buffer
    const makeChild = (
      start: number,
      end: number,
      cg: number,
      ch: number,
      hist: Float64Array,
      isLeft: boolean,
    ): GrowingLeaf => ({
      start,
      end,
      depth: leaf.depth + 1,
      sumG: cg,
      sumH: ch,
      hist,
      gain: 0,
      feature: -1,
      bin: -1,
      parent: node,
      isLeft,
    });
    const left = makeChild(leaf.start, mid, gl, hl, smallerIsLeft ? small : large, true);
    const right = makeChild(
      mid,
      leaf.end,
      leaf.sumG - gl,
      leaf.sumH - hl,
      smallerIsLeft ? large : small,
      false,
    );
    findBestSplit(ctx, left);
    findBestSplit(ctx, right);
    leaves.splice(bestIndex, 1, left, right);
  }
  // Leaf values −G / (H + λ) × learning rate, written into the tree and added to the running scores.
  leaves.forEach((leaf, k) => {
    releaseHistogram(ctx, leaf);
    const value = (-leaf.sumG / (leaf.sumH + ctx.lambda)) * ctx.learningRate;
    const safe = Number.isFinite(value) ? value : 0;
    tree.leafValue.push(safe);
    if (leaf.parent >= 0) {
      if (leaf.isLeft) tree.left[leaf.parent] = ~k;
      else tree.right[leaf.parent] = ~k;
    }
    for (let r = leaf.start; r < leaf.end; r++) score[order[r] * scoreStride + scoreOffset] += safe;
  });
  return tree;
}

function evaluateTree(tree: GbdtTree, data: Float32Array, off: number): number {
  if (tree.feature.length === 0) return tree.leafValue[0];
  let node = 0;
  for (;;) {
    const next = data[off + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    if (next < 0) return tree.leafValue[~next];
    node = next;
  }
}

const HESSIAN_FLOOR = 1e-16;
/** Floor of class priors so a class absent from training starts at log(1e-6) instead of −∞. */
const PRIOR_FLOOR = 1e-6;

function softmaxInto(score: Float64Array, off: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, score[off + c]);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(score[off + c] - max);
    sum += out[c];
  }
  for (let c = 0; c < k; c++) out[c] /= sum;
}

/**
 * Trains gradient-boosted trees (see the module comment).
 *
 * @param x - training features `rows × dim` (raw; trees do not need standardisation).
 * @param y - class id per row in `[0, nClasses)`, at least two distinct.
 * @throws InputError as `assertTrainingSet` (`input.single-class`, `input.not-finite`, …), `input.option`
 *   for a bad option.
 */
export function trainGbdt(
  x: Matrix,
  y: readonly number[],
  nClasses: number,
  options: GbdtOptions = {},
): GbdtModel {
  const nRounds = options.nRounds ?? 100;
  const learningRate = options.learningRate ?? 0.1;
  const numLeaves = options.numLeaves ?? 31;
  const maxDepth = options.maxDepth ?? 0;
  const minDataInLeaf = options.minDataInLeaf ?? 20;
  const minSumHessian = options.minSumHessianInLeaf ?? 1e-3;
  const lambda = options.lambdaL2 ?? 0;
  const minGain = options.minGainToSplit ?? 0;
  const maxBins = options.maxBins ?? 255;
  if (!Number.isInteger(nRounds) || nRounds < 1)
    throw new InputError('input.option', `nRounds must be a positive integer; got ${nRounds}.`);
  if (!Number.isInteger(numLeaves) || numLeaves < 2)
    throw new InputError('input.option', `numLeaves must be an integer ≥ 2; got ${numLeaves}.`);
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) {
    throw new InputError('input.option', `maxBins must be an integer from 2 to 256; got ${maxBins}.`);
  }
  if (!Number.isInteger(minDataInLeaf) || minDataInLeaf < 1 || !Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new InputError(
      'input.option',
      'minDataInLeaf must be a positive integer and maxDepth a non-negative one.',
    );
  }
  if (!(learningRate > 0) || !(lambda >= 0) || !(minGain >= 0) || !(minSumHessian >= 0)) {
    throw new InputError(
      'input.option',
      'learningRate must be > 0; lambdaL2, minGainToSplit, minSumHessianInLeaf ≥ 0.',
    );
  }
  assertTrainingSet(x, y, nClasses, options.classNames);
  const { rows, dim } = x;
  const edges = computeBinEdges(x, maxBins);
  const bins = new Uint8Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) bins[j * rows + i] = findBin(edges[j], x.data[i * dim + j]);
  }
  const ctx: TreeContext = {
    bins,
    rows,
    dim,
    nBins: Int32Array.from(edges, (e) => e.length),
    maxBins,
    edges,
    numLeaves,
    maxDepth,
    minDataInLeaf,
    minSumHessian,
    lambda,
    minGain,
    learningRate,
    pool: [],
    leafRows: new Int32Array(rows),
    leafG: new Float64Array(rows),
    leafH: new Float64Array(rows),
  };

  const binary = nClasses === 2;
  const k = binary ? 1 : nClasses;
  const counts = new Array<number>(nClasses).fill(0);
  for (const label of y) counts[label]++;
  const initScore = binary
    ? [Math.log(counts[1] / counts[0])]
    : counts.map((c) => Math.log(Math.max(c / rows, PRIOR_FLOOR)));
  const score = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) score[i * k + c] = initScore[c];

  const g = new Float64Array(rows);
  const h = new Float64Array(rows);
  const prob = new Float64Array(rows * k);
  const p = new Float64Array(k);
  const trees: GbdtTree[] = [];
  const lossHistory: number[] = [];
  let stopped = false;
  let round = 0;

  const updateProbabilities = (): number => {
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      if (binary) {
        const z = score[i];
        const p1 = 1 / (1 + Math.exp(-z));
        prob[i] = p1;
        loss += y[i] === 1 ? Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      } else {
        softmaxInto(score, i * k, k, p);
        prob.set(p, i * k);
        loss -= Math.log(Math.max(p[y[i]], Number.MIN_VALUE));
      }
    }
    return loss / rows;
  };

  updateProbabilities();
  while (round < nRounds) {
    round++;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < rows; i++) {
        const pc = prob[i * k + c];
        const target = binary ? (y[i] === 1 ? 1 : 0) : y[i] === c ? 1 : 0;
        g[i] = pc - target;
        h[i] = Math.max(pc * (1 - pc), HESSIAN_FLOOR);
      }
      trees.push(growTree(ctx, g, h, score, k, c));
    }
    const loss = updateProbabilities();
    lossHistory.push(loss);
    if (options.onRound?.(round, loss) === false) {
      stopped = true;
      break;
    }
  }
  return {
    kind: 'gbdt',
    nClasses,
    dim,
    treesPerRound: k,
    initScore,
    trees,
    rounds: round,
    lossHistory,
    stopped,
  };
}

/**
 * Class probabilities, `rows × nClasses` row-major, each row summing to 1 (up to float32 rounding).
 *
 * @throws InputError `input.dimension` (wrong dim), `input.not-finite` (naming the row).
 */
export function predictProbaGbdt(model: GbdtModel, x: Matrix): Float32Array {
  assertFiniteMatrix(x, 'features');
  if (x.dim !== model.dim) {
    throw new InputError(
      'input.dimension',
      `The features have ${x.dim} dimensions; the model expects ${model.dim}.`,
    );
  }
  const { nClasses, treesPerRound: k, trees } = model;
  const out = new Float32Array(x.rows * nClasses);
  const score = new Float64Array(k);
  const p = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const off = i * x.dim;
    for (let c = 0; c < k; c++) score[c] = model.initScore[c];
    for (let t = 0; t < trees.length; t++) score[t % k] += evaluateTree(trees[t], x.data, off);
    if (k === 1) {
      const p1 = 1 / (1 + Math.exp(-score[0]));
      out[i * nClasses] = 1 - p1;
      out[i * nClasses + 1] = p1;
    } else {
      softmaxInto(score, 0, k, p);
      out.set(p, i * nClasses);
    }
  }
  return out;
}
