/**
 * Entry point of the binary: runs the program, maps errors to exit codes, and keeps stdout for the
 * result only. A user error is one line on stderr; an internal error prints its stack and asks for
 * a report (exit 70). A closed stdout (`| head`) ends the run quietly with status 0.
 */
import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { ExitCode, NmfTopicsError } from "../errors.js";
import { escapeControlCharacters } from "../report/terminal.js";
import { PROGRAM, removePendingTemps } from "./io.js";
import { buildProgram } from "./program.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * A reader that went away (`| head`) ends the run at once with status 0. Other write errors on
 * stdout (a full disk) reach the caller of `writeStdout`, which turns them into one error line.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
  });
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout);
  const program = buildProgram(packageVersion());
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    removePendingTemps();
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help / version) already.
      // `nmf-topics` with no command prints the help on stderr with exitCode 1: a usage error.
      const benign = ["commander.helpDisplayed", "commander.version", "commander.help"];
      return benign.includes(error.code) && error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof NmfTopicsError) {
      // One line, whatever the message quotes (a file name with a newline, an ESC sequence).
      process.stderr.write(`${PROGRAM}: error: ${escapeControlCharacters(error.message)}\n`);
      return error.exitCode;
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(
      `${PROGRAM}: internal error: this is a bug in nmf-topics, please report it with the command you ran.\n${stack}\n`,
    );
    return ExitCode.internal;
  }
}

const code = await main(process.argv);
process.exitCode = code;
