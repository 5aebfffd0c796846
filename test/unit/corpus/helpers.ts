/** Shared bits of the corpus reader tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { InputError } from "../../../src/errors.js";
import { defaultReadOptions, type ReadOptions } from "../../../src/corpus/index.js";
import type { SourceContext } from "../../../src/corpus/source.js";
import { projectRoot } from "../../helpers/corpora.js";

export const fixturesDir = join(projectRoot, "fixtures");
export const inputsDir = join(fixturesDir, "inputs");
export const miniDir = join(fixturesDir, "20news-mini");

/** Path of a file under fixtures/inputs. */
export function inputPath(relative: string): string {
  return join(inputsDir, relative);
}

/** Read options with overrides. */
export function makeOptions(overrides: Partial<ReadOptions> = {}): ReadOptions {
  return { ...defaultReadOptions, ...overrides };
}

/** A parse context for the format readers. */
export function makeContext(overrides: Partial<SourceContext> = {}, options: Partial<ReadOptions> = {}): SourceContext {
  return { displayPath: "data.csv", idBase: "data.csv", options: makeOptions(options), ...overrides };
}

/** A warning collector. */
export function collectWarnings(): { warn: (message: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (message) => messages.push(message), messages };
}

/** A fresh temporary folder and a function that deletes it. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "nmf-corpus-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts an InputError (exit 3) whose one-line message matches `pattern`. */
export function expectInputError(run: () => unknown, pattern: RegExp | string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assertInputError(caught, pattern);
}

/** Async form of {@link expectInputError}. */
export async function expectInputErrorAsync(promise: Promise<unknown>, pattern: RegExp | string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assertInputError(caught, pattern);
}

function assertInputError(caught: unknown, pattern: RegExp | string): void {
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.exitCode).toBe(3);
  expect(error.message).not.toContain("\n");
  if (typeof pattern === "string") expect(error.message).toBe(pattern);
  else expect(error.message).toMatch(pattern);
}
