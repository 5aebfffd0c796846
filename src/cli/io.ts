/**
 * The process edge: stdout (the result, in one write), stderr (warnings, progress, errors),
 * atomic file writes, colour detection. Only cli/ touches `process`.
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { escapeControlCharacters } from "../report/terminal.js";

export const PROGRAM = "nmf-topics";

/** How {@link readTextFile} names a file in its errors. */
export interface FileKind {
  /** e.g. "no such model file" */
  missing: string;
  /** what a folder should have been, e.g. "a model file" */
  expected: string;
  /** e.g. "make the model file readable" */
  unreadable: string;
  /** e.g. "model file " (prefix of "cannot read ...") */
  noun: string;
}

/** Reads a whole UTF-8 file; a missing or unreadable one is an input error naming it (exit 3). */
export function readTextFile(path: string, kind: FileKind): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT"
        ? `${kind.missing}: ${path}`
        : code === "EISDIR"
          ? `${path} is a folder, not ${kind.expected}`
          : code === "EACCES" || code === "EPERM"
            ? `${path}: permission denied; ${kind.unreadable}`
            : `cannot read ${kind.noun}${path}: ${code ?? String(error)}`,
    );
  }
}

export interface Streams {
  quiet: boolean;
}

/**
 * Prints `--timings`' closing line on stderr (even with --quiet: it was asked for): the phases in
 * milliseconds, then the time from the start of reading to the last byte written and since the
 * process started (`performance.now()` counts from the process start). The JSON's `timings` key
 * cannot hold the time it takes to write itself; this line can.
 */
export function printTimings(phases: Record<string, number>, readStart: number): void {
  const now = performance.now();
  const parts = Object.entries(phases).map(([name, ms]) => `${name} ${Math.round(ms)}`);
  process.stderr.write(
    `${PROGRAM}: timings (ms): start ${Math.round(readStart)}, ${parts.join(", ")}; ` +
      `read to written ${Math.round(now - readStart)}, process ${Math.round(now)}\n`,
  );
}

/** Prints a warning line on stderr unless --quiet (control characters of ids and paths escaped). */
export function makeWarn(streams: Streams): (message: string) => void {
  return (message) => {
    if (!streams.quiet) process.stderr.write(`${PROGRAM}: warning: ${escapeControlCharacters(message)}\n`);
  };
}

/** What a failed write means for the user, and what to do about it. */
function describeWriteError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  switch (err.code) {
    case "ENOSPC":
      return "no space left on device; free some space or write elsewhere";
    case "EDQUOT":
      return "disk quota exceeded; free some space or write elsewhere";
    case "EFBIG":
      return "file too large for this file system or limit; write elsewhere";
    case "EACCES":
    case "EPERM":
      return "permission denied; write to a folder you may write to";
    case "EROFS":
      return "read-only file system; write elsewhere";
    case "EISDIR":
      return "is a folder; give a file name";
    case "EEXIST":
    case "ENOTDIR":
      return "a part of the path is a file, not a folder; give a folder";
    case "ELOOP":
      return "too many levels of symbolic links; fix the link";
    case "EIO":
      return "input/output error";
    default:
      return err.code ?? (err.message || String(error));
  }
}

/**
 * Writes the whole result to stdout and resolves when it is flushed. A closed pipe (EPIPE) resolves
 * (main's listener ends the run with 0); any other failure (a full disk) rejects with an InputError.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text.length === 0) return resolve();
    process.stdout.write(text, (error) => {
      if (error === null || error === undefined || (error as NodeJS.ErrnoException).code === "EPIPE") return resolve();
      reject(new InputError(`cannot write the result to standard output: ${describeWriteError(error)}`));
    });
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

/** Where a file's content goes: beside its real path (symbolic links followed), or straight into a device. */
interface WriteTarget {
  /** The path as given, for messages. */
  path: string;
  /** The path to write: the end of its chain of symbolic links, else `path`. */
  realPath: string;
  /** A character device, FIFO or socket (`/dev/null`, a pipe): written in place, it cannot be renamed onto. */
  special: boolean;
}

/** lstat that returns null for a path that does not exist (or cannot be looked at). */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Follows the symbolic links of an output path (also dangling ones, so that `run.json -> ../keep/run.json`
 * writes there) and says whether the end is a device or FIFO. A folder in the way is an EISDIR error.
 * Links that name nothing on disk (`/dev/stdout -> /proc/self/fd/1 -> pipe:[N]`) end the walk.
 */
function resolveWriteTarget(path: string): WriteTarget {
  let realPath = path;
  for (let hops = 0; hops < 40; hops++) {
    const stats = lstatOrNull(realPath);
    if (stats === null || !stats.isSymbolicLink()) break;
    const next = resolve(dirname(realPath), readlinkSync(realPath));
    if (lstatOrNull(next) === null && existsSync(realPath)) break;
    realPath = next;
  }
  let stats: Stats;
  try {
    stats = statSync(realPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { path, realPath, special: false }; // a new file
    throw error;
  }
  if (stats.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: "EISDIR", path });
  return { path, realPath, special: !stats.isFile() };
}

/**
 * Writes files atomically: each regular file to a temporary file beside its real path (symbolic
 * links are followed, not replaced), then, once every temporary file is complete, all are renamed
 * into place. A device or FIFO target (`--save /dev/null`) is written in place, before any rename.
 * On any error the temporaries are removed, the previous files stay as they were, and the error is
 * an InputError naming the file and what to do (exit 3).
 */
export function writeFilesAtomically(files: { path: string; content: string }[]): void {
  installInterruptHandler();
  const staged: { temp: string; target: WriteTarget }[] = [];
  let current = files[0]?.path ?? "output";
  let renamed = 0;
  try {
    const targets = files.map((file) => {
      current = file.path;
      return resolveWriteTarget(file.path);
    });
    const direct: { target: WriteTarget; content: string }[] = [];
    files.forEach((file, i) => {
      const target = targets[i];
      current = target.path;
      if (target.special) {
        direct.push({ target, content: file.content });
        return;
      }
      const folder = dirname(target.realPath);
      mkdirSync(folder, { recursive: true });
      const temp = join(folder, `.${basename(target.realPath)}.${randomBytes(6).toString("hex")}.tmp`);
      pendingTemps.add(temp);
      staged.push({ temp, target });
      writeFileSync(temp, file.content);
    });
    for (const { target, content } of direct) {
      current = target.path;
      writeFileSync(target.realPath, content);
    }
    for (const { temp, target } of staged) {
      current = target.path;
      renameSync(temp, target.realPath);
      pendingTemps.delete(temp);
      renamed++;
    }
  } catch (error) {
    const closedPipe = (error as NodeJS.ErrnoException).code === "EPIPE";
    for (const { temp } of staged) {
      if (!pendingTemps.has(temp)) continue;
      rmSync(temp, { force: true });
      pendingTemps.delete(temp);
    }
    // `--save /dev/stdout | head`: the reader went away, as for stdout itself: end quietly.
    if (closedPipe) process.exit(0);
    const outcome = renamed === 0 ? "no file was changed" : `${renamed} of ${staged.length} files were replaced`;
    throw new InputError(`cannot write ${current}: ${describeWriteError(error)} (${outcome})`);
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
