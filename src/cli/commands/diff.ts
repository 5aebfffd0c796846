/** `nmf-topics diff a.json b.json [--min-similarity 0.8]`: did the topics change? Exit 1 if so. */
import { parseDiffSide, diffTopics, type ParsedSide } from "../../diff.js";
import { CheckFailedError } from "../../errors.js";
import { buildDiffReport, describeFailure, renderDiffJson, renderDiffTable } from "../../report/diff.js";
import { colorLevel, readTextFile, writeStdout } from "../io.js";
import type { RawOptions } from "../options.js";

/** Reads and parses one side; a missing or unreadable file is an input error naming it (exit 3). */
export function loadDiffSide(path: string): ParsedSide {
  const text = readTextFile(path, {
    missing: "no such file",
    expected: "a run JSON (fit --json) or a model file",
    unreadable: "make it readable",
    noun: "",
  });
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
