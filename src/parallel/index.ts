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

/**
 * An executor with `threads` threads (default {@link defaultThreadCount}): a worker pool of
 * threads - 1 workers plus the calling thread. Create it early (its workers boot in the
 * background) and `close()` it when done; results never depend on the thread count.
 */
export function createExecutor(threads: number = defaultThreadCount(), options?: WorkerPoolOptions): WorkerPool {
  return createWorkerPool(threads, options);
}
