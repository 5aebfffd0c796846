/**
 * Every chunked kernel a worker thread may be asked to run, by name. src/parallel's workers import
 * this list; an executor sends a kernel's name and its task, and the worker runs the same code
 * on the chunks it takes. A kernel missing here fails loudly in the worker (an internal error).
 *
 * The once-per-fit kernels of one chunk (term layout, normal draws, svd_flip, the small SVD,
 * NNDSVD, topic order) are not listed: a task of one chunk runs on the calling thread (see
 * `ParallelExecutor.runChunks`), and listing them would make every worker load their modules
 * (ml-matrix among them) while it boots.
 */
import { gramKernel, multiplyBySmallKernel } from "../linalg/dense.js";
import type { ParallelKernel } from "../linalg/executor.js";
import { csrTimesDenseGramKernel, csrTimesDenseKernel, productAtNonzerosKernel } from "../linalg/sparse.js";
import { objectivePartsKernel } from "./objective.js";
import { newtonSweepKernel } from "./solvers/ccd.js";
import { halsSweepKernel } from "./solvers/cd.js";
import { compressKernel } from "./solvers/lists.js";

/** The kernels of the NMF engine (linalg products and Grams, HALS and Newton sweeps, objectives). */
export const PARALLEL_KERNELS: readonly ParallelKernel<never>[] = [
  csrTimesDenseKernel,
  csrTimesDenseGramKernel,
  productAtNonzerosKernel,
  gramKernel,
  multiplyBySmallKernel,
  halsSweepKernel,
  newtonSweepKernel,
  compressKernel,
  objectivePartsKernel,
];
