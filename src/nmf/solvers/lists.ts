/**
 * Lists of the non-zeros of a factor's rows, for the KL solver's gathers: its factors are
 * mostly zeros after a few iterations, and its Newton steps visit only the entries a topic touches.
 */
import type { ParallelExecutor, ParallelKernel } from "../../linalg/executor.js";

/**
 * A factor (n x k, row-major) with each row's non-zeros listed: row r holds
 * `topics/values[start[r] .. end[r])`, topics increasing. Rows of one chunk are stored
 * contiguously from `bounds[c]·k` on (see {@link compressRowsInto}), so chunks fill their
 * lists independently and the lists stay compact where they are read.
 */
export interface CompressedFactor {
  start: Int32Array;
  end: Int32Array;
  topics: Int32Array;
  values: Float64Array;
}

/** Allocates a {@link CompressedFactor} for an n x k factor (arrays from `memory`). */
export function createCompressedFactor(memory: ParallelExecutor, n: number, k: number): CompressedFactor {
  const size = Math.max(1, n * k);
  return {
    start: memory.createInt32Array(n),
    end: memory.createInt32Array(n),
    topics: memory.createInt32Array(size),
    values: memory.createFloat64Array(size),
  };
}

/**
 * Lists the non-zeros of rows `[rowStart, rowEnd)` of A (n x k, row-major) into `out`, rows
 * one after the other from position `offset` on (`rowStart·k` keeps chunks apart).
 */
export function compressRowsInto(
  A: Float64Array,
  k: number,
  rowStart: number,
  rowEnd: number,
  out: CompressedFactor,
  offset: number,
): void {
  const { start, end, topics, values } = out;
  let q = offset;
  for (let r = rowStart; r < rowEnd; r++) {
    const base = r * k;
    start[r] = q;
    for (let t = 0; t < k; t++) {
      const v = A[base + t];
      if (v !== 0) {
        topics[q] = t;
        values[q++] = v;
      }
    }
    end[r] = q;
  }
}

/** Task of {@link compressKernel}: lists the non-zeros of A's rows, chunk c from `bounds[c]·k` on. */
export interface CompressTask {
  A: Float64Array;
  k: number;
  bounds: Int32Array;
  out: CompressedFactor;
}

/** Chunk c lists rows `[bounds[c], bounds[c + 1])`. */
export const compressKernel: ParallelKernel<CompressTask> = {
  name: "nmf.ccdCompress",
  run: (task, c) => compressRowsInto(task.A, task.k, task.bounds[c], task.bounds[c + 1], task.out, task.bounds[c] * task.k),
};
