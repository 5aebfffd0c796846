/**
 * A worker thread of the pool (see pool.ts). It marks itself ready, then for each round takes
 * the round's message from its port synchronously (receiveMessageOnPort), runs the chunks it can
 * still take (claimChunk; none when the pool already took them all, or the round is over),
 * counting each one finished, and sleeps on the generation counter.
 * It never uses its event loop, so it costs nothing while idle.
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import type { ParallelKernel } from "../linalg/executor.js";
import { PARALLEL_KERNELS } from "../nmf/kernels.js";
import { instantiateKernels } from "../wasm/heap.js";
import { CHUNKS, claimChunk, COMPLETED, FAILED, GENERATION, READY, waitWhileEqual, type RoundMessage, type WorkerStart } from "./protocol.js";

const { control, index, port, wasm } = workerData as WorkerStart;
const native = wasm === null ? null : instantiateKernels(wasm.module, wasm.memory, wasm.scratch);
const kernels = new Map<string, ParallelKernel<object>>(
  PARALLEL_KERNELS.map((kernel) => [kernel.name, kernel as unknown as ParallelKernel<object>]),
);

/**
 * Runs the chunks of one round that it can take. After a chunk throws (reported on the port first,
 * so that the pool finds the report), the chunks it still takes are counted finished without
 * running: the round ends as soon as possible, and never waits for chunks nobody runs.
 */
function runRound(message: { kernel: string; task: object; native: boolean; round: number }): void {
  const nChunks = Atomics.load(control, CHUNKS);
  const kernel = kernels.get(message.kernel);
  let failed = false;
  for (;;) {
    const chunk = claimChunk(control, message.round, nChunks);
    if (chunk < 0) return;
    if (!failed) {
      try {
        if (kernel === undefined) throw new Error(`unknown kernel ${message.kernel}: add it to PARALLEL_KERNELS`);
        kernel.run(message.task, chunk, message.native ? native : null);
      } catch (error) {
        port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        Atomics.store(control, FAILED, 1);
        failed = true;
      }
    }
    finishChunk();
  }
}

function finishChunk(): void {
  Atomics.add(control, COMPLETED, 1);
  Atomics.notify(control, COMPLETED);
}

let seen = Atomics.load(control, GENERATION);
Atomics.store(control, READY + index, 1);
for (;;) {
  const received = receiveMessageOnPort(port);
  if (received === undefined) {
    waitWhileEqual(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    continue;
  }
  const message = received.message as RoundMessage;
  if ("stop" in message) break;
  runRound(message);
}
port.close();
