/** Spawns the built binary (bin/nmf-topics.js -> dist/) the way a user's shell would. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { projectRoot } from "./corpora.js";

export const binPath = resolve(projectRoot, "bin", "nmf-topics.js");
export const fixturesDir = resolve(projectRoot, "fixtures");
export const miniCorpus = join(fixturesDir, "20news-mini");

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `nmf-topics ...args` with NO_COLOR=1, from `cwd` (default: the project root); `nodeFlags` go
 * to node before the script (`node --max-old-space-size=4096 nmf-topics ...`).
 */
export function runCli(
  args: string[],
  opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv; nodeFlags?: string[] } = {},
): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [...(opts.nodeFlags ?? []), binPath, ...args], {
    cwd: opts.cwd ?? projectRoot,
    input: opts.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = "nmf-topics-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
