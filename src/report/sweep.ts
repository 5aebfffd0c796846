/**
 * The report of `nmf-topics sweep` (schema `nmf-topics/sweep@1`) and its renderers: a table for a
 * person, one JSON document, or NDJSON (one line per k, then a summary line). Metrics that are
 * undefined (stability with one run, NPMI with one top word) are NaN in the library: JSON writes
 * them as `null`, tables as `-`.
 */
import { createHash } from "node:crypto";
import type { SweepCorpusResult } from "../sweep.js";
import { finiteOrNull } from "./fit-report.js";
import { stringifyJson, type JsonValue } from "./json.js";
import { alignColumns, makeChalk } from "./table.js";

export const SWEEP_SCHEMA = "nmf-topics/sweep@1";

export interface SweepRunReport {
  seed: number;
  /** Documents in the run's sample. */
  documents: number;
  iterations: number;
  converged: boolean;
  objective: number;
  npmi: number | null;
  diversity: number | null;
}

export interface SweepRowReport {
  k: number;
  /** Means over the runs. */
  objective: number;
  npmi: number | null;
  diversity: number | null;
  /** Mean best-match Jaccard of top words between runs; null with one run. */
  stability: number | null;
  iterations: number;
  /** Runs that reached the tolerance. */
  converged: number;
  runs: SweepRunReport[];
  /** Top words of each topic of the first run (seed = params.seed), canonical order. */
  topics: string[][];
}

export interface SweepReport {
  schema: string;
  version: string;
  params: { [key: string]: JsonValue };
  corpus: { documents: number; terms: number; nonzeros: number; fingerprint: string };
  results: SweepRowReport[];
  recommended: { k: number; rule: string };
  hash?: string;
}

/** Builds the report; `params` are the resolved options as the CLI records them (ks, runs, ...). */
export function buildSweepReport(result: SweepCorpusResult, params: { [key: string]: JsonValue }, version: string): SweepReport {
  return {
    schema: SWEEP_SCHEMA,
    version,
    params,
    corpus: {
      documents: result.nDocs,
      terms: result.nTerms,
      nonzeros: result.nonzeros,
      fingerprint: result.fingerprint,
    },
    results: result.rows.map((row) => ({
      k: row.k,
      objective: row.objective,
      npmi: finiteOrNull(row.npmi),
      diversity: finiteOrNull(row.diversity),
      stability: finiteOrNull(row.stability),
      iterations: row.iterations,
      converged: row.converged,
      runs: row.runs.map((run) => ({
        seed: run.seed,
        documents: run.documents,
        iterations: run.iterations,
        converged: run.converged,
        objective: run.objective,
        npmi: finiteOrNull(run.npmi),
        diversity: finiteOrNull(run.diversity),
      })),
      topics: row.runs[0].topTerms.map((list) => Array.from(list, (j) => result.displayTerms[j])),
    })),
    recommended: { k: result.recommended.k, rule: result.recommended.rule },
  };
}

/** sha256 (hex) of the report's JSON text (2-space indent, 6 significant digits) without `hash`. */
export function hashSweepReport(report: SweepReport): string {
  const { hash: _hash, ...rest } = report;
  return createHash("sha256").update(stringifyJson(rest as unknown as JsonValue), "utf8").digest("hex");
}

/** The report with its `hash` set (last key). */
export function sealSweepReport(report: SweepReport): SweepReport {
  const { hash: _hash, ...rest } = report;
  return { ...rest, hash: hashSweepReport(report) };
}

/** `--json`: one JSON document, ending with a newline. */
export function renderSweepJson(report: SweepReport): string {
  return stringifyJson(sealSweepReport(report) as unknown as JsonValue) + "\n";
}

/**
 * `--ndjson`: one `{"type":"k",...}` line per k (the objects of `results`), then one
 * `{"type":"summary",...}` line with everything else, including `recommended` and the same `hash`
 * as `--json`.
 */
export function renderSweepNdjson(report: SweepReport): string {
  const sealed = sealSweepReport(report);
  const lines: string[] = [];
  for (const row of sealed.results) lines.push(stringifyJson({ type: "k", ...row } as unknown as JsonValue, { indent: 0 }));
  const { results: _results, ...summary } = sealed;
  lines.push(stringifyJson({ type: "summary", ...summary } as unknown as JsonValue, { indent: 0 }));
  return lines.join("\n") + "\n";
}

export interface SweepTableOptions {
  /** Colour level 0 (none) to 3. */
  colorLevel: 0 | 1 | 2 | 3;
}

/** A metric for a table: fixed digits, "-" when undefined. */
export function formatMetric(x: number | null, digits: number): string {
  if (x === null || !Number.isFinite(x)) return "-";
  return (Object.is(x, -0) ? 0 : x).toFixed(digits);
}

/** An objective for a table: 6 significant digits, trailing zeros kept so the column lines up. */
function formatObjective(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(6) : "-";
}

function describeKs(ks: readonly number[]): string {
  const contiguous = ks.length > 2 && ks.every((k, i) => i === 0 || k === ks[i - 1] + 1);
  return contiguous ? `${ks[0]}..${ks[ks.length - 1]}` : ks.join(",");
}

/**
 * The table: a headline, one row per k (objective, NPMI, diversity, stability, mean iterations;
 * the recommended row marked with `*`), then the recommended k and its rule.
 */
export function renderSweepTable(report: SweepReport, options: SweepTableOptions): string {
  const c = makeChalk(options.colorLevel);
  const ks = report.results.map((r) => r.k);
  const runs = report.results[0]?.runs.length ?? 0;
  const sampleDocs = report.results[0]?.runs[0]?.documents ?? report.corpus.documents;
  const sample =
    sampleDocs === report.corpus.documents
      ? "all documents"
      : `samples of ${sampleDocs.toLocaleString("en-US")} documents`;
  const p = report.params;
  const settings = [p.loss, p.solver, p.init].filter((x) => typeof x === "string").join(", ");
  const headline =
    c.bold(`k = ${describeKs(ks)} · ${runs} run${runs === 1 ? "" : "s"} each on ${sample}`) +
    ` · ${report.corpus.documents.toLocaleString("en-US")} documents, ${report.corpus.terms.toLocaleString("en-US")} terms` +
    (settings ? ` (${settings})` : "");

  const rows: string[][] = [["", "k", "objective", "NPMI", "diversity", "stability", "iterations"]];
  for (const r of report.results) {
    rows.push([
      r.k === report.recommended.k ? "*" : "",
      String(r.k),
      formatObjective(r.objective),
      formatMetric(r.npmi, 3),
      formatMetric(r.diversity, 3),
      formatMetric(r.stability, 3),
      formatMetric(r.iterations, 1),
    ]);
  }
  const lines = alignColumns(rows, [false, true, true, true, true, true, true]);
  const out = [headline, "", c.bold(lines[0])];
  report.results.forEach((r, i) => {
    const line = lines[i + 1];
    out.push(r.k === report.recommended.k ? c.green(line) : line);
  });
  out.push("", `${c.bold(`recommended: k = ${report.recommended.k}`)}, by the rule: ${report.recommended.rule}`);
  return out.join("\n") + "\n";
}
