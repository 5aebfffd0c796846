/** Test helpers for the eval tests; the shared ones (closeness, seeded RNG, CSR) live in test/helpers/matrices.ts. */
export { denseToCsr, expectClose, makeTestRandom as makeRng } from "../../helpers/matrices.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";

/** CSR from the JSON of bench/sklearn_metrics_ref.py. */
export function csrFromJson(x: { nRows: number; nCols: number; indptr: number[]; indices: number[]; data: number[] }): CsrMatrix {
  return {
    nRows: x.nRows,
    nCols: x.nCols,
    indptr: Int32Array.from(x.indptr),
    indices: Int32Array.from(x.indices),
    data: Float64Array.from(x.data),
  };
}
