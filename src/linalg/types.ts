/**
 * Matrix types. X is documents x terms, W documents x topics, H topics x terms, as in
 * scikit-learn. Dense matrices are row-major flat Float64Arrays; sparse ones are CSR with
 * Int32Array indices.
 */

/** Compressed sparse row matrix: row r holds `indices/data[indptr[r] .. indptr[r+1])`, columns sorted. */
export interface CsrMatrix {
  readonly nRows: number;
  readonly nCols: number;
  /** length nRows + 1 */
  readonly indptr: Int32Array;
  /** length nnz, column of each stored value, strictly increasing within a row */
  readonly indices: Int32Array;
  /** length nnz */
  readonly data: Float64Array;
}

/** Row-major dense matrix: element (i, j) is `data[i * nCols + j]`. */
export interface DenseMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float64Array;
}

/**
 * A sparse matrix's pattern by column: the rows whose entry in column j is stored are
 * `rows[start[j]]`, ..., `rows[start[j + 1] - 1]`, ascending.
 */
export interface ColumnRows {
  readonly start: Int32Array;
  readonly rows: Int32Array;
}
