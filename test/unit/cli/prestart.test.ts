/**
 * The pool started before the CLI loads: which command lines start one, and that the command's
 * own createExecutor takes that pool (same thread count) or closes it (another count).
 */
import { describe, expect, it } from "vitest";
import { prestart, threadsArgument } from "../../../src/cli/prestart.js";
import { createExecutor, prestartedThreads } from "../../../src/parallel/index.js";

describe("threadsArgument", () => {
  it("reads --threads N and --threads=N; the last one wins; nothing after --", () => {
    expect(threadsArgument(["corpus", "-k", "5"])).toBeUndefined();
    expect(threadsArgument(["corpus", "--threads", "2"])).toBe(2);
    expect(threadsArgument(["--threads=3", "corpus"])).toBe(3);
    expect(threadsArgument(["--threads", "2", "--threads", "4"])).toBe(4);
    expect(threadsArgument(["--", "--threads", "2"])).toBeUndefined();
  });

  it("anything but a plain integer is null (the CLI reports it; no pool is started)", () => {
    for (const bad of ["0", "-1", "two", "2.5", "", "1e3", "0x2"]) expect(threadsArgument(["--threads", bad]), bad).toBeNull();
    expect(threadsArgument(["--threads"])).toBeNull();
  });
});

describe("prestart", () => {
  it("a fit with --threads 2 starts the pool that createExecutor(2) then takes, already booting", async () => {
    prestart(["node", "nmf-topics", "fit", "corpus", "-k", "5", "--threads", "2"]);
    expect(prestartedThreads()).toBe(2);
    const pool = createExecutor(2);
    expect(prestartedThreads()).toBe(0);
    try {
      await pool.whenReady();
      expect(pool.workers).toBe(1);
      // Taken once: the next executor is a new pool.
      const other = createExecutor(2);
      expect(other).not.toBe(pool);
      other.close();
    } finally {
      pool.close();
    }
  });

  it("a different thread count closes the early pool and creates the one asked for", () => {
    prestart(["node", "nmf-topics", "transform", "--model", "m.json", "x", "--threads", "3"]);
    expect(prestartedThreads()).toBe(3);
    const pool = createExecutor(2);
    expect(prestartedThreads()).toBe(0);
    expect(pool.threads).toBe(2);
    pool.close();
  });

  it("sweep and update prestart too", () => {
    for (const command of ["sweep", "update"]) {
      prestart(["node", "nmf-topics", command, "x", "--threads", "2"]);
      expect(prestartedThreads(), command).toBe(2);
      createExecutor(2).close();
    }
  });

  it("starts nothing for other commands, --threads 1, a bad --threads, or no command", () => {
    for (const argv of [
      ["node", "nmf-topics", "topics", "model.json"],
      ["node", "nmf-topics", "fit", "x", "--threads", "1"],
      ["node", "nmf-topics", "fit", "x", "--threads", "many"],
      ["node", "nmf-topics"],
    ]) {
      prestart(argv);
      expect(prestartedThreads(), argv.join(" ")).toBe(0);
    }
  });
});
