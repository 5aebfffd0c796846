/** Linear algebra for the NMF engine: CSR/dense kernels, seeded RNG, top-k, randomized SVD. */
export type { CsrMatrix, DenseMatrix } from "./types.js";
export {
  CHUNK_COUNT,
  partitionEvenly,
  partitionRows,
  serialExecutor,
  sumPartial,
  sumPartialsInto,
  type ParallelExecutor,
  type ParallelKernel,
} from "./executor.js";
export { createRng, type Rng } from "./random.js";
export {
  csrTimesDenseInto,
  csrTimesDenseParallel,
  productAtNonzerosParallel,
  csrTimesDenseTransposeInto,
  denseTransposeTimesCsrInto,
  productAtNonzerosInto,
  sumSquares,
  sumValues,
  transposeCsr,
  transposeCsrWithPositions,
  type CsrTranspose,
} from "./sparse.js";
export {
  columnSumsInto,
  findNonFinite,
  gramInto,
  gramParallelInto,
  multiplyBySmallParallel,
  transposeDense,
  transposeDenseInto,
} from "./dense.js";
export { topK } from "./topk.js";
export { orthonormalizeColumns, randomizedSvd, type RandomizedSvdOptions, type ThinQr, type TruncatedSvd } from "./svd.js";
