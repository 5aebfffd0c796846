/**
 * fitNmf and transformNmf give the same bits with the serial executor and with worker pools of
 * 2 and 3 threads, for every solver and init, with and without penalties. Needs the built worker
 * script (`npm test` builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultNmfOptions, fitNmf, transformNmf, type NmfOptions } from "../../../src/nmf/index.js";
import { createWorkerPool, type WorkerPool } from "../../../src/parallel/index.js";
import { randomSparse } from "../linalg/helpers.js";

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

let pools: WorkerPool[] = [];
beforeAll(async () => {
  // minWork 0: every chunked task of these small problems goes to the workers.
  pools = [createWorkerPool(2, { minWork: 0 }), createWorkerPool(3, { minWork: 0, callerWorks: false })];
  await Promise.all(pools.map((pool) => pool.whenReady()));
});
afterAll(() => {
  for (const pool of pools) pool.close();
});

// More documents than terms and the reverse: the randomized SVD sketches the other side.
const wide = randomSparse(70, 230, 0.06, 7, [5], [0, 229]);
const tall = randomSparse(260, 90, 0.08, 8, [], [44]);

const cases: Array<{ name: string; options: Partial<NmfOptions> }> = [
  { name: "frobenius/cd/nndsvda", options: { loss: "frobenius", solver: "cd", init: "nndsvda" } },
  { name: "frobenius/cd/nndsvd + l1/l2", options: { loss: "frobenius", solver: "cd", init: "nndsvd", alphaW: 0.001, l1Ratio: 0.5 } },
  { name: "frobenius/mu/nndsvdar", options: { loss: "frobenius", solver: "mu", init: "nndsvdar" } },
  { name: "kl/ccd/nndsvda", options: { loss: "kl", solver: "ccd", init: "nndsvda" } },
  { name: "kl/ccd/random + l1/l2", options: { loss: "kl", solver: "ccd", init: "random", alphaW: 0.0005, l1Ratio: 0.3 } },
  { name: "kl/mu/nndsvda", options: { loss: "kl", solver: "mu", init: "nndsvda" } },
];

describe.each([
  { shape: "70 x 230", X: wide },
  { shape: "260 x 90", X: tall },
])("$shape", ({ X }) => {
  it.each(cases)("fitNmf $name: the same bits on 1, 2 and 3 threads", ({ options }) => {
    const o: NmfOptions = { ...defaultNmfOptions, nTopics: 6, maxIter: 60, ...options };
    const serial = fitNmf(X, o);
    for (const pool of pools) {
      const parallel = fitNmf(X, { ...o, executor: pool });
      expect(parallel.iterations).toBe(serial.iterations);
      expect(Object.is(parallel.objective, serial.objective)).toBe(true);
      expect(Object.is(parallel.relativeError, serial.relativeError)).toBe(true);
      expect(sameBits(parallel.W, serial.W)).toBe(true);
      expect(sameBits(parallel.H, serial.H)).toBe(true);
    }
  });

  it.each(["cd", "mu", "ccd"] as const)("transformNmf %s: the same bits on 1, 2 and 3 threads", (solver) => {
    const loss = solver === "ccd" ? "kl" : "frobenius";
    const o: NmfOptions = { ...defaultNmfOptions, nTopics: 5, loss, solver };
    const { H } = fitNmf(X, o);
    const serial = transformNmf(X, H, o);
    for (const pool of pools) {
      const parallel = transformNmf(X, H, { ...o, executor: pool });
      expect(parallel.iterations).toBe(serial.iterations);
      expect(sameBits(parallel.W, serial.W)).toBe(true);
    }
  });
});
