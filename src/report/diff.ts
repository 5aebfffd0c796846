/**
 * The report of `nmf-topics diff` (schema `nmf-topics/diff@1`) and its renderers: a table for a
 * person and one JSON document. Topic ids are those of the files; similarities are cosines in [0, 1].
 */
import { createHash } from "node:crypto";
import type { DiffResult, DiffSide } from "../diff.js";
import { stringifyJson, type JsonValue } from "./json.js";
import { alignColumns, makeChalk } from "./table.js";
import { escapeControlCharacters } from "./terminal.js";

export const DIFF_SCHEMA = "nmf-topics/diff@1";

export interface DiffSideReport {
  schema: string;
  topics: number;
  /** Corpus fingerprint recorded in the file, or null. */
  fingerprint: string | null;
  /** The file's own hash, or null. */
  hash: string | null;
}

export interface DiffReport {
  schema: string;
  version: string;
  /** `basis`: "H" (two model files, full rows of H) or "top-words" (sparse top-word weights). */
  params: { minSimilarity: number; basis: string };
  a: DiffSideReport;
  b: DiffSideReport;
  pairs: { a: number; b: number; similarity: number; passed: boolean; added: string[]; removed: string[] }[];
  new: { id: number; words: string[] }[];
  vanished: { id: number; words: string[] }[];
  summary: { matched: number; belowThreshold: number; new: number; vanished: number; passed: boolean };
  hash?: string;
}

function sideReport(side: DiffSide): DiffSideReport {
  return { schema: side.schema, topics: side.topics.length, fingerprint: side.fingerprint, hash: side.hash };
}

export function buildDiffReport(result: DiffResult, version: string): DiffReport {
  return {
    schema: DIFF_SCHEMA,
    version,
    params: { minSimilarity: result.minSimilarity, basis: result.basis },
    a: sideReport(result.a),
    b: sideReport(result.b),
    pairs: result.pairs.map((p) => ({ ...p, added: [...p.added], removed: [...p.removed] })),
    new: result.added.map((t) => ({ id: t.id, words: [...t.words] })),
    vanished: result.vanished.map((t) => ({ id: t.id, words: [...t.words] })),
    summary: {
      matched: result.pairs.length,
      belowThreshold: result.pairs.filter((p) => !p.passed).length,
      new: result.added.length,
      vanished: result.vanished.length,
      passed: result.passed,
    },
  };
}

/** sha256 (hex) of the report's JSON text without `hash`. */
export function hashDiffReport(report: DiffReport): string {
  const { hash: _hash, ...rest } = report;
  return createHash("sha256").update(stringifyJson(rest as unknown as JsonValue), "utf8").digest("hex");
}

/** `--json`: one JSON document with its `hash` (last key), ending with a newline. */
export function renderDiffJson(report: DiffReport): string {
  const { hash: _hash, ...rest } = report;
  return stringifyJson({ ...rest, hash: hashDiffReport(report) } as unknown as JsonValue) + "\n";
}

/** One line saying why the check failed, or null when it passed (the CLI's exit-1 message). */
export function describeFailure(report: DiffReport): string | null {
  const s = report.summary;
  if (s.passed) return null;
  const parts: string[] = [];
  if (s.belowThreshold > 0) parts.push(`${s.belowThreshold} matched topic(s) below --min-similarity ${report.params.minSimilarity}`);
  if (s.new > 0) parts.push(`${s.new} new topic(s)`);
  if (s.vanished > 0) parts.push(`${s.vanished} vanished topic(s)`);
  return `topics changed: ${parts.join(", ")}`;
}

export interface DiffTableOptions {
  colorLevel: 0 | 1 | 2 | 3;
  /** How to name the two files in the headline (as the user gave them). */
  nameA: string;
  nameB: string;
}

/**
 * The table: a headline naming both sides, one row per matched pair (ids, similarity, a mark when
 * below the threshold, the top words that came (+) and went (-)), then new and vanished topics with
 * their top words, then a one-line verdict.
 */
export function renderDiffTable(report: DiffReport, options: DiffTableOptions): string {
  const c = makeChalk(options.colorLevel);
  const side = (name: string, s: DiffSideReport) => `${escapeControlCharacters(name)} (${escapeControlCharacters(s.schema)}, ${s.topics} topics)`;
  const basis = report.params.basis === "H" ? "cosine of H over the shared vocabulary" : "cosine of top-word weights";
  const out: string[] = [
    `${c.bold("a:")} ${side(options.nameA, report.a)}`,
    `${c.bold("b:")} ${side(options.nameB, report.b)}`,
    `similarity: ${basis}; threshold ${report.params.minSimilarity}`,
  ];
  if (report.a.fingerprint && report.b.fingerprint && report.a.fingerprint !== report.b.fingerprint) {
    out.push("note: the two were fitted on different corpora (fingerprints differ)");
  }
  out.push("");
  if (report.pairs.length > 0) {
    const rows: string[][] = [["a", "b", "similarity", "", "top words (+ came, - went)"]];
    for (const p of report.pairs) {
      const words =
        p.added.length === 0 && p.removed.length === 0
          ? "same words"
          : escapeControlCharacters([...p.added.map((w) => `+${w}`), ...p.removed.map((w) => `-${w}`)].join(" "));
      rows.push([String(p.a), String(p.b), p.similarity.toFixed(3), p.passed ? "" : "below", words]);
    }
    const lines = alignColumns(rows, [true, true, true, false, false]);
    out.push(c.bold(lines[0]));
    report.pairs.forEach((p, i) => out.push(p.passed ? lines[i + 1] : c.red(lines[i + 1])));
  } else {
    out.push("no matched topics");
  }
  const list = (title: string, topics: { id: number; words: string[] }[], color: (s: string) => string) => {
    if (topics.length === 0) return;
    out.push("", c.bold(title));
    const lines = alignColumns(
      topics.map((t) => [String(t.id), escapeControlCharacters(t.words.join(" "))]),
      [true, false],
    );
    for (const line of lines) out.push(color(line));
  };
  list("new in b:", report.new, c.green);
  list("vanished from a:", report.vanished, c.red);
  const s = report.summary;
  const verdict = s.passed ? c.green("ok") : c.red("check failed");
  out.push(
    "",
    `${s.matched} matched (${s.belowThreshold} below ${report.params.minSimilarity}), ${s.new} new, ${s.vanished} vanished: ${verdict}`,
  );
  return out.join("\n") + "\n";
}
