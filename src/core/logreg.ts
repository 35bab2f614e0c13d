/**
 * L2-regularised logistic regression trained by L-BFGS, reproducing scikit-learn 1.2.1
 * `LogisticRegression(C=1.0, max_iter=1000)` (solver lbfgs, tol 1e-4, fit_intercept, no class weights):
 *
 * - 3+ classes: multinomial (softmax) model, minimising
 *   `Σᵢ −log softmax(W xᵢ + b)[yᵢ] + ‖W‖²_F / (2C)`; the intercept `b` is not penalised.
 * - 2 classes: one weight vector (sigmoid), minimising `Σᵢ log(1 + exp(−sᵢ (w·xᵢ + b))) + ‖w‖² / (2C)` with
 *   `sᵢ = ±1` — sklearn's `multi_class='auto'` choice for binary problems.
 *
 * The optimiser follows scipy's L-BFGS-B (v3.0, as sklearn 1.2.1 calls it: memory 10, projected-gradient
 * tolerance `tol`, relative-reduction tolerance `ftol = 1e7 · ε ≈ 2.22e-9`, at most 20 evaluations per line
 * search) without bounds: the two-loop recursion with `H₀ = (sᵀy / yᵀy) I`, the Moré–Thuente line search
 * (MINPACK-2 `dcsrch`, ftol 1e-3, gtol 0.9, xtol 0.1), first step `1/‖g‖`, skipped updates when
 * `sᵀy ≤ ε · (−gᵀs)`, and a memory reset when a line search fails. All arithmetic is float64.
 */
import { InputError } from './errors';
import { assertFiniteMatrix, assertTrainingSet, toFloat64, type Matrix } from './matrix';
import { applyStandardScaler, fitStandardScaler, type StandardScaler } from './standardize';

// ---------------------------------------------------------------------------------------------------------
// L-BFGS
// ---------------------------------------------------------------------------------------------------------

/** A differentiable objective: writes ∇f(x) into `gradient` (same length as `x`) and returns f(x). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** Why {@link minimizeLbfgs} stopped. */
export type LbfgsStopReason =
  /** max |gradient| ≤ gtol (scipy's `NORM_OF_PROJECTED_GRADIENT_<=_PGTOL`). */
  | 'gradient'
  /** (f_old − f) ≤ ftol · max(|f_old|, |f|, 1) (scipy's `REL_REDUCTION_OF_F_<=_FACTR*EPSMCH`). */
  | 'relative-reduction'
  /** `maxIter` iterations done (sklearn's ConvergenceWarning case). */
  | 'max-iter'
  /** `maxEvaluations` objective evaluations done. */
  | 'max-evaluations'
  /** The line search failed even along the steepest-descent direction (`ABNORMAL_TERMINATION_IN_LNSRCH`). */
  | 'line-search'
  /** `onIteration` returned false (cancellation). */
  | 'stopped';

/** Options of {@link minimizeLbfgs}; defaults are scipy's `fmin_l_bfgs_b` ones. */
export interface LbfgsOptions {
  /** Most iterations (accepted steps). Default 15000 (scipy); sklearn passes `max_iter`. */
  maxIter?: number;
  /** Stop when max |∇f| ≤ gtol (scipy `pgtol`/`gtol`). Default 1e-5. */
  gtol?: number;
  /** Stop when the relative decrease of f is ≤ ftol (scipy `factr · ε`). Default 2.220446049250313e-9. */
  ftol?: number;
  /** Number of correction pairs kept (scipy `m`/`maxcor`). Default 10. */
  memory?: number;
  /** Most evaluations per line search (scipy `maxls`). Default 20. */
  maxLineSearch?: number;
  /** Most objective evaluations overall (scipy `maxfun`). Default 15000. */
  maxEvaluations?: number;
  /** Called after each iteration with its number (1-based) and f; return `false` to stop. */
  onIteration?: (iteration: number, f: number) => boolean | void;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** The last accepted point. */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** max |∇f(x)|. */
  gradientMaxAbs: number;
  /** Iterations done (accepted steps); sklearn's `n_iter_`. */
  nIter: number;
  /** Objective evaluations done. */
  nEval: number;
  stopReason: LbfgsStopReason;
  /** f after 0, 1, …, nIter iterations (length nIter + 1). */
  fHistory: number[];
}

/** State of the Moré–Thuente line search (MINPACK-2 `dcsrch`). */
interface LineSearch {
  task: 'FG' | 'CONVERGENCE' | 'WARNING' | 'ERROR';
  brackt: boolean;
  stage: 1 | 2;
  ginit: number;
  gtest: number;
  gx: number;
  gy: number;
  finit: number;
  fx: number;
  fy: number;
  stx: number;
  sty: number;
  stmin: number;
  stmax: number;
  width: number;
  width1: number;
}

const LS_FTOL = 1e-3;
const LS_GTOL = 0.9;
const LS_XTOL = 0.1;
const XTRAPL = 1.1;
const XTRAPU = 4.0;

/** Safeguarded cubic/quadratic step of MINPACK-2 `dcstep`; updates the interval in `s` and returns the step. */
function dcstep(s: LineSearch, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, gx: dx, sty, fy, gy: dy } = s;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    // Higher function value: the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sMax = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sMax * Math.sqrt((theta / sMax) ** 2 - (dx / sMax) * (dp / sMax));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    // Derivatives of opposite sign: the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sMax = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sMax * Math.sqrt((theta / sMax) ** 2 - (dx / sMax) * (dp / sMax));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Same sign, derivative magnitude decreases.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sMax = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sMax * Math.sqrt(Math.max(0, (theta / sMax) ** 2 - (dx / sMax) * (dp / sMax)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else {
    // Same sign, derivative magnitude does not decrease.
    if (s.brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const sMax = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = sMax * Math.sqrt((theta / sMax) ** 2 - (dy / sMax) * (dp / sMax));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else {
      stpf = stp > stx ? stpmax : stpmin;
    }
  }
  // Update the interval that contains a minimiser.
  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.gy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.gy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.gx = dp;
  }
  return stpf;
}

function startLineSearch(f: number, g: number, stp: number, stpmax: number): LineSearch {
  const width = stpmax;
  const s: LineSearch = {
    task: 'FG',
    brackt: false,
    stage: 1,
    ginit: g,
    gtest: LS_FTOL * g,
    gx: g,
    gy: g,
    finit: f,
    fx: f,
    fy: f,
    stx: 0,
    sty: 0,
    stmin: 0,
    stmax: stp + XTRAPU * stp,
    width,
    width1: width / 0.5,
  };
  if (stp > stpmax || g >= 0) s.task = 'ERROR';
  return s;
}

/** One step of MINPACK-2 `dcsrch` after f and g (directional derivative) were evaluated at `stp`. */
function continueLineSearch(s: LineSearch, f: number, g: number, stp: number, stpmax: number): number {
  const stpmin = 0;
  const ftest = s.finit + stp * s.gtest;
  if (s.stage === 1 && f <= ftest && g >= 0) s.stage = 2;
  if (s.brackt && (stp <= s.stmin || stp >= s.stmax)) s.task = 'WARNING'; // rounding errors
  if (s.brackt && s.stmax - s.stmin <= LS_XTOL * s.stmax) s.task = 'WARNING'; // xtol test satisfied
  if (stp === stpmax && f <= ftest && g <= s.gtest) s.task = 'WARNING'; // stp = stpmax
  if (stp === stpmin && (f > ftest || g >= s.gtest)) s.task = 'WARNING'; // stp = stpmin
  if (f <= ftest && Math.abs(g) <= LS_GTOL * -s.ginit) s.task = 'CONVERGENCE';
  if (s.task !== 'FG') return stp;

  let next: number;
  if (s.stage === 1 && f <= s.fx && f > ftest) {
    // Use the modified function ψ(α) = f(α) − f(0) − α·gtest while the sufficient decrease is not met.
    const { gtest } = s;
    s.fx -= s.stx * gtest;
    s.fy -= s.sty * gtest;
    s.gx -= gtest;
    s.gy -= gtest;
    next = dcstep(s, stp, f - stp * gtest, g - gtest, s.stmin, s.stmax);
    s.fx += s.stx * gtest;
    s.fy += s.sty * gtest;
    s.gx += gtest;
    s.gy += gtest;
  } else {
    next = dcstep(s, stp, f, g, s.stmin, s.stmax);
  }
  if (s.brackt) {
    if (Math.abs(s.sty - s.stx) >= 0.66 * s.width1) next = s.stx + 0.5 * (s.sty - s.stx);
    s.width1 = s.width;
    s.width = Math.abs(s.sty - s.stx);
    s.stmin = Math.min(s.stx, s.sty);
    s.stmax = Math.max(s.stx, s.sty);
  } else {
    s.stmin = next + XTRAPL * (next - s.stx);
    s.stmax = next + XTRAPU * (next - s.stx);
  }
  next = Math.min(Math.max(next, stpmin), stpmax);
  if (
    (s.brackt && (next <= s.stmin || next >= s.stmax)) ||
    (s.brackt && s.stmax - s.stmin <= LS_XTOL * s.stmax)
  ) {
    next = s.stx;
  }
  return next;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/**
 * Minimises a smooth function with L-BFGS (scipy L-BFGS-B without bounds; see the module comment).
 *
 * @param objective - f and ∇f; called with the optimiser's own buffers, which it must not keep.
 * @param x0 - starting point (not modified).
 * @throws InputError `input.not-finite` when f or ∇f is not finite at the starting point.
 */
export function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIter = options.maxIter ?? 15000;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const memory = options.memory ?? 10;
  const maxLineSearch = options.maxLineSearch ?? 20;
  const maxEvaluations = options.maxEvaluations ?? 15000;
  const stpmax = 1e10; // L-BFGS-B's `big` for unbounded problems
  const eps = Number.EPSILON;
  const n = x0.length;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = objective(x, g);
  let nEval = 1;
  if (!Number.isFinite(f) || !Number.isFinite(maxAbs(g))) {
    throw new InputError(
      'input.not-finite',
      'The objective or its gradient is not finite at the starting point.',
    );
  }
  const fHistory = [f];
  const result = (stopReason: LbfgsStopReason, nIter: number): LbfgsResult => ({
    x,
    f,
    gradientMaxAbs: maxAbs(g),
    nIter,
    nEval,
    stopReason,
    fHistory,
  });
  if (maxAbs(g) <= gtol) return result('gradient', 0);

  // Correction pairs in a ring buffer: sList[k], yList[k], rho[k] = 1 / (yᵀs).
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  let head = 0; // index of the oldest pair
  let count = 0;
  let theta = 1; // B₀ = θ I
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  let iter = 0;

  for (;;) {
    // Search direction d = −H g by the two-loop recursion (d = −g with an empty memory).
    for (let i = 0; i < n; i++) d[i] = -g[i];
    if (count > 0) {
      for (let c = count - 1; c >= 0; c--) {
        const k = (head + c) % memory;
        const a = rho[k] * dot(sList[k], d);
        alpha[c] = a;
        const yk = yList[k];
        for (let i = 0; i < n; i++) d[i] -= a * yk[i];
      }
      const scale = 1 / theta;
      for (let i = 0; i < n; i++) d[i] *= scale;
      for (let c = 0; c < count; c++) {
        const k = (head + c) % memory;
        const b = rho[k] * dot(yList[k], d);
        const a = alpha[c] - b;
        const sk = sList[k];
        for (let i = 0; i < n; i++) d[i] += a * sk[i];
      }
    }

    // Line search along d from x.
    const fOld = f;
    xOld.set(x);
    gOld.set(g);
    const gdOld = dot(g, d);
    let failed = gdOld >= 0; // not a descent direction
    let stp = iter === 0 ? Math.min(1 / Math.sqrt(dot(d, d)), stpmax) : 1;
    let gd = gdOld;
    if (!failed) {
      const search = startLineSearch(f, gdOld, stp, stpmax);
      if (search.task === 'ERROR') failed = true;
      let trials = 0;
      while (!failed) {
        if (trials > 0) {
          stp = continueLineSearch(search, f, gd, stp, stpmax);
          if (search.task !== 'FG') break;
        }
        if (trials >= maxLineSearch || nEval >= maxEvaluations) {
          failed = true;
          break;
        }
        for (let i = 0; i < n; i++) x[i] = xOld[i] + stp * d[i];
        f = objective(x, g);
        nEval++;
        trials++;
        gd = dot(g, d);
      }
    }
    if (failed) {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (count === 0) return result(nEval >= maxEvaluations ? 'max-evaluations' : 'line-search', iter);
      count = 0; // refresh the memory and retry along −g
      head = 0;
      theta = 1;
      continue;
    }

    iter++;
    fHistory.push(f);
    if (options.onIteration?.(iter, f) === false) return result('stopped', iter);
    if (maxAbs(g) <= gtol) return result('gradient', iter);
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1))
      return result('relative-reduction', iter);
    if (iter >= maxIter) return result('max-iter', iter);
    if (nEval >= maxEvaluations) return result('max-evaluations', iter);

    // BFGS update with s = x − x_old, y = g − g_old, skipped when the curvature sᵀy is not safely positive.
    const sy = (gd - gdOld) * stp;
    if (sy > eps * (-gdOld * stp)) {
      let slot: number;
      if (count < memory) {
        slot = (head + count) % memory;
        count++;
      } else {
        slot = head;
        head = (head + 1) % memory;
      }
      const sk = (sList[slot] ??= new Float64Array(n));
      const yk = (yList[slot] ??= new Float64Array(n));
      for (let i = 0; i < n; i++) {
        sk[i] = x[i] - xOld[i];
        yk[i] = g[i] - gOld[i];
      }
      rho[slot] = 1 / sy;
      theta = dot(yk, yk) / sy;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Logistic regression
// ---------------------------------------------------------------------------------------------------------

/**
 * A trained logistic-regression model. Plain arrays only, so `JSON.stringify` round-trips it.
 *
 * The linear map has `nOut` outputs: 1 when two classes were present in training (sigmoid; the output is
 * the score of `classes[1]`), else `classes.length` (softmax).
 */
export interface LogRegModel {
  kind: 'logreg';
  /** Number of class ids the model answers for; probabilities have this many columns. */
  nClasses: number;
  /** Feature dimension. */
  dim: number;
  /** Class ids present in training, ascending; output k of the linear map belongs to `classes[k]`. */
  classes: number[];
  /** `nOut × dim`, row-major. */
  weights: number[];
  /** `nOut` intercepts. */
  bias: number[];
  /** Inverse regularisation strength used. */
  c: number;
  /** L-BFGS iterations (sklearn `n_iter_`). */
  nIter: number;
  /** True when a tolerance was met (not stopped by maxIter, a failed line search or the callback). */
  converged: boolean;
  stopReason: LbfgsStopReason;
  /** Objective value after 0, 1, …, nIter iterations. */
  lossHistory: number[];
  /** When present, features are standardised with it before the linear map (training and prediction). */
  scaler?: StandardScaler;
}

/** Options of {@link trainLogisticRegression}; defaults reproduce `LogisticRegression(C=1.0, max_iter=1000)`. */
export interface LogRegOptions {
  /** Inverse L2 strength C (> 0). Default 1. */
  c?: number;
  /** Most L-BFGS iterations. Default 1000. */
  maxIter?: number;
  /** Projected-gradient tolerance (sklearn `tol`, scipy `gtol`). Default 1e-4. */
  tol?: number;
  /** Relative function-decrease tolerance (scipy `ftol`). Default 2.220446049250313e-9 (scipy's default). */
  ftol?: number;
  /** Fit a {@link StandardScaler} on the training rows and store it in the model. Default false. */
  standardize?: boolean;
  /** Names per class id, used in error messages. */
  classNames?: readonly string[];
  /** Called after each iteration with its number (1-based) and the objective; return `false` to stop. */
  onIteration?: (iteration: number, loss: number) => boolean | void;
}

/** The training problem in float64, with labels re-indexed to the classes present. */
interface Problem {
  x: Float64Array;
  /** Index into the present classes, per row. */
  y: Int32Array;
  rows: number;
  dim: number;
  nOut: number;
  l2: number;
}

/**
 * Multinomial objective over parameters `[W (nOut × dim), b (nOut)]`:
 * Σᵢ (logsumexp(zᵢ) − zᵢ[yᵢ]) + ½ l2 ‖W‖², zᵢ = W xᵢ + b; gradient Xᵀ(P − Y) + l2 W and Σᵢ (pᵢ − yᵢ).
 */
function multinomialObjective(p: Problem): Objective {
  const { x, y, rows, dim, nOut: k, l2 } = p;
  if (k === 3) return threeClassObjective(p);
  const z = new Float64Array(k);
  const nw = k * dim;
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const off = i * dim;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = w[nw + c];
        const wo = c * dim;
        for (let j = 0; j < dim; j++) s += w[wo + j] * x[off + j];
        z[c] = s;
        if (s > max) max = s;
      }
      const yi = y[i];
      const zy = z[yi];
      let sumExp = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(z[c] - max);
        z[c] = e;
        sumExp += e;
      }
      loss += max + Math.log(sumExp) - zy; // logsumexp(z) − z[y]
      for (let c = 0; c < k; c++) {
        const r = z[c] / sumExp - (c === yi ? 1 : 0);
        grad[nw + c] += r;
        const wo = c * dim;
        for (let j = 0; j < dim; j++) grad[wo + j] += r * x[off + j];
      }
    }
    let norm = 0;
    for (let q = 0; q < nw; q++) {
      norm += w[q] * w[q];
      grad[q] += l2 * w[q];
    }
    return loss + 0.5 * l2 * norm;
  };
}

/**
 * {@link multinomialObjective} for exactly three classes (the NLI case), with the three dot products and the
 * three gradient updates fused into one pass over each row: about twice as fast in V8.
 */
function threeClassObjective(p: Problem): Objective {
  const { x, y, rows, dim, l2 } = p;
  const nw = 3 * dim;
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    let gb0 = 0;
    let gb1 = 0;
    let gb2 = 0;
    const o1 = dim;
    const o2 = 2 * dim;
    for (let i = 0; i < rows; i++) {
      const off = i * dim;
      let z0 = w[nw];
      let z1 = w[nw + 1];
      let z2 = w[nw + 2];
      for (let j = 0; j < dim; j++) {
        const xj = x[off + j];
        z0 += w[j] * xj;
        z1 += w[o1 + j] * xj;
        z2 += w[o2 + j] * xj;
      }
      const max = z0 > z1 ? (z0 > z2 ? z0 : z2) : z1 > z2 ? z1 : z2;
      const e0 = Math.exp(z0 - max);
      const e1 = Math.exp(z1 - max);
      const e2 = Math.exp(z2 - max);
      const sumExp = e0 + e1 + e2;
      const yi = y[i];
      loss += max + Math.log(sumExp) - (yi === 0 ? z0 : yi === 1 ? z1 : z2);
      const r0 = e0 / sumExp - (yi === 0 ? 1 : 0);
      const r1 = e1 / sumExp - (yi === 1 ? 1 : 0);
      const r2 = e2 / sumExp - (yi === 2 ? 1 : 0);
      gb0 += r0;
      gb1 += r1;
      gb2 += r2;
      for (let j = 0; j < dim; j++) {
        const xj = x[off + j];
        grad[j] += r0 * xj;
        grad[o1 + j] += r1 * xj;
        grad[o2 + j] += r2 * xj;
      }
    }
    grad[nw] = gb0;
    grad[nw + 1] = gb1;
    grad[nw + 2] = gb2;
    let norm = 0;
    for (let q = 0; q < nw; q++) {
      norm += w[q] * w[q];
      grad[q] += l2 * w[q];
    }
    return loss + 0.5 * l2 * norm;
  };
}

/**
 * Binary objective over `[w (dim), b]` with y ∈ {0, 1}:
 * Σᵢ (log(1 + e^{zᵢ}) − yᵢ zᵢ) + ½ l2 ‖w‖², zᵢ = w·xᵢ + b; gradient Σᵢ (σ(zᵢ) − yᵢ) xᵢ + l2 w.
 */
function binaryObjective(p: Problem): Objective {
  const { x, y, rows, dim, l2 } = p;
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    const b = w[dim];
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const off = i * dim;
      let z = b;
      for (let j = 0; j < dim; j++) z += w[j] * x[off + j];
      // log(1 + e^z), stable for large |z|
      const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      loss += softplus - y[i] * z;
      const sigma = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const r = sigma - y[i];
      gb += r;
      for (let j = 0; j < dim; j++) grad[j] += r * x[off + j];
    }
    grad[dim] = gb;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      norm += w[j] * w[j];
      grad[j] += l2 * w[j];
    }
    return loss + 0.5 * l2 * norm;
  };
}

/**
 * The objective {@link trainLogisticRegression} minimises, for tests and diagnostics: parameters are
 * `[W (nOut × dim) row-major, b (nOut)]` with `nOut = 1` for two classes (y = 1 for class 1) and
 * `nOut = nClasses` otherwise; `y` must use every id in `[0, nClasses)`.
 */
export function logisticObjective(x: Matrix, y: readonly number[], nClasses: number, c = 1): Objective {
  const problem: Problem = {
    x: toFloat64(x),
    y: Int32Array.from(y),
    rows: x.rows,
    dim: x.dim,
    nOut: nClasses === 2 ? 1 : nClasses,
    l2: 1 / c,
  };
  return nClasses === 2 ? binaryObjective(problem) : multinomialObjective(problem);
}

/**
 * Trains L2-regularised logistic regression (see the module comment for the exact objective and optimiser).
 *
 * Classes absent from `y` get probability 0 and are never predicted; the model is fitted on the classes
 * present (binary when two are present), as sklearn does.
 *
 * @param x - training features, `rows × dim`, finite.
 * @param y - class id per row, integers in `[0, nClasses)`, at least two distinct.
 * @param nClasses - number of class ids (≥ 2).
 * @throws InputError `input.single-class` ("all N training pairs have the label X; …"), `input.not-finite`
 *   naming the row, `input.dimension`, `input.label`, `input.empty`, `input.option` (C not > 0, bad maxIter).
 */
export function trainLogisticRegression(
  x: Matrix,
  y: readonly number[],
  nClasses: number,
  options: LogRegOptions = {},
): LogRegModel {
  const c = options.c ?? 1;
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-4;
  if (!(c > 0) || !Number.isFinite(c))
    throw new InputError('input.option', `C must be a positive number; got ${c}.`);
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new InputError('input.option', `maxIter must be a positive integer; got ${maxIter}.`);
  }
  assertTrainingSet(x, y, nClasses, options.classNames);
  const scaler = options.standardize === true ? fitStandardScaler(x) : undefined;
  const features = scaler === undefined ? x : applyStandardScaler(scaler, x);

  const classes = [...new Set(y)].sort((a, b) => a - b);
  const position = new Map(classes.map((label, k) => [label, k]));
  const binary = classes.length === 2;
  const nOut = binary ? 1 : classes.length;
  const problem: Problem = {
    x: toFloat64(features),
    y: Int32Array.from(y, (label) => position.get(label) ?? 0),
    rows: x.rows,
    dim: x.dim,
    nOut,
    l2: 1 / c,
  };
  const objective = binary ? binaryObjective(problem) : multinomialObjective(problem);
  const lbfgsOptions: LbfgsOptions = { maxIter, gtol: tol, memory: 10, maxLineSearch: 20 };
  if (options.ftol !== undefined) lbfgsOptions.ftol = options.ftol;
  if (options.onIteration !== undefined) lbfgsOptions.onIteration = options.onIteration;
  const result = minimizeLbfgs(objective, new Float64Array(nOut * (x.dim + 1)), lbfgsOptions);

  const nw = nOut * x.dim;
  const model: LogRegModel = {
    kind: 'logreg',
    nClasses,
    dim: x.dim,
    classes,
    weights: Array.from(result.x.subarray(0, nw)),
    bias: Array.from(result.x.subarray(nw)),
    c,
    nIter: result.nIter,
    converged: result.stopReason === 'gradient' || result.stopReason === 'relative-reduction',
    stopReason: result.stopReason,
    lossHistory: result.fHistory,
  };
  if (scaler !== undefined) model.scaler = scaler;
  return model;
}

function prepareFeatures(model: LogRegModel, x: Matrix): Matrix {
  assertFiniteMatrix(x, 'features');
  if (x.dim !== model.dim) {
    throw new InputError(
      'input.dimension',
      `The features have ${x.dim} dimensions; the model expects ${model.dim}.`,
    );
  }
  return model.scaler === undefined ? x : applyStandardScaler(model.scaler, x);
}

/**
 * Raw scores `W x + b` in float64, `rows × nOut` row-major (nOut = 1 for a binary model: the score of
 * `classes[1]`). Standardises first when the model holds a scaler.
 *
 * @throws InputError `input.dimension` (wrong dim), `input.not-finite` (naming the row).
 */
export function decisionFunction(model: LogRegModel, x: Matrix): Float64Array {
  const features = prepareFeatures(model, x);
  const { rows, dim, data } = features;
  const nOut = model.bias.length;
  const w = Float64Array.from(model.weights);
  const scores = new Float64Array(rows * nOut);
  for (let i = 0; i < rows; i++) {
    const off = i * dim;
    for (let c = 0; c < nOut; c++) {
      let s = model.bias[c];
      const wo = c * dim;
      for (let j = 0; j < dim; j++) s += w[wo + j] * data[off + j];
      scores[i * nOut + c] = s;
    }
  }
  return scores;
}

/**
 * Class probabilities, `rows × nClasses` row-major; each row sums to 1 (up to float32 rounding), columns of
 * classes absent in training are 0.
 */
export function predictProba(model: LogRegModel, x: Matrix): Float32Array {
  const scores = decisionFunction(model, x);
  const nOut = model.bias.length;
  const rows = x.rows;
  const out = new Float32Array(rows * model.nClasses);
  for (let i = 0; i < rows; i++) {
    const o = i * model.nClasses;
    if (nOut === 1) {
      const z = scores[i];
      const p1 = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      out[o + model.classes[0]] = 1 - p1;
      out[o + model.classes[1]] = p1;
    } else {
      let max = -Infinity;
      for (let c = 0; c < nOut; c++) max = Math.max(max, scores[i * nOut + c]);
      let sum = 0;
      for (let c = 0; c < nOut; c++) sum += Math.exp(scores[i * nOut + c] - max);
      for (let c = 0; c < nOut; c++) out[o + model.classes[c]] = Math.exp(scores[i * nOut + c] - max) / sum;
    }
  }
  return out;
}

/**
 * Predicted class id per row: the arg-max of the float64 scores (sklearn's `predict`; a binary model predicts
 * `classes[1]` when its score is > 0). Ties go to the lower class id.
 */
export function predict(model: LogRegModel, x: Matrix): number[] {
  const scores = decisionFunction(model, x);
  const nOut = model.bias.length;
  const labels = new Array<number>(x.rows);
  for (let i = 0; i < x.rows; i++) {
    if (nOut === 1) {
      labels[i] = scores[i] > 0 ? model.classes[1] : model.classes[0];
    } else {
      let best = 0;
      for (let c = 1; c < nOut; c++) if (scores[i * nOut + c] > scores[i * nOut + best]) best = c;
      labels[i] = model.classes[best];
    }
  }
  return labels;
}
