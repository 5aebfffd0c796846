/**
 * NMF options, their defaults and their validation. X is documents x terms (CSR), W documents x
 * topics, H topics x terms, as in scikit-learn.
 */
import { UsageError } from "../errors.js";
import type { ParallelExecutor } from "../linalg/executor.js";

/** Progress of a fit, reported once per iteration. */
export interface NmfIterationInfo {
  /** 1-based iteration just finished. */
  iteration: number;
  maxIter: number;
  /**
   * Objective after this iteration when the solver has it at no extra cost (cd and ccd: every
   * iteration; mu: every 10th, where scikit-learn checks convergence), else null.
   */
  objective: number | null;
}

/** Options of {@link fitNmf} and {@link transformNmf}; flags map one-to-one (`--max-iter` <-> maxIter). */
export interface NmfOptions {
  /** k, number of topics, >= 1. */
  nTopics: number;
  /** "frobenius": 0.5·||X - WH||_F²; "kl": generalized Kullback-Leibler divergence D(X || WH). */
  loss: "frobenius" | "kl";
  /**
   * "cd": coordinate descent / HALS (frobenius only, scikit-learn's `solver="cd"`);
   * "mu": multiplicative updates (both losses, scikit-learn's `solver="mu"`);
   * "ccd": cyclic coordinate descent with Newton steps (kl only, Hsieh & Dhillon 2011);
   * "als": projected alternating least squares (frobenius only; cheap, approximate, not monotone);
   * "auto": cd for frobenius, ccd for kl.
   */
  solver: "cd" | "mu" | "ccd" | "als" | "auto";
  /** Initialisation, deterministic given `seed` ("kmeans": spherical k-means++, see init.ts). */
  init: "nndsvda" | "nndsvd" | "nndsvdar" | "random" | "kmeans";
  /** Maximum number of iterations, >= 1. */
  maxIter: number;
  /** Stopping tolerance, >= 0 (0: run maxIter iterations). The rule depends on the solver. */
  tol: number;
  /** Seed of the one random number generator (integer in [0, 2^53)). */
  seed: number;
  /** Regularisation of W, >= 0 (scikit-learn's `alpha_W`, scaled by nTerms). */
  alphaW: number;
  /** Regularisation of H, >= 0, or "same" as alphaW (scaled by nDocs). */
  alphaH: number | "same";
  /** Share of L1 in the penalty, in [0, 1] (0: pure L2, 1: pure L1). */
  l1Ratio: number;
  /** Called after each iteration (synchronously; must not throw). */
  onIteration?: (info: NmfIterationInfo) => void;
  /**
   * Runs the chunked kernels (default: serially on the calling thread; src/parallel provides a
   * worker-thread pool). The result is bit for bit the same with any executor.
   */
  executor?: ParallelExecutor;
}

/** Defaults of {@link NmfOptions} except nTopics: scikit-learn 1.2's NMF defaults. */
export const defaultNmfOptions: Readonly<Omit<NmfOptions, "nTopics" | "onIteration" | "executor">> = Object.freeze({
  loss: "frobenius",
  solver: "auto",
  init: "nndsvda",
  maxIter: 200,
  tol: 1e-4,
  seed: 0,
  alphaW: 0,
  alphaH: "same",
  l1Ratio: 0,
});

/** Concrete solver names (after resolving "auto"). */
export type SolverName = "cd" | "mu" | "ccd" | "als";

/** Options after validation, with the solver and alphaH resolved. */
export interface ResolvedNmfOptions {
  readonly nTopics: number;
  readonly loss: "frobenius" | "kl";
  readonly solver: SolverName;
  readonly init: NmfOptions["init"];
  readonly maxIter: number;
  readonly tol: number;
  readonly seed: number;
  readonly alphaW: number;
  readonly alphaH: number;
  readonly l1Ratio: number;
  readonly onIteration?: (info: NmfIterationInfo) => void;
  readonly executor?: ParallelExecutor;
}

const LOSSES = ["frobenius", "kl"] as const;
const SOLVERS = ["cd", "mu", "ccd", "auto", "als"] as const;
const INITS = ["nndsvda", "nndsvd", "nndsvdar", "random", "kmeans"] as const;

function checkChoice<T extends string>(flag: string, value: unknown, accepted: readonly T[]): T {
  if (typeof value !== "string" || !(accepted as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${accepted.join(", ")}; got ${String(value)}`);
  }
  return value as T;
}

function checkNonNegative(flag: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} must be a finite number >= 0; got ${String(value)}`);
  }
  return value;
}

/**
 * Checks every option and resolves "auto" and "same". Throws a {@link UsageError} naming the
 * flag and the accepted values: loss/solver/init outside their sets, nTopics or maxIter not a
 * positive integer, seed not an integer in [0, 2^53), tol/alphaW/alphaH negative or not finite,
 * l1Ratio outside [0, 1], solver cd or als with loss kl, ccd with loss frobenius, or als with an
 * L1 penalty (l1Ratio > 0 and a positive alpha).
 */
export function resolveNmfOptions(options: NmfOptions): ResolvedNmfOptions {
  const loss = checkChoice("--loss", options.loss, LOSSES);
  const solverIn = checkChoice("--solver", options.solver, SOLVERS);
  const init = checkChoice("--init", options.init, INITS);
  const { nTopics, maxIter, seed } = options;
  if (!Number.isSafeInteger(nTopics) || nTopics < 1) {
    throw new UsageError(`-k (number of topics) must be an integer >= 1; got ${String(nTopics)}`);
  }
  if (!Number.isSafeInteger(maxIter) || maxIter < 1) {
    throw new UsageError(`--max-iter must be an integer >= 1; got ${String(maxIter)}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`--seed must be an integer >= 0; got ${String(seed)}`);
  }
  const tol = checkNonNegative("--tol", options.tol);
  const alphaW = checkNonNegative("--alpha-w", options.alphaW);
  const alphaH = options.alphaH === "same" ? alphaW : checkNonNegative("--alpha-h", options.alphaH);
  const l1Ratio = options.l1Ratio;
  if (typeof l1Ratio !== "number" || !(l1Ratio >= 0 && l1Ratio <= 1)) {
    throw new UsageError(`--l1-ratio must be a number in [0, 1]; got ${String(l1Ratio)}`);
  }
  let solver: SolverName;
  if (solverIn === "auto") solver = loss === "frobenius" ? "cd" : "ccd";
  else solver = solverIn;
  if (solver === "cd" && loss !== "frobenius") {
    throw new UsageError("--solver cd works with --loss frobenius only; use --solver ccd or mu with --loss kl");
  }
  if (solver === "ccd" && loss !== "kl") {
    throw new UsageError("--solver ccd works with --loss kl only; use --solver cd or mu with --loss frobenius");
  }
  checkAlsOptions(solver, loss, l1Ratio, alphaW, alphaH);
  return {
    nTopics, loss, solver, init, maxIter, tol, seed, alphaW, alphaH, l1Ratio,
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
    ...(options.executor ? { executor: options.executor } : {}),
  };
}

/**
 * Throws the {@link UsageError} of an als fit that als cannot run: loss kl, or an L1 penalty
 * (l1Ratio > 0 with a positive alpha). No-op for the other solvers.
 */
export function checkAlsOptions(solver: string, loss: string, l1Ratio: number, alphaW: number, alphaH: number): void {
  if (solver !== "als") return;
  if (loss !== "frobenius") {
    throw new UsageError("--solver als works with --loss frobenius only; use --solver ccd or mu with --loss kl");
  }
  if (l1Ratio > 0 && (alphaW > 0 || alphaH > 0)) {
    throw new UsageError("--solver als supports L2 regularisation only; use --l1-ratio 0 or --solver cd");
  }
}

/** Penalty weights in scikit-learn 1.2's scaling (`_compute_regularization`). */
export interface Regularization {
  /** alphaW · l1Ratio · nTerms */
  readonly l1W: number;
  /** alphaH · l1Ratio · nDocs */
  readonly l1H: number;
  /** alphaW · (1 - l1Ratio) · nTerms */
  readonly l2W: number;
  /** alphaH · (1 - l1Ratio) · nDocs */
  readonly l2H: number;
}

/**
 * Scaled penalties: the fit minimises
 * `loss + l1W·||W||_1 + l1H·||H||_1 + 0.5·l2W·||W||_F² + 0.5·l2H·||H||_F²`.
 */
export function computeRegularization(
  options: Pick<ResolvedNmfOptions, "alphaW" | "alphaH" | "l1Ratio">,
  nDocs: number,
  nTerms: number,
): Regularization {
  const { alphaW, alphaH, l1Ratio } = options;
  return {
    l1W: nTerms * alphaW * l1Ratio,
    l1H: nDocs * alphaH * l1Ratio,
    l2W: nTerms * alphaW * (1 - l1Ratio),
    l2H: nDocs * alphaH * (1 - l1Ratio),
  };
}
