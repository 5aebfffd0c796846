/**
 * The worker pool's life cycle: it runs chunks synchronously, reports errors from either side
 * and stays usable, rejects arrays other threads cannot see, never keeps the process alive, and
 * a SIGINT still ends a process at once, in the middle of a parallel fit too. Needs the built
 * worker script and binary (`npm test` builds first).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { partitionEvenly, type ParallelKernel } from "../../../src/linalg/executor.js";
import { csrTimesDenseKernel, type CsrTimesDenseTask } from "../../../src/linalg/sparse.js";
import { createWorkerPool, type WorkerPool } from "../../../src/parallel/index.js";
import { binPath, tempDir } from "../../helpers/cli.js";
import { projectRoot } from "../../helpers/corpora.js";

const distUrl = (path: string): string => pathToFileURL(join(projectRoot, "dist", path)).href;

/** A task for csrTimesDense: A = identity-like (row i has one entry (i, i) = i + 1), B all ones. */
function identityTask(pool: WorkerPool, n: number, k: number): CsrTimesDenseTask {
  const indptr = pool.createInt32Array(n + 1);
  const indices = pool.createInt32Array(n);
  const data = pool.createFloat64Array(n);
  for (let i = 0; i < n; i++) {
    indptr[i + 1] = i + 1;
    indices[i] = i;
    data[i] = i + 1;
  }
  return {
    A: { nRows: n, nCols: n, indptr, indices, data },
    B: pool.createFloat64Array(n * k).fill(1),
    k,
    out: pool.createFloat64Array(n * k),
    bounds: pool.share(partitionEvenly(n, 13)),
  };
}

function expectIdentityResult(task: CsrTimesDenseTask): void {
  for (let i = 0; i < task.A.nRows; i++) for (let t = 0; t < task.k; t++) expect(task.out[i * task.k + t]).toBe(i + 1);
}

/** Runs `node --input-type=module -e code`; resolves with its exit and what it printed, or rejects on timeout. */
function runNode(
  code: string,
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
  timeoutMs = 20_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the process did not end within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const pools: WorkerPool[] = [];
afterAll(() => {
  for (const pool of pools) pool.close();
});

describe("createWorkerPool", () => {
  it("rejects a thread count below 1; with 1 thread it starts no worker and runs chunks in order", () => {
    expect(() => createWorkerPool(0)).toThrow(RangeError);
    expect(() => createWorkerPool(1.5)).toThrow(RangeError);
    const pool = createWorkerPool(1);
    pools.push(pool);
    expect(pool.workers).toBe(0);
    const seen: number[] = [];
    const kernel: ParallelKernel<{ tag: number }> = { name: "test.record", run: (_task, c) => seen.push(c) };
    pool.runChunks(kernel, { tag: 1 }, 5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("runs every chunk on the workers (caller waiting) and returns when all are done", async () => {
    const pool = createWorkerPool(3, { minWork: 0, callerWorks: false });
    pools.push(pool);
    await pool.whenReady();
    expect(pool.readyWorkers()).toBe(2);
    for (let round = 0; round < 20; round++) {
      const task = identityTask(pool, 101, 3);
      pool.runChunks(csrTimesDenseKernel, task, task.bounds.length - 1);
      expectIdentityResult(task);
    }
  });

  it("rejects a task array that other threads cannot see, before running anything", async () => {
    const pool = createWorkerPool(2, { minWork: 0 });
    pools.push(pool);
    await pool.whenReady();
    const task = identityTask(pool, 10, 2);
    const local = { ...task, out: new Float64Array(20) };
    expect(() => pool.runChunks(csrTimesDenseKernel, local, 2)).toThrow(/out is not in shared memory/);
    const nested = { ...task, A: { ...task.A, data: new Float64Array(10) } };
    expect(() => pool.runChunks(csrTimesDenseKernel, nested, 2)).toThrow(/data is not in shared memory/);
    expect(Array.from(task.out)).toEqual(new Array(20).fill(0));
  });

  it("rethrows a worker's error (a kernel it does not know) and stays usable", async () => {
    const pool = createWorkerPool(2, { minWork: 0, callerWorks: false });
    pools.push(pool);
    await pool.whenReady();
    const unknown: ParallelKernel<object> = { name: "test.notRegistered", run: () => undefined };
    expect(() => pool.runChunks(unknown, {}, 4)).toThrow(/worker thread failed in test\.notRegistered: .*unknown kernel/s);
    const task = identityTask(pool, 50, 2);
    pool.runChunks(csrTimesDenseKernel, task, task.bounds.length - 1);
    expectIdentityResult(task);
  });

  it("rethrows the calling thread's error after the workers finished the round, and stays usable", async () => {
    const pool = createWorkerPool(2, { minWork: 0 });
    pools.push(pool);
    await pool.whenReady();
    const failing: ParallelKernel<object> = {
      name: "linalg.csrTimesDense", // the workers run the real kernel; the caller throws
      run: () => {
        throw new Error("caller failed");
      },
    };
    const task = identityTask(pool, 400, 2);
    expect(() => pool.runChunks(failing, task, task.bounds.length - 1)).toThrow("caller failed");
    const again = identityTask(pool, 60, 2);
    pool.runChunks(csrTimesDenseKernel, again, again.bounds.length - 1);
    expectIdentityResult(again);
  });

  it("fails loudly once closed", () => {
    const pool = createWorkerPool(2);
    pool.close();
    pool.close();
    const task = identityTask(pool, 4, 1);
    expect(() => pool.runChunks(csrTimesDenseKernel, task, 2)).toThrow(/closed/);
  });
});

describe("process life", () => {
  const script = (body: string): string => `
    import { createWorkerPool } from ${JSON.stringify(distUrl("parallel/index.js"))};
    import { csrTimesDenseKernel } from ${JSON.stringify(distUrl("linalg/sparse.js"))};
    import { partitionEvenly } from ${JSON.stringify(distUrl("linalg/executor.js"))};
    const makeTask = (pool, n, k) => {
      const A = { nRows: n, nCols: n, indptr: pool.createInt32Array(n + 1), indices: pool.createInt32Array(n), data: pool.createFloat64Array(n) };
      for (let i = 0; i < n; i++) { A.indptr[i + 1] = i + 1; A.indices[i] = (i * 7) % n; A.data[i] = 1; }
      return { A, B: pool.createFloat64Array(n * k).fill(1), k, out: pool.createFloat64Array(n * k), bounds: pool.share(partitionEvenly(n)) };
    };
    ${body}
  `;

  it.each([
    ["with close()", "pool.close();"],
    ["without close() (workers are unref'd)", ""],
  ])("exits on its own once the work is done, %s", async (_name, closing) => {
    const result = await runNode(
      script(`
        const pool = createWorkerPool(3, { minWork: 0 });
        await pool.whenReady();
        const task = makeTask(pool, 20000, 8);
        for (let r = 0; r < 50; r++) pool.runChunks(csrTimesDenseKernel, task, 64);
        ${closing}
        console.log("done", task.out[8 * 19999]);
      `),
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("done 1");
    expect(result.code).toBe(0);
  });

  it("exits even when its workers are still booting", async () => {
    const result = await runNode(script(`const pool = createWorkerPool(4); console.log("started", pool.readyWorkers() <= 3);`));
    expect(result.stdout.trim()).toBe("started true");
    expect(result.code).toBe(0);
  });

  it("a SIGINT ends a process at once while its threads work", async () => {
    let signalledAt = 0;
    const result = await runNode(
      script(`
        const pool = createWorkerPool(2, { minWork: 0 });
        await pool.whenReady();
        const task = makeTask(pool, 200000, 16);
        console.log("working");
        for (;;) pool.runChunks(csrTimesDenseKernel, task, 64);
      `),
      (stdout, child) => {
        if (signalledAt === 0 && stdout.includes("working")) {
          signalledAt = Date.now();
          setTimeout(() => child.kill("SIGINT"), 300);
        }
      },
    );
    expect(result.signal).toBe("SIGINT");
    expect(Date.now() - signalledAt).toBeLessThan(5000);
  });
});

describe("the CLI under SIGINT", () => {
  it("fit --threads 2 ends at once when interrupted mid-fit, leaving no output file", async () => {
    const dir = tempDir();
    // 3000 documents of 60 words from a 2000-word vocabulary: a fit that runs for many seconds
    // with --tol 0 --max-iter 100000.
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}x`);
    const lines: string[] = [];
    for (let d = 0; d < 3000; d++) lines.push(Array.from({ length: 60 }, () => words[next() % 2000]).join(" "));
    const corpus = join(dir, "corpus.txt");
    writeFileSync(corpus, lines.join("\n"));
    const outDir = join(dir, "out");
    const started = Date.now();
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterSignalMs: number }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [binPath, "fit", corpus, "--lines", "-k", "30", "--tol", "0", "--max-iter", "100000", "--threads", "2", "--quiet", "--out", outDir],
        { stdio: "ignore" },
      );
      let signalledAt = 0;
      const signal = setTimeout(() => {
        signalledAt = Date.now();
        child.kill("SIGINT");
      }, 2500);
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error("nmf-topics did not end within 20 s of its start"));
      }, 20_000);
      child.on("exit", (code, sig) => {
        clearTimeout(signal);
        clearTimeout(timer);
        resolve({ code, signal: sig, afterSignalMs: signalledAt === 0 ? -1 : Date.now() - signalledAt });
      });
    });
    expect(result.afterSignalMs, `it ended before the signal (${Date.now() - started} ms)`).toBeGreaterThanOrEqual(0);
    expect(result.afterSignalMs).toBeLessThan(3000);
    expect(result.signal === "SIGINT" || result.code === 130).toBe(true);
    const { existsSync } = await import("node:fs");
    expect(existsSync(join(outDir, "run.json"))).toBe(false);
  });
});
