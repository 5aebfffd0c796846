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
  /**
   * The same chunk of a KL Newton sweep as {@link newtonSweepRows}, with the other factor read
   * dense (`other`: one row of k values per column of M) instead of through its lists, for an
   * other factor that is mostly non-zeros; the same bits. Stops at the first row whose dense
   * block, (k + 1)·m f64 (m rounded up to even), does not fit `scratchBytes`; returns that row.
   */
  newtonSweepRowsDense(
    indptr: number,
    indices: number,
    data: number,
    A: number,
    other: number,
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
  /**
   * Objective parts of rows [r0, r1) of X (src/nmf/objective.ts objectivePartsKernel): out (3 f64)
   * receives the cross term and, when kl is 1, the KL sums; yOut (0: none) W·H at the entries.
   */
  objectivePartsRows(
    indptr: number,
    indices: number,
    data: number,
    W: number,
    Ht: number,
    k: number,
    kl: number,
    yOut: number,
    r0: number,
    r1: number,
    out: number,
  ): void;
  /** The KL sums of positions [p0, p1) (src/nmf/objective.ts klSumsInto) into out (2 f64). */
  klSums(data: number, y: number, p0: number, p1: number, out: number): void;
  /** ln x as src/linalg/log.ts naturalLog computes it (for the test of their bits). */
  naturalLog(x: number): number;
  /**
   * The term layout of a CSR X (nRows x nCols): order, rank, the renumbered transpose Xt and the
   * renumbered X (src/nmf/layout.ts computeTermLayout); `next` is scratch of nextLength >=
   * max(nRows, nCols) i32; `stats` (3 f64) receives the sum and the sum of squares of the
   * renumbered X's values in their order, and the position of X's first negative or non-finite
   * value (-1: none). Returns 0, or -1 when a column has more than nextLength - 2 entries
   * (nothing usable written).
   */
  termLayout(
    nRows: number,
    nCols: number,
    indptr: number,
    indices: number,
    data: number,
    order: number,
    rank: number,
    next: number,
    nextLength: number,
    tIndptr: number,
    tIndices: number,
    tData: number,
    sIndptr: number,
    sIndices: number,
    sData: number,
    stats: number,
  ): number;
  /**
   * `count` accepted (u, v) pairs of the polar method, scaled to normals, into out (2·count f64)
   * from the xoshiro256** state at `state` (four little-endian u64, updated): src/linalg/random.ts
   * polarPairsInto then scalePolarPairs.
   */
  polarPairs(state: number, out: number, count: number): void;
  /** svd_flip of U (nRows x k) and V (nCols x k) (src/linalg/svd.ts flipSigns); scratch of 12k bytes. */
  flipSigns(U: number, V: number, nRows: number, nCols: number, k: number, scratch: number): void;
  /** The NNDSVD factors (src/nmf/init.ts computeNndsvdFactors); cols is scratch of 8k f64. */
  nndsvdFactors(
    U: number,
    s: number,
    V: number,
    rank: number,
    nDocs: number,
    nTerms: number,
    k: number,
    fill: number,
    cols: number,
    W: number,
    Ht: number,
  ): void;
  /** Column sums of W and row sums of H given as Ht (src/nmf/order.ts sumTopicWeightsInto); rank is scratch of nTerms i32. */
  topicSums(W: number, nDocs: number, Ht: number, termOrder: number, rank: number, nTerms: number, k: number, sums: number): void;
  /** W and H with their topics in `order` (src/nmf/order.ts permuteTopicsTransposedInto). */
  permuteTopicFactors(
    W: number,
    nDocs: number,
    Ht: number,
    termOrder: number,
    nTerms: number,
    k: number,
    order: number,
    outW: number,
    outH: number,
  ): void;
  /**
   * ml-matrix's SingularValueDecomposition of A (m x n, m >= n, overwritten) into s (min(m + 1, n)),
   * U (m x min(m, n)) and V (n x n), row-major (src/linalg/svd.ts svdSquare); e (n) and work (m) scratch.
   */
  svdTall(a: number, m: number, n: number, s: number, U: number, V: number, e: number, work: number): void;
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
