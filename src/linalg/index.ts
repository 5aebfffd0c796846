/** Linear algebra for the NMF engine: CSR/dense kernels, seeded RNG, top-k, randomized SVD. */
export type { CsrMatrix, DenseMatrix } from "./types.js";
export { createRng, type Rng } from "./random.js";
export {
  csrTimesDenseInto,
  csrTimesDenseTransposeInto,
  denseTransposeTimesCsrInto,
  productAtNonzerosInto,
  sumSquares,
  sumValues,
  transposeCsr,
  transposeCsrWithPositions,
  type CsrTranspose,
} from "./sparse.js";
export { columnSumsInto, findNonFinite, gramInto, transposeDense, transposeDenseInto } from "./dense.js";
export { topK } from "./topk.js";
export { orthonormalizeColumns, randomizedSvd, type RandomizedSvdOptions, type ThinQr, type TruncatedSvd } from "./svd.js";
