/**
 * Error classes with a stable code and the exit code of the spec. No I/O here: only the CLI entry
 * point prints an error and sets the exit code.
 *
 * Exit codes: 0 success; 1 a check failed (`diff` threshold); 2 usage; 3 input; 4 numerical;
 * 70 internal bug; 130 interrupted.
 */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  input: 3,
  numerical: 4,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class of every error that is the user's to fix: printed as one line, no stack trace. */
export class NmfTopicsError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A bad flag or option value (exit 2). The message names the flag and what it accepts. */
export class UsageError extends NmfTopicsError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Missing or unreadable input, malformed file, empty corpus, nothing left after pruning (exit 3). */
export class InputError extends NmfTopicsError {
  constructor(message: string) {
    super(message, ExitCode.input);
  }
}

/** k too large for the matrix, non-finite values during a fit (exit 4). */
export class NumericalError extends NmfTopicsError {
  constructor(message: string) {
    super(message, ExitCode.numerical);
  }
}

/** A check the user asked for did not pass, e.g. `diff --min-similarity` (exit 1). */
export class CheckFailedError extends NmfTopicsError {
  constructor(message: string) {
    super(message, ExitCode.checkFailed);
  }
}

/** The run was interrupted (SIGINT); nothing half-written is left behind (exit 130). */
export class InterruptedError extends NmfTopicsError {
  constructor(message = "interrupted") {
    super(message, ExitCode.interrupted);
  }
}
