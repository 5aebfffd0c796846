// WebAssembly version of the solvers' term layout (src/nmf/layout.ts computeTermLayout), compiled
// with assembly/kernels.ts (which re-exports it) into dist/wasm/kernels.wasm and following its
// conventions: pointers are byte offsets into the shared memory, CSR arrays i32, values f64.
// Only counting sorts and copies: no arithmetic on the values, so the result is the JavaScript
// one exactly. It runs once per fit, where JavaScript is still cold (interpreted until V8
// optimises its loops); the WebAssembly is compiled with the module, before the fit starts.

// @ts-ignore: decorator
@inline function loadI32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function storeI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/**
 * order (nCols i32) = the columns by decreasing number of stored entries, ties by increasing
 * index (orderTermsByFrequencyInto): a stable counting sort. `counts` (nCols i32) receives the
 * column counts; `next` needs maxCount + 2 i32 of its `nextLength`: returns false (nothing
 * ordered) when it is too short.
 */
function orderColumns(indices: usize, nnz: i32, nCols: i32, counts: usize, next: usize, nextLength: i32, order: usize): bool {
  memory.fill(counts, 0, <usize>nCols << 2);
  for (let p = 0; p < nnz; p++) {
    const a = counts + (<usize>loadI32(indices, p) << 2);
    store<i32>(a, load<i32>(a) + 1);
  }
  let maxCount = 0;
  for (let j = 0; j < nCols; j++) maxCount = max(maxCount, loadI32(counts, j));
  if (maxCount + 2 > nextLength) return false;
  memory.fill(next, 0, <usize>(maxCount + 2) << 2);
  for (let j = 0; j < nCols; j++) {
    const a = next + (<usize>(maxCount - loadI32(counts, j) + 1) << 2);
    store<i32>(a, load<i32>(a) + 1);
  }
  for (let b = 0; b <= maxCount; b++) storeI32(next, b + 1, loadI32(next, b + 1) + loadI32(next, b));
  for (let j = 0; j < nCols; j++) {
    const a = next + (<usize>(maxCount - loadI32(counts, j)) << 2);
    const q = load<i32>(a);
    store<i32>(a, q + 1);
    storeI32(order, q, j);
  }
  return true;
}

/**
 * The transpose (nCols x nRows) of the CSR matrix (indptr, indices, data) with column j renumbered
 * `rank[j]` (rank 0: not renumbered), by a counting sort on the new column: rows of the transpose
 * list their entries by increasing row. `next` is scratch of nCols i32 (transposeRenumberedInto).
 */
function transposeRenumbered(
  nRows: i32, nCols: i32, indptr: usize, indices: usize, data: usize, rank: usize,
  tIndptr: usize, tIndices: usize, tData: usize, next: usize,
): void {
  const nnz = loadI32(indptr, nRows);
  memory.fill(tIndptr, 0, <usize>(nCols + 1) << 2);
  for (let p = 0; p < nnz; p++) {
    const j = loadI32(indices, p);
    const a = tIndptr + (<usize>((rank != 0 ? loadI32(rank, j) : j) + 1) << 2);
    store<i32>(a, load<i32>(a) + 1);
  }
  for (let c = 0; c < nCols; c++) storeI32(tIndptr, c + 1, loadI32(tIndptr, c + 1) + loadI32(tIndptr, c));
  memory.copy(next, tIndptr, <usize>nCols << 2);
  for (let i = 0; i < nRows; i++) {
    const end = loadI32(indptr, i + 1);
    for (let p = loadI32(indptr, i); p < end; p++) {
      const j = loadI32(indices, p);
      const a = next + (<usize>(rank != 0 ? loadI32(rank, j) : j) << 2);
      const q = load<i32>(a);
      store<i32>(a, q + 1);
      storeI32(tIndices, q, i);
      store<f64>(tData + (<usize>q << 3), load<f64>(data + (<usize>p << 3)));
    }
  }
}

/**
 * The whole term layout of X (nRows x nCols: indptr, indices, data): `order` (nCols i32) the
 * columns by decreasing frequency, `rank` (nCols i32) its inverse, Xt (tIndptr, tIndices, tData)
 * X renumbered and transposed, Xs (sIndptr, sIndices, sData) X renumbered, columns sorted per
 * row (the transpose of Xt), and `stats` (3 f64) the sum and the sum of squares of Xs's values in
 * their order, and the position in X of its first value that is negative, NaN or infinite (-1:
 * none). `next` is scratch of nextLength >= max(nRows, nCols) i32. Returns 0, or -1 (nothing
 * usable written) when a column holds more than nextLength - 2 entries (repeated entries in a
 * row): JavaScript then does the work.
 */
export function termLayout(
  nRows: i32, nCols: i32, indptr: usize, indices: usize, data: usize,
  order: usize, rank: usize, next: usize, nextLength: i32,
  tIndptr: usize, tIndices: usize, tData: usize,
  sIndptr: usize, sIndices: usize, sData: usize, stats: usize,
): i32 {
  const invalid = firstInvalidValue(data, loadI32(indptr, nRows));
  if (!orderColumns(indices, loadI32(indptr, nRows), nCols, rank, next, nextLength, order)) return -1;
  for (let c = 0; c < nCols; c++) storeI32(rank, loadI32(order, c), c);
  transposeRenumbered(nRows, nCols, indptr, indices, data, rank, tIndptr, tIndices, tData, next);
  transposeRenumbered(nCols, nRows, tIndptr, tIndices, tData, 0, sIndptr, sIndices, sData, next);
  let sum: f64 = 0;
  let squares: f64 = 0;
  const nnz = loadI32(sIndptr, nRows);
  for (let p = 0; p < nnz; p++) {
    const v = load<f64>(sData + (<usize>p << 3));
    sum += v;
    squares += v * v;
  }
  store<f64>(stats, sum);
  store<f64>(stats, squares, 8);
  store<f64>(stats, <f64>invalid, 16);
  return 0;
}

/** Position of the first of the nnz values that is not finite and non-negative, or -1 (firstInvalidValue). */
function firstInvalidValue(data: usize, nnz: i32): i32 {
  for (let p = 0; p < nnz; p++) {
    const v = load<f64>(data + (<usize>p << 3));
    if (!(v >= 0) || v == Infinity) return p;
  }
  return -1;
}
