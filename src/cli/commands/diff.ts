/** `nmf-topics diff a.json b.json [--min-similarity 0.8]`: did the topics change? Exit 1 if so. */
import { readFileSync } from "node:fs";
import { parseDiffSide, diffTopics, type ParsedSide } from "../../diff.js";
import { CheckFailedError, InputError } from "../../errors.js";
import { buildDiffReport, describeFailure, renderDiffJson, renderDiffTable } from "../../report/diff.js";
import { colorLevel, writeStdout } from "../io.js";
import type { RawOptions } from "../options.js";

/** Reads and parses one side; a missing or unreadable file is an input error naming it (exit 3). */
export function loadDiffSide(path: string): ParsedSide {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT"
        ? `no such file: ${path}`
        : code === "EISDIR"
          ? `${path} is a folder; expected a run JSON (fit --json) or a model file`
          : code === "EACCES" || code === "EPERM"
            ? `${path}: permission denied; make it readable`
            : `cannot read ${path}: ${code ?? String(error)}`,
    );
  }
  return parseDiffSide(text, path);
}

export async function runDiff(pathA: string, pathB: string, raw: RawOptions, version: string): Promise<void> {
  const minSimilarity = raw.minSimilarity as number;
  const a = loadDiffSide(pathA);
  const b = loadDiffSide(pathB);
  const report = buildDiffReport(diffTopics(a, b, minSimilarity), version);
  const out = raw.json
    ? renderDiffJson(report)
    : renderDiffTable(report, { colorLevel: colorLevel(), nameA: pathA, nameB: pathB });
  await writeStdout(out);
  const failure = describeFailure(report);
  if (failure !== null) throw new CheckFailedError(failure);
}
