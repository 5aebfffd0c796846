/**
 * Worker-thread parallelism for the NMF engine: the only place that imports node:worker_threads
 * and node:os. The numerical code sees a {@link ParallelExecutor} (src/linalg/executor.ts).
 */
import { availableParallelism } from "node:os";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./pool.js";

export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./pool.js";

/** The default of `--threads`: the cores available to this process (`os.availableParallelism()`). */
export function defaultThreadCount(): number {
  return availableParallelism();
}

/** A pool started ahead of time by {@link prestartExecutor}, until createExecutor takes it. */
let early: WorkerPool | null = null;

/**
 * Starts the pool of `threads` threads now, so that its workers boot while the rest of the program
 * loads; the next {@link createExecutor} with the same thread count (and default options) takes it.
 */
export function prestartExecutor(threads: number = defaultThreadCount()): void {
  if (early === null && threads > 1) early = createWorkerPool(threads);
}

/** Threads of the pool prestarted and not yet taken, or 0. @internal (tests) */
export function prestartedThreads(): number {
  return early?.threads ?? 0;
}

/**
 * An executor with `threads` threads (default {@link defaultThreadCount}): a worker pool of
 * threads - 1 workers plus the calling thread. Create it early (its workers boot in the
 * background) and `close()` it when done; results never depend on the thread count. A pool
 * prestarted with the same thread count is taken instead of starting another.
 */
export function createExecutor(threads: number = defaultThreadCount(), options?: WorkerPoolOptions): WorkerPool {
  const prestarted = early;
  early = null;
  if (prestarted !== null) {
    if (options === undefined && prestarted.threads === threads) return prestarted;
    prestarted.close();
  }
  return createWorkerPool(threads, options);
}
