/**
 * The WebAssembly SIMD kernels as the numerical code sees them (built from assembly/kernels.ts;
 * loaded and instantiated by src/wasm, handed to chunk kernels by the executor). Every pointer is
 * a byte offset into the executor's shared WebAssembly memory: `array.byteOffset` of an array the
 * executor allocated. Each function does the same floating-point operations in the same order as
 * the JavaScript kernel it replaces, so the two give the same bits; an executor passes them only
 * when every array of the task lives in its memory, and kernels fall back to JavaScript otherwise.
 */
export interface NativeKernels {
  /** This thread's scratch area in the memory (a byte offset) and its size in bytes. */
  readonly scratch: number;
  readonly scratchBytes: number;
  /** Rows [r0, r1) of out = A·B, A CSR (indptr, indices, data), B dense with k columns. */
  csrTimesDenseRows(indptr: number, indices: number, data: number, B: number, k: number, out: number, r0: number, r1: number): void;
  /** One chunk of a HALS sweep (src/nmf/solvers/cd.ts); scratch needs 4k·8 bytes. */
  halsSweepRows(
    indptr: number,
    indices: number,
    data: number,
    other: number,
    B: number,
    precomputed: number,
    A: number,
    G: number,
    k: number,
    l1: number,
    r0: number,
    r1: number,
    partials: number,
    scratch: number,
  ): void;
  /**
   * One chunk of a KL Newton sweep without its KL sums (src/nmf/solvers/ccd.ts): rows [r0, r1),
   * up to the first row whose grouped pairs do not fit `scratchBytes` of scratch; returns that row
   * (r1 when all were swept). listStart and yOut are 0 when there is no list or y to write.
   */
  newtonSweepRows(
    indptr: number,
    indices: number,
    data: number,
    A: number,
    oStart: number,
    oEnd: number,
    oTopics: number,
    oValues: number,
    otherSum: number,
    k: number,
    l1: number,
    l2: number,
    steps: number,
    listStart: number,
    listEnd: number,
    listTopics: number,
    listValues: number,
    yOut: number,
    r0: number,
    r1: number,
    listPos: number,
    partials: number,
    scratch: number,
    scratchBytes: number,
  ): number;
  /** Upper triangle of AᵀA over rows [r0, r1) of A (n x k) into out (k x k, overwritten). */
  gramUpperRows(A: number, k: number, r0: number, r1: number, out: number): void;
  /** Rows [r0, r1) of out = A·B[:, 0:outCols]; `row` is scratch of outCols·8 bytes. */
  multiplyBySmallRows(
    A: number,
    aCols: number,
    B: number,
    bCols: number,
    upperB: number,
    out: number,
    outCols: number,
    r0: number,
    r1: number,
    row: number,
  ): void;
}
