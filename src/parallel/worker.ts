/**
 * A worker thread of the pool (see pool.ts). It marks itself ready, then for each round takes
 * the round's message from its port synchronously (receiveMessageOnPort), runs chunks taken with
 * Atomics.add until none is left, counts itself done and sleeps on the generation counter.
 * It never uses its event loop, so it costs nothing while idle.
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import type { ParallelKernel } from "../linalg/executor.js";
import { PARALLEL_KERNELS } from "../nmf/kernels.js";
import { instantiateKernels } from "../wasm/heap.js";
import { CHUNKS, DONE, FAILED, GENERATION, NEXT, READY, waitWhileEqual, type RoundMessage, type WorkerStart } from "./protocol.js";

const { control, index, port, wasm } = workerData as WorkerStart;
const native = wasm === null ? null : instantiateKernels(wasm.module, wasm.memory, wasm.scratch);
const kernels = new Map<string, ParallelKernel<object>>(
  PARALLEL_KERNELS.map((kernel) => [kernel.name, kernel as unknown as ParallelKernel<object>]),
);

/** Runs the chunks of one round; a chunk that throws stops the round and reports on the port. */
function runRound(message: { kernel: string; task: object; native: boolean }): void {
  const nChunks = Atomics.load(control, CHUNKS);
  try {
    const kernel = kernels.get(message.kernel);
    if (kernel === undefined) throw new Error(`unknown kernel ${message.kernel}: add it to PARALLEL_KERNELS`);
    for (;;) {
      const chunk = Atomics.add(control, NEXT, 1);
      if (chunk >= nChunks) break;
      kernel.run(message.task, chunk, message.native ? native : null);
    }
  } catch (error) {
    Atomics.store(control, NEXT, nChunks);
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    Atomics.store(control, FAILED, 1);
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
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
