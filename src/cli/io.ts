/**
 * The process edge: stdout (the result, in one write), stderr (warnings, progress, errors),
 * atomic file writes, colour detection. Only cli/ touches `process`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";

export const PROGRAM = "nmf-topics";

export interface Streams {
  quiet: boolean;
}

/** Prints a warning line on stderr unless --quiet. */
export function makeWarn(streams: Streams): (message: string) => void {
  return (message) => {
    if (!streams.quiet) process.stderr.write(`${PROGRAM}: warning: ${message}\n`);
  };
}

/** Writes the whole result to stdout and resolves when it is flushed (or stdout is gone). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text.length === 0) return resolve();
    process.stdout.write(text, () => resolve());
  });
}

/**
 * Colour level for stdout tables: none when NO_COLOR is set (non-empty) or stdout is not a TTY,
 * unless FORCE_COLOR asks for it (FORCE_COLOR=0 or false forces none).
 */
export function colorLevel(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): 0 | 1 | 2 | 3 {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    const n = Number.parseInt(force, 10);
    return force === "" || force === "true" || Number.isNaN(n) ? 1 : (Math.min(Math.max(n, 1), 3) as 1 | 2 | 3);
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  return isTty ? 1 : 0;
}

/** Temporary files written but not yet renamed: removed if the run is interrupted. */
const pendingTemps = new Set<string>();

export function removePendingTemps(): void {
  for (const path of pendingTemps) rmSync(path, { force: true });
  pendingTemps.clear();
}

let interruptHandlerInstalled = false;

/**
 * From the first file write on, SIGINT removes any temporary file and exits 130. Before that the
 * default disposition stays, so Ctrl-C stops a long (synchronous) fit at once: nothing has been
 * written yet, and the shell sees status 130.
 */
function installInterruptHandler(): void {
  if (interruptHandlerInstalled) return;
  interruptHandlerInstalled = true;
  process.once("SIGINT", () => {
    removePendingTemps();
    process.exit(130);
  });
}

/**
 * Writes files atomically: each to a temporary file in the same folder, then all renamed into place.
 * On any error the temporaries are removed and the previous files stay as they were.
 */
export function writeFilesAtomically(files: { path: string; content: string }[]): void {
  installInterruptHandler();
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      const temp = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString("hex")}.tmp`);
      pendingTemps.add(temp);
      staged.push({ temp, path: file.path });
      writeFileSync(temp, file.content);
    }
    for (const { temp, path } of staged) {
      renameSync(temp, path);
      pendingTemps.delete(temp);
    }
  } catch (error) {
    for (const { temp } of staged) {
      rmSync(temp, { force: true });
      pendingTemps.delete(temp);
    }
    const err = error as NodeJS.ErrnoException;
    const target = err.path ?? files[0]?.path ?? "output";
    const reason = err.code === "ENOSPC" ? "no space left on device" : err.code === "EACCES" ? "permission denied" : (err.message ?? String(err));
    throw new InputError(`cannot write ${target}: ${reason}; nothing was written`);
  }
}

/** A progress line on stderr (a TTY only), rewritten in place; `done()` clears it. */
export interface Progress {
  update(iteration: number, maxIter: number, objective: number | null): void;
  done(): void;
}

export function makeProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return { update() {}, done() {} };
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(iteration, maxIter, objective) {
      const now = performance.now();
      if (now - last < 100 && iteration < maxIter) return;
      last = now;
      const elapsed = (now - start) / 1000;
      const eta = iteration > 0 ? (elapsed / iteration) * (maxIter - iteration) : 0;
      const width = 20;
      const filled = Math.round((width * iteration) / Math.max(1, maxIter));
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      const obj = objective === null ? "" : `  objective ${objective.toPrecision(7)}`;
      process.stderr.write(`\r\x1b[K${label} ${bar} ${iteration}/${maxIter}${obj}  ≤${eta.toFixed(0)}s left`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}
