/**
 * The shared control block between a pool and its worker threads: one Int32Array on a
 * SharedArrayBuffer, driven with Atomics.
 */

/** Bumped by the pool once per round (and to stop); workers sleep on it with Atomics.wait. */
export const GENERATION = 0;
/** Next chunk to take: every thread takes chunks with Atomics.add until it reaches CHUNKS. */
export const NEXT = 1;
/** Workers that finished the round; the pool sleeps on it until all participants did. */
export const DONE = 2;
/** Number of chunks of the current round. */
export const CHUNKS = 3;
/** Set to 1 by a worker whose chunk threw (it then posts the error on its port). */
export const FAILED = 4;
/** READY + i is set to 1 by worker i once it waits for rounds: only ready workers take part. */
export const READY = 5;

/** Length of the control block for `workers` worker threads. */
export function controlLength(workers: number): number {
  return READY + workers;
}

/** What a worker receives at start (`workerData`). */
export interface WorkerStart {
  control: Int32Array;
  index: number;
  port: import("node:worker_threads").MessagePort;
  /** The pool's WebAssembly kernels and memory, and this worker's scratch offset; null without. */
  wasm: { module: WebAssembly.Module; memory: WebAssembly.Memory; scratch: number } | null;
}

/**
 * A round's message: run chunks of `kernel` on `task` (with the WebAssembly kernels when `native`:
 * every task array lives in the pool's memory); or stop.
 */
export type RoundMessage = { kernel: string; task: object; native: boolean } | { stop: true };

/**
 * How long a thread that waits for the other side (a worker for the next round, the pool for the
 * workers to finish) polls the control block before it sleeps with Atomics.wait. A fit's rounds
 * follow each other within microseconds, while waking a sleeping thread can take a millisecond
 * on a virtual machine: on BBC (rounds of 0.5-1.5 ms) a sleeping worker woke too late to share
 * the round in about half of the runs, and two threads were no faster than one.
 */
export const SPIN_MS = 2;

/** Polls `control[index]` until it differs from `value` or SPIN_MS pass; then sleeps until it does. */
export function waitWhileEqual(control: Int32Array, index: number, value: number): void {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(control, index) === value) {
    if (performance.now() > until) {
      Atomics.wait(control, index, value);
      return;
    }
  }
}

