/**
 * Online (mini-batch) NMF: scikit-learn 1.2's `MiniBatchNMF` update of H from a stream of batches
 * of rows of X, with memory bounded by the topics and the batch (never by the number of documents).
 *
 * X is documents x terms (CSR), W documents x topics, H topics x terms, as everywhere. For each
 * batch X_b (n_b rows):
 *
 * 1. W_b is solved with H fixed, from scratch (scikit-learn's `fresh_restarts`: a stream cannot keep
 *    every document's W), by `transformNmf` with the W solver of the options (cd for Frobenius, ccd
 *    for KL by default) and at most `batchMaxIter` iterations.
 * 2. The batch cost `c_b = (loss(X_b, W_b H) + l1W·sum(W_b) + l1H·sum(H) + l2W·sum(W_b²) + l2H·sum(H²)) / n_b`
 *    is recorded (penalties in scikit-learn's per-batch scaling: l1H = alphaH·l1Ratio·n_b, ...).
 * 3. H is updated by the multiplicative rule with accumulated numerator A and denominator B
 *    (`_multiplicative_update_h` with A, B, rho; gamma = 1 for both losses):
 *    - Frobenius: `num = (W_bᵀ X_b) .* H`, `den = W_bᵀW_b H + l1H + l2H·H`;
 *    - KL: `num = (W_bᵀ (X_b ./ W_bH)) .* H` (W_bH at the non-zeros of X_b, zeros there -> 2^-23),
 *      `den = colsum(W_b) (zeros -> 1) + l1H + l2H·H`;
 *    zero denominators -> 2^-23; then `A <- rho·A + num`, `B <- rho·B + den`, `H = A ./ B`, and for KL
 *    entries of H below the float64 epsilon set to 0. A starts as H and B as ones.
 *    `rho = forgetFactor^(batchSize / nSamples)`: the weight of the past after one batch, so that a
 *    whole pass over nSamples documents forgets by `forgetFactor`.
 * 4. Stopping rule (`_minibatch_convergence`): the first step is skipped; then the exponentially
 *    weighted cost `ewa <- ewa·(1 - a) + c_b·a`, `a = min(1, n_b / (nSamples + 1))` (ewa starts at the
 *    second step's c_b); converged when `||H - H_prev||_F / ||H||_F <= tol`, or when ewa has not
 *    reached a new minimum for `maxNoImprovement` steps in a row.
 *
 * H starts from the first batch: the initialisation of the options (NNDSVDa by default, seeded)
 * computed on X_1, as scikit-learn computes it on the whole X. Numerical code only: no I/O.
 */
import { InputError, NumericalError } from "../errors.js";
import { createRng } from "../linalg/random.js";
import { transposeCsr } from "../linalg/sparse.js";
import type { CsrMatrix } from "../linalg/types.js";
import type { ParallelExecutor } from "../linalg/executor.js";
import {
  frobeniusObjectiveFromParts,
  initializeFactors,
  klObjectiveFromValues,
  resolveNmfOptions,
  transformNmf,
  type NmfOptions,
  type ResolvedNmfOptions,
} from "../nmf/index.js";

/** scikit-learn's EPSILON (the float32 machine epsilon, 2^-23): replaces zero denominators. */
export const ONLINE_EPSILON = 1.1920928955078125e-7;

/** Options of the online solver: the NMF options plus the mini-batch settings. */
export interface OnlineNmfOptions extends NmfOptions {
  /** Documents per batch, >= 1 (default {@link defaultOnlineSettings}.batchSize = 2048). */
  batchSize: number;
  /** Weight of the past after a whole pass, in (0, 1] (scikit-learn's `forget_factor`, 0.7). */
  forgetFactor: number;
  /** Steps without a new minimum of the smoothed batch cost before stopping (scikit-learn's 10). */
  maxNoImprovement: number;
  /** Iterations of the W solve of each training batch (default 30, scikit-learn's `fresh_restarts_max_iter`). */
  batchMaxIter: number;
}

/** Defaults of the mini-batch settings. */
export const defaultOnlineSettings = Object.freeze({
  batchSize: 2048,
  forgetFactor: 0.7,
  maxNoImprovement: 10,
  batchMaxIter: 30,
});

/** The whole state of an online fit: everything carried from one batch to the next. */
export interface OnlineNmfState {
  readonly nTopics: number;
  readonly nTerms: number;
  /** Documents in the stream (one pass), for rho and the smoothing of the cost. */
  readonly nSamples: number;
  /** `forgetFactor ^ (min(batchSize, nSamples) / nSamples)`. */
  readonly rho: number;
  /** Topics x terms, row-major: the current topics. */
  H: Float64Array;
  /** Accumulated numerator A of H, stored transposed (terms x topics: A[t, j] at `j·k + t`). */
  numerator: Float64Array;
  /** Accumulated denominator B of H, stored transposed as `numerator`. */
  denominator: Float64Array;
  /** Batches processed. */
  steps: number;
  /** Exponentially weighted batch cost (null until the second step). */
  ewaCost: number | null;
  ewaCostMin: number | null;
  /** Steps in a row without a new minimum of ewaCost. */
  noImprovement: number;
  /** Whether the stopping rule has fired. */
  converged: boolean;
}

/** What one step reports. */
export interface OnlineStepResult {
  /** The batch cost c_b (per document, penalties included). */
  batchCost: number;
  /** `||H_new - H_old||_F / ||H_new||_F`. */
  hChange: number;
  /** The stopping rule fired at this step. */
  converged: boolean;
  /** W of the batch (n_b x k) solved with the H before this step's update. */
  W: Float64Array;
}

/** Scratch buffers of a step, allocated once per state size. */
interface Scratch {
  /** nTerms x k: Hᵀ before the step (W·H at the non-zeros of X, and the old H while H is updated). */
  Ht: Float64Array;
  /** nTerms x k: Xᵀ·W (or Xᵀ·(X ./ WH)·W for KL), term-major. */
  xtw: Float64Array;
}

const scratchOf = new WeakMap<OnlineNmfState, Scratch>();

function getScratch(state: OnlineNmfState): Scratch {
  let s = scratchOf.get(state);
  if (s === undefined) {
    const size = state.nTopics * state.nTerms;
    s = { Ht: new Float64Array(size), xtw: new Float64Array(size) };
    scratchOf.set(state, s);
  }
  return s;
}

/**
 * Checks the mini-batch settings (the NMF options are checked by `resolveNmfOptions`).
 * @throws RangeError for values the CLI never passes (it validates the flags).
 */
export function checkOnlineOptions(options: OnlineNmfOptions): ResolvedNmfOptions {
  const o = resolveNmfOptions(options);
  const { batchSize, forgetFactor, maxNoImprovement, batchMaxIter } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
  if (!(forgetFactor > 0 && forgetFactor <= 1)) throw new RangeError(`forgetFactor must be in (0, 1], got ${forgetFactor}`);
  if (!Number.isSafeInteger(maxNoImprovement) || maxNoImprovement < 1) throw new RangeError(`maxNoImprovement must be an integer >= 1`);
  if (!Number.isSafeInteger(batchMaxIter) || batchMaxIter < 1) throw new RangeError(`batchMaxIter must be an integer >= 1`);
  return o;
}

/** `forgetFactor ^ (min(batchSize, nSamples) / nSamples)` (scikit-learn's `_rho`). */
export function computeRho(forgetFactor: number, batchSize: number, nSamples: number): number {
  return forgetFactor ** (Math.min(batchSize, nSamples) / nSamples);
}

/** Aᵀ of a k x nTerms row-major matrix (nTerms x k). */
function transposeTopics(H: Float64Array, k: number, nTerms: number): Float64Array {
  const out = new Float64Array(k * nTerms);
  for (let t = 0; t < k; t++) for (let j = 0; j < nTerms; j++) out[j * k + t] = H[t * nTerms + j];
  return out;
}

function createState(H: Float64Array, nTerms: number, nSamples: number, options: OnlineNmfOptions): OnlineNmfState {
  const k = options.nTopics;
  if (!Number.isSafeInteger(nSamples) || nSamples < 1) throw new RangeError(`nSamples must be an integer >= 1, got ${nSamples}`);
  return {
    nTopics: k,
    nTerms,
    nSamples,
    rho: computeRho(options.forgetFactor, options.batchSize, nSamples),
    H,
    numerator: transposeTopics(H, k, nTerms),
    denominator: new Float64Array(k * nTerms).fill(1),
    steps: 0,
    ewaCost: null,
    ewaCostMin: null,
    noImprovement: 0,
    converged: false,
  };
}

/**
 * Starts an online fit: H from the options' initialisation (seeded by `options.seed`) of the first
 * batch, A = H, B = ones. The first batch is then processed by {@link stepOnlineNmf} like the others.
 *
 * @param firstBatch the first n_1 rows of X (n_1 x nTerms, CSR)
 * @param nSamples documents in the whole stream (>= n_1)
 * @throws NumericalError when k > min(n_1, nTerms) with an NNDSVD init (lower -k, or --init random)
 */
export function startOnlineNmf(firstBatch: CsrMatrix, nSamples: number, options: OnlineNmfOptions): OnlineNmfState {
  const o = checkOnlineOptions(options);
  if (firstBatch.nRows < 1 || firstBatch.nCols < 1) {
    throw new InputError(`nothing to factorize: ${firstBatch.nRows} documents x ${firstBatch.nCols} terms`);
  }
  const rng = createRng(o.seed);
  // One batch: the serial SVD is cheap (and needs no shared copies of the batch).
  const { H } = initializeFactors(firstBatch, transposeCsr(firstBatch), o.nTopics, o.init, rng);
  return createState(H.slice(), firstBatch.nCols, nSamples, options);
}

/**
 * Resumes from given topics (a saved model's H, which is not modified): A = H, B = ones, as
 * scikit-learn's first `partial_fit` step starts; the stopping rule starts afresh.
 *
 * @param H nTopics x nTerms, row-major, non-negative
 */
export function resumeOnlineNmf(H: Float64Array, nTerms: number, nSamples: number, options: OnlineNmfOptions): OnlineNmfState {
  checkOnlineOptions(options);
  if (H.length !== options.nTopics * nTerms) {
    throw new RangeError(`H has ${H.length} values, expected ${options.nTopics} x ${nTerms}`);
  }
  return createState(H.slice(), nTerms, nSamples, options);
}

/**
 * W of a batch for a fixed H: `transformNmf` with the options' W solver, stopping rule and tolerance,
 * at most `maxIter` iterations. Returns n_b x k, row-major, topics in H's order.
 */
export function solveBatchW(
  X: CsrMatrix,
  H: Float64Array,
  options: NmfOptions,
  maxIter: number,
): { W: Float64Array; iterations: number; converged: boolean } {
  return transformNmf(X, H, { ...options, maxIter, onIteration: undefined });
}

/**
 * Processes one batch: solves W_b, records the batch cost, updates H (A, B) and applies the
 * stopping rule (see the module comment for the formulas). Mutates `state`.
 *
 * @param X the batch, n_b x nTerms (CSR, non-negative), n_b >= 1
 */
export function stepOnlineNmf(state: OnlineNmfState, X: CsrMatrix, options: OnlineNmfOptions): OnlineStepResult {
  const k = state.nTopics;
  const m = state.nTerms;
  if (X.nCols !== m) throw new RangeError(`the batch has ${X.nCols} terms, the model ${m}`);
  const n = X.nRows;
  if (n < 1) throw new RangeError("an online step needs at least one document");
  const executor: ParallelExecutor | undefined = options.executor;
  const { W } = solveBatchW(X, state.H, { ...options, ...(executor ? { executor } : {}) }, options.batchMaxIter);
  const kl = options.loss === "kl";
  const alphaW = options.alphaW;
  const alphaH = options.alphaH === "same" ? alphaW : options.alphaH;
  const l1W = m * alphaW * options.l1Ratio;
  const l2W = m * alphaW * (1 - options.l1Ratio);
  const l1H = n * alphaH * options.l1Ratio;
  const l2H = n * alphaH * (1 - options.l1Ratio);

  const { Ht, xtw } = getScratch(state);
  const H = state.H;
  for (let t = 0; t < k; t++) {
    const hb = t * m;
    for (let j = 0; j < m; j++) Ht[j * k + t] = H[hb + j];
  }
  const { indptr, indices, data } = X;
  const nnz = indptr[n];

  // Column sums and Gram matrix of W.
  const wSum = new Float64Array(k);
  const wtw = new Float64Array(k * k);
  let wSquares = 0;
  for (let i = 0; i < n; i++) {
    const wb = i * k;
    for (let s = 0; s < k; s++) {
      const ws = W[wb + s];
      if (ws === 0) continue;
      wSum[s] += ws;
      wSquares += ws * ws;
      const gb = s * k;
      for (let t = 0; t < k; t++) wtw[gb + t] += ws * W[wb + t];
    }
  }
  let hSum = 0;
  let hSquares = 0;
  for (let p = 0; p < H.length; p++) {
    hSum += H[p];
    hSquares += H[p] * H[p];
  }

  // xtw[j, :] = sum_i r_ij W[i, :], r = X (Frobenius) or X ./ WH at the non-zeros (KL); with the
  // objective's parts on the way: cross = sum x·(WH), or the KL terms.
  xtw.fill(0);
  let cross = 0;
  let xNormSq = 0;
  const y = kl ? new Float64Array(nnz) : null;
  for (let i = 0; i < n; i++) {
    const wb = i * k;
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const j = indices[p];
      const x = data[p];
      const hb = j * k;
      let v = 0;
      for (let t = 0; t < k; t++) v += W[wb + t] * Ht[hb + t];
      cross += x * v;
      xNormSq += x * x;
      let r = x;
      if (y !== null) {
        y[p] = v;
        r = x / (v === 0 ? ONLINE_EPSILON : v);
      }
      if (r === 0) continue;
      for (let t = 0; t < k; t++) xtw[hb + t] += r * W[wb + t];
    }
  }

  // Per term j (all stored term-major, so every access is contiguous), from H's old column
  // h = Ht[j, :]: num_t = xtw[j, t]·h_t, den_t = (WᵀW·h)_t (Frobenius) or colsum(W)_t (KL), plus the
  // penalties; A <- rho·A + num, B <- rho·B + den, H[:, j] = A[j, :] ./ B[j, :], written back into Ht
  // and H. gramDot = sum((WᵀW) .* (HHᵀ)) = sum_j hᵀ(WᵀW)h for the Frobenius objective, on the way.
  const { numerator: A, denominator: B, rho } = state;
  let gramDot = 0;
  const colDen = new Float64Array(k);
  for (let t = 0; t < k; t++) colDen[t] = wSum[t] === 0 ? 1 : wSum[t];
  const hRowSums = new Float64Array(k);
  const den = new Float64Array(k);
  const floor = kl ? 2.220446049250313e-16 : 0;
  const k4 = k - (k & 3);
  let diff = 0;
  let norm = 0;
  for (let j = 0; j < m; j++) {
    const hb = j * k;
    if (kl) {
      for (let t = 0; t < k; t++) {
        hRowSums[t] += Ht[hb + t];
        den[t] = colDen[t];
      }
    } else {
      for (let t = 0; t < k; t++) {
        const gb = t * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let u = 0;
        for (; u < k4; u += 4) {
          s0 += wtw[gb + u] * Ht[hb + u];
          s1 += wtw[gb + u + 1] * Ht[hb + u + 1];
          s2 += wtw[gb + u + 2] * Ht[hb + u + 2];
          s3 += wtw[gb + u + 3] * Ht[hb + u + 3];
        }
        for (; u < k; u++) s0 += wtw[gb + u] * Ht[hb + u];
        const sum = s0 + s1 + (s2 + s3);
        gramDot += Ht[hb + t] * sum;
        den[t] = sum;
      }
    }
    for (let t = 0; t < k; t++) {
      const idx = hb + t;
      const h = Ht[idx];
      let d = den[t];
      if (l1H > 0) d += l1H;
      if (l2H > 0) d = d + l2H * h;
      if (d === 0) d = ONLINE_EPSILON;
      const a = rho * A[idx] + xtw[idx] * h;
      const b = rho * B[idx] + d;
      A[idx] = a;
      B[idx] = b;
      let next = a / b;
      if (next < floor) next = 0;
      const delta = next - h;
      diff += delta * delta;
      norm += next * next;
      H[t * m + j] = next;
    }
  }

  let loss: number;
  if (kl) {
    let sumY = 0;
    for (let t = 0; t < k; t++) sumY += wSum[t] * hRowSums[t];
    loss = klObjectiveFromValues(data, y as Float64Array, nnz, sumY);
  } else {
    loss = frobeniusObjectiveFromParts(xNormSq, cross, gramDot);
  }
  let wL1 = 0;
  for (let t = 0; t < k; t++) wL1 += wSum[t];
  const batchCost = (loss + l1W * wL1 + l1H * hSum + l2W * wSquares + l2H * hSquares) / n;

  const hChange = norm > 0 ? Math.sqrt(diff) / Math.sqrt(norm) : 0;
  if (!Number.isFinite(batchCost) || !Number.isFinite(norm)) {
    throw new NumericalError(
      `non-finite value in the online update at batch ${state.steps + 1}; lower --alpha-w/--alpha-h or check the input for extreme values`,
    );
  }
  state.steps++;
  const converged = updateConvergence(state, batchCost, hChange, n, options);
  return { batchCost, hChange, converged, W };
}

/**
 * scikit-learn's `_minibatch_convergence` (see the module comment), called after `state.steps` was
 * incremented; sets and returns `state.converged`. The first step is ignored (H was not updated
 * before it). Exported for tests.
 * @internal
 */
export function updateConvergence(
  state: OnlineNmfState,
  batchCost: number,
  hChange: number,
  batchRows: number,
  options: OnlineNmfOptions,
): boolean {
  if (state.steps === 1) return false;
  if (state.ewaCost === null) {
    state.ewaCost = batchCost;
  } else {
    const alpha = Math.min(1, batchRows / (state.nSamples + 1));
    state.ewaCost = state.ewaCost * (1 - alpha) + batchCost * alpha;
  }
  if (options.tol > 0 && hChange <= options.tol) {
    state.converged = true;
    return true;
  }
  if (state.ewaCostMin === null || state.ewaCost < state.ewaCostMin) {
    state.noImprovement = 0;
    state.ewaCostMin = state.ewaCost;
  } else {
    state.noImprovement++;
  }
  if (state.noImprovement >= options.maxNoImprovement) {
    state.converged = true;
    return true;
  }
  return false;
}
