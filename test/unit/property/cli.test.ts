/**
 * Property tests through the built binary (fewer cases than the in-process ones: each spawns node).
 * Random corpora and option values in range, and random strings as flag values: the exit status is
 * always one of the spec's (never 70), stderr holds only `nmf-topics: warning:` lines and at most one
 * `nmf-topics: error:` line (the last), never a stack trace; with exit 0, `--json` parses and a
 * second run prints the same bytes. Run `npm run build` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../../helpers/cli.js";
import { corpusSpec, optionArgs, optionSpec, propertyRuns, propertySeed, writeCorpus } from "./arbitraries.js";

const root = mkdtempSync(join(tmpdir(), "nmf-topics-cli-property-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let caseNumber = 0;

const kebab = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Read flags of writeCorpus as arguments. */
function readArgs(flags: Record<string, string | boolean>): string[] {
  return Object.entries(flags).flatMap(([name, value]) => (value === true ? [kebab(name)] : value === false ? [] : [kebab(name), value]));
}

/** The contract of every run's streams, whatever the input. */
function expectWellBehaved(r: CliResult): void {
  expect(r.signal, r.stderr).toBeNull();
  expect([0, 2, 3, 4], r.stderr).toContain(r.status);
  expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  const lines = r.stderr.split("\n").slice(0, -1);
  expect(r.stderr === "" || r.stderr.endsWith("\n")).toBe(true);
  for (const line of lines) expect(line).toMatch(/^nmf-topics: (warning|error): \S/);
  const errors = lines.filter((l) => l.startsWith("nmf-topics: error:"));
  if (r.status === 0) {
    expect(errors).toEqual([]);
  } else {
    expect(errors).toHaveLength(1);
    expect(lines[lines.length - 1]).toBe(errors[0]);
    expect(r.stdout).toBe("");
  }
}

describe("nmf-topics fit on random corpora and options", () => {
  it("exits 0, 2, 3 or 4 with clean streams; --json parses; the same command prints the same bytes", () => {
    let ok = 0;
    fc.assert(
      fc.property(corpusSpec, optionSpec, fc.constantFrom("--json", "--ndjson", "--docs"), (spec, options, output) => {
        const { input, flags } = writeCorpus(join(root, `case-${caseNumber++}`), spec);
        const args = ["fit", input, ...optionArgs(options), ...readArgs(flags), output];
        const first = runCli(args);
        expectWellBehaved(first);
        if (first.status !== 0) return;
        ok++;
        if (output === "--json") expect(JSON.parse(first.stdout).corpus.documents).toBeGreaterThan(0);
        if (output === "--ndjson") for (const line of first.stdout.trimEnd().split("\n")) JSON.parse(line);
        expect(first.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // no raw control character
        const second = runCli(args);
        expect(second.status).toBe(0);
        expect(second.stdout).toBe(first.stdout);
      }),
      { numRuns: propertyRuns(30), seed: propertySeed(42) },
    );
    expect(ok).toBeGreaterThan(0);
  });

  it("a random string as the value of any flag is a usage error or a normal run, never a crash", () => {
    const { input } = writeCorpus(join(root, "fixed"), {
      texts: ["space orbit nasa", "orbit nasa moon", "hockey team goal", "team goal season", "doctor vaccine", "vaccine doctor patient"],
      format: "lines",
      gzip: false,
      ids: null,
      labels: null,
    });
    const flagsWithValues = [
      "-k", "--min-df", "--max-df", "--ngram-range", "--loss", "--solver", "--init", "--max-iter", "--tol", "--seed",
      "--alpha-w", "--alpha-h", "--l1-ratio", "--weighting", "--norm", "--max-features", "--top-words", "--top-docs",
      "--lang", "--token-pattern", "--input-format", "--threads", "--text-column",
    ];
    const value = fc.oneof(
      fc.constantFrom("0", "-1", "1e309", "NaN", "Infinity", "0x10", "1.5", " 2", "", "--json", "-", "1,2,3", "((", "\u0000", "\n"),
      fc.string({ unit: "binary", maxLength: 8 }).filter((s) => !s.includes("\u0000")),
    );
    fc.assert(
      fc.property(fc.constantFrom(...flagsWithValues), value, (flag, v) => {
        const args = ["fit", input, "--lines", "--min-df", "1", "--max-df", "1", "-k", "2", flag, v];
        if (v.includes("\u0000")) return; // argv cannot carry NUL
        const r = runCli(args);
        expectWellBehaved(r);
      }),
      { numRuns: propertyRuns(24), seed: propertySeed(43) },
    );
  });
});
