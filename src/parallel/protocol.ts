/**
 * The shared control block between a pool and its worker threads: one Int32Array on a
 * SharedArrayBuffer, driven with Atomics.
 */

/** Bumped by the pool once per round (and to stop); workers sleep on it with Atomics.wait. */
export const GENERATION = 0;
/**
 * The round's chunks still to take: (round number mod 2^16) << 16 | next chunk. A thread takes a
 * chunk with a compare-and-swap that also checks the round ({@link claimChunk}), so that a worker
 * that woke late, with an older round's message, takes nothing from a newer round.
 */
export const CLAIM = 1;
/** Chunks of the current round finished (by any thread); the pool sleeps on it until all are. */
export const COMPLETED = 2;
/** Number of chunks of the current round. */
export const CHUNKS = 3;
/** Set to 1 by a worker whose chunk threw (it then posts the error on its port). */
export const FAILED = 4;
/** READY + i is set to 1 by worker i once it waits for rounds: only ready workers take part. */
export const READY = 5;

/** Round numbers are kept mod 2^16 in {@link CLAIM} (a round has at most 2^16 - 1 chunks). */
export const ROUND_MASK = 0xffff;

/**
 * Takes the next chunk of round `round` (mod 2^16): its index, or -1 when every chunk is taken
 * or the round is over.
 */
export function claimChunk(control: Int32Array, round: number, nChunks: number): number {
  for (;;) {
    const current = Atomics.load(control, CLAIM);
    if (current >>> 16 !== round || (current & ROUND_MASK) >= nChunks) return -1;
    if (Atomics.compareExchange(control, CLAIM, current, current + 1) === current) return current & ROUND_MASK;
  }
}

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
 * A round's message: run chunks of round `round` (mod 2^16) of `kernel` on `task` (with the
 * WebAssembly kernels when `native`: every task array lives in the pool's memory); or stop.
 */
export type RoundMessage = { kernel: string; task: object; native: boolean; round: number } | { stop: true };

/**
 * How long a thread that waits for the other side (a worker for the next round, the pool for the
 * workers to finish) polls the control block before it sleeps with Atomics.wait. A fit's rounds
 * follow each other within microseconds, while waking a sleeping thread can take a millisecond
 * on a virtual machine: on BBC (rounds of 0.5-1.5 ms) a sleeping worker woke too late to share
 * the round in about half of the runs, and two threads were no faster than one.
 */
export const SPIN_MS = 2;

/**
 * Polls between two readings of the clock: `performance.now()` allocates its result, and a
 * worker reading it on every poll collected its young generation every few milliseconds, up to
 * 5 ms at a time while it held a round's chunk.
 */
const POLLS_PER_CLOCK = 256;

/** Polls `control[index]` until it differs from `value` or SPIN_MS pass; then sleeps until it does. */
export function waitWhileEqual(control: Int32Array, index: number, value: number): void {
  const until = performance.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < POLLS_PER_CLOCK; i++) if (Atomics.load(control, index) !== value) return;
    if (performance.now() > until) {
      Atomics.wait(control, index, value);
      return;
    }
  }
}

