/**
 * Starts the worker pool before the rest of the CLI loads, for the commands that use it: node
 * takes some 50 ms to load the program's modules and a worker thread 25-35 ms to boot, so the two
 * overlap, instead of the booting worker competing with the reading of the corpus for the other
 * core (BBC: read 47 -> 34 ms, whole process 366 -> 358 ms). Imported by bin/nmf-topics.js before
 * anything else; it loads only the pool's own modules. Results never depend on it.
 */
import { prestartExecutor } from "../parallel/index.js";

/** Commands that create an executor (see their `createExecutor` calls). */
const POOL_COMMANDS = new Set(["fit", "transform", "sweep", "update"]);

/**
 * The value of `--threads` on the command line: undefined when absent, null when it is not a
 * plain integer (the CLI then reports it; nothing is started).
 */
export function threadsArgument(args: readonly string[]): number | undefined | null {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === "--threads") value = args[i + 1] ?? "";
    else if (args[i].startsWith("--threads=")) value = args[i].slice("--threads=".length);
  }
  if (value === undefined) return undefined;
  return /^[1-9][0-9]{0,2}$/.test(value) ? Number(value) : null;
}

/** Prestarts the pool when `argv` (process.argv) runs a command that uses one with more than one thread. */
export function prestart(argv: readonly string[]): void {
  if (!POOL_COMMANDS.has(argv[2])) return;
  const threads = threadsArgument(argv.slice(3));
  if (threads === null) return;
  prestartExecutor(threads);
}
