/**
 * A {@link ParallelExecutor} on worker threads that stays synchronous for its caller. The
 * calling thread posts a round's task to every ready worker's port, bumps a generation counter
 * and wakes them (Atomics.notify); every thread, the caller included, then takes chunks from a
 * shared counter (claimChunk) until none is left; the caller sleeps (Atomics.wait, which Node
 * allows on the main thread) until every chunk taken is finished. It never waits for a worker
 * that took no chunk: one that wakes late (a scheduler quantum on a busy virtual machine, which
 * happened in a quarter of BBC's rounds) finds the round over and sits it out.
 * Workers read the message synchronously with receiveMessageOnPort, so neither side needs its
 * event loop during a fit. Arrays travel as views of SharedArrayBuffers (no copy).
 *
 * Which thread runs which chunk varies from run to run; the result does not, because kernels
 * write only their chunk's outputs and reductions add per-chunk partials in chunk order.
 *
 * Workers start when the pool is created (start it early: they boot while the corpus is read);
 * a worker that is not ready yet simply sits out the round. They are unref'd: they never keep
 * the process alive, and `close()` lets them exit. A SIGINT ends the process as before (workers
 * go with it).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { ParallelExecutor, ParallelKernel } from "../linalg/executor.js";
import { createWasmHeap, type WasmHeap } from "../wasm/heap.js";
import {
  CHUNKS,
  CLAIM,
  claimChunk,
  COMPLETED,
  controlLength,
  FAILED,
  GENERATION,
  READY,
  ROUND_MASK,
  waitWhileEqual,
  type RoundMessage,
  type WorkerStart,
} from "./protocol.js";

/** A worker-thread executor; `close()` stops its workers (the pool is unusable afterwards). */
export interface WorkerPool extends ParallelExecutor {
  /** Worker threads started (threads - 1: the calling thread works too). */
  readonly workers: number;
  /** Whether arrays live in WebAssembly memory and kernels run as WebAssembly SIMD. */
  readonly native: boolean;
  /** Worker threads ready to take part in a round now. */
  readyWorkers(): number;
  /**
   * Resolves once every worker is ready (rounds never wait for a booting worker: it sits them
   * out, so this is only for callers that want all threads from the first round, like tests
   * and benchmarks). Rejects after `timeoutMs` (default 10 s).
   */
  whenReady(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Tasks whose `work` estimate is below this run on the calling thread. Default 1,300,000
   * multiply-adds of the HALS sweep (the other kernels scale theirs to its speed), about 0.8 ms
   * of one thread: on this 2-vCPU machine shorter rounds were slower on two threads than on one
   * (BBC with 2000 features: HALS rounds of 0.55 ms and SVD products of 0.7 ms, fit 47 ms on one
   * thread and 54 ms on two), longer ones faster (BBC: HALS rounds of 1.2 ms, fit 105 -> 86 ms).
   */
  minWork?: number;
  /**
   * Whether the calling thread takes chunks too (default true). With false it only waits, so
   * workers run every chunk of a parallel round (tests use this to exercise the workers).
   */
  callerWorks?: boolean;
  /**
   * Whether arrays live in a shared WebAssembly memory and kernels run their WebAssembly SIMD
   * versions (default true; false, or a runtime without them: shared arrays and JavaScript).
   * The results are the same bits either way.
   */
  native?: boolean;
}

/** The built worker script: next to this module once compiled (dist/parallel/worker.js). */
function workerScriptUrl(): URL {
  // Run from the TypeScript sources (vitest), this module is src/parallel/pool.ts and the
  // compiled worker is under dist/ (built by `npm run build`, which `npm test` runs first).
  return import.meta.url.endsWith(".ts")
    ? new URL("../../dist/parallel/worker.js", import.meta.url)
    : new URL("./worker.js", import.meta.url);
}

/**
 * Throws (an internal error) when a task array is not visible to other threads; returns whether
 * every task array lives in `heap` (then the kernels may run natively on it).
 */
function checkShared(value: object, kernel: string, depth: number, heap: WasmHeap | null): boolean {
  let inHeap = heap !== null;
  for (const [key, field] of Object.entries(value)) {
    if (ArrayBuffer.isView(field)) {
      if (!(field.buffer instanceof SharedArrayBuffer)) {
        throw new Error(`${kernel}: task field ${key} is not in shared memory; allocate it with the executor`);
      }
      if (inHeap && !heap!.owns(field)) inHeap = false;
    } else if (field !== null && typeof field === "object" && depth < 2) {
      if (!checkShared(field as object, kernel, depth + 1, heap)) inHeap = false;
    }
  }
  return inHeap;
}

function createSharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

function createSharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Starts `threads - 1` worker threads (the calling thread is the last one). With threads = 1
 * no worker starts and every chunk runs on the calling thread.
 *
 * @param threads total threads, an integer >= 1.
 */
export function createWorkerPool(threads: number, options: WorkerPoolOptions = {}): WorkerPool {
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer >= 1, got ${threads}`);
  const minWork = options.minWork ?? 1_300_000;
  const callerWorks = options.callerWorks ?? true;
  const nWorkers = threads - 1;
  const heap = options.native === false ? null : createWasmHeap(threads);
  const control = createSharedInt32(controlLength(nWorkers));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const alive: boolean[] = [];
  let closed = false;
  let running = false;
  /** Number of the current round, mod 2^16 (see CLAIM). */
  let round = 0;
  if (nWorkers > 0) {
    const url = workerScriptUrl();
    for (let index = 0; index < nWorkers; index++) {
      const { port1, port2 } = new MessageChannel();
      const start: WorkerStart = {
        control,
        index,
        port: port2,
        wasm: heap === null ? null : { module: heap.module, memory: heap.memory, scratch: heap.scratchOf(index + 1) },
      };
      // No Node flags: the worker script is plain JavaScript that needs none, V8's flags are the
      // process's anyway, and a worker refuses many of the parent's (`node --max-old-space-size=8192`
      // or `--input-type` would make every fit an internal error).
      const worker = new Worker(url, { workerData: start, transferList: [port2], execArgv: [] });
      alive.push(true);
      // A worker that failed to start (or died) never takes part again; its chunks go to others.
      const retire = (): void => {
        alive[index] = false;
      };
      worker.on("error", retire);
      worker.on("exit", retire);
      worker.unref();
      port1.unref();
      ports.push(port1);
      workers.push(worker);
    }
  }

  const isReady = (i: number): boolean => alive[i] && Atomics.load(control, READY + i) === 1;

  const runSerially = <T extends object>(kernel: ParallelKernel<T>, task: T, nChunks: number, native: boolean): void => {
    const kernels = native ? heap!.kernels : null;
    for (let c = 0; c < nChunks; c++) kernel.run(task, c, kernels);
  };
  const createFloat64 = (length: number): Float64Array => heap?.allocFloat64(length) ?? createSharedFloat64(length);
  const createInt32 = (length: number): Int32Array => heap?.allocInt32(length) ?? createSharedInt32(length);

  return {
    threads,
    workers: nWorkers,
    native: heap !== null,
    readyWorkers(): number {
      let n = 0;
      for (let i = 0; i < nWorkers; i++) if (isReady(i)) n++;
      return n;
    },
    async whenReady(timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let ready = 0;
        for (let i = 0; i < nWorkers; i++) if (isReady(i)) ready++;
        if (ready === nWorkers) return;
        if (Date.now() > deadline) throw new Error(`${nWorkers - ready} of ${nWorkers} worker threads did not start`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    createFloat64Array: createFloat64,
    createInt32Array: createInt32,
    share<A extends Float64Array | Int32Array>(array: A): A {
      if (heap === null ? array.buffer instanceof SharedArrayBuffer : heap.owns(array)) return array;
      const copy = (array instanceof Float64Array ? createFloat64(array.length) : createInt32(array.length)) as A;
      copy.set(array as Float64Array & Int32Array);
      return copy;
    },
    runChunks<T extends object>(kernel: ParallelKernel<T>, task: T, nChunks: number, work?: number): void {
      if (closed) throw new Error("the worker pool is closed");
      if (running) throw new Error(`runChunks(${kernel.name}) called while another round runs`);
      const native = checkShared(task, kernel.name, 0, heap);
      const participants: number[] = [];
      if (nChunks > 1 && !(work !== undefined && work < minWork)) {
        for (let i = 0; i < nWorkers; i++) if (isReady(i)) participants.push(i);
      }
      if (participants.length === 0) {
        runSerially(kernel, task, nChunks, native);
        return;
      }
      running = true;
      round = (round + 1) & ROUND_MASK;
      try {
        Atomics.store(control, COMPLETED, 0);
        Atomics.store(control, CHUNKS, nChunks);
        Atomics.store(control, FAILED, 0);
        Atomics.store(control, CLAIM, round << 16);
        const message: RoundMessage = { kernel: kernel.name, task, native, round };
        const kernels = native ? heap!.kernels : null;
        for (const i of participants) ports[i].postMessage(message);
        Atomics.add(control, GENERATION, 1);
        Atomics.notify(control, GENERATION);
        let error: unknown = null;
        for (;;) {
          // Without callerWorks (tests) the workers take every chunk.
          const chunk = callerWorks || error !== null ? claimChunk(control, round, nChunks) : -1;
          if (chunk < 0) break;
          // After an error, the chunks still taken only count as finished (as in a worker).
          if (error === null) {
            try {
              kernel.run(task, chunk, kernels);
            } catch (thrown) {
              error = thrown;
            }
          }
          Atomics.add(control, COMPLETED, 1);
        }
        // Wait until every chunk is finished: its thread may still be writing into task arrays.
        for (;;) {
          const completed = Atomics.load(control, COMPLETED);
          if (completed >= nChunks) break;
          waitWhileEqual(control, COMPLETED, completed);
        }
        if (error !== null) throw error;
        if (Atomics.load(control, FAILED) === 1) {
          const reports: string[] = [];
          for (const i of participants) {
            const received = receiveMessageOnPort(ports[i]);
            if (received !== undefined) reports.push(String((received.message as { error: string }).error));
          }
          throw new Error(`a worker thread failed in ${kernel.name}: ${reports.join("\n")}`);
        }
      } finally {
        running = false;
      }
    },
    scope<R>(body: () => R): R {
      return heap === null ? body() : heap.scope(body);
    },
    close(): void {
      if (closed) return;
      closed = true;
      const stop: RoundMessage = { stop: true };
      for (const port of ports) port.postMessage(stop);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
    },
  };
}
