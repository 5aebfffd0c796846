/** Printing a report in the chosen format, and the corpus/model hygiene warnings of a fit. */
import type { FitRun } from "../fit.js";
import type { NmfOptions } from "../nmf/index.js";
import { renderJson, type FitReport } from "../report/fit-report.js";
import { renderNdjson } from "../report/ndjson.js";
import { renderTable } from "../report/table.js";
import { colorLevel, writeStdout } from "./io.js";
import type { OutputFormat, RawOptions } from "./options.js";

export async function emitReport(
  report: FitReport,
  format: OutputFormat,
  raw: RawOptions,
  texts: readonly string[] | undefined,
): Promise<void> {
  let text: string;
  if (format === "json") text = renderJson(report);
  else if (format === "ndjson") text = renderNdjson(report);
  else {
    text = renderTable(report, {
      colorLevel: colorLevel(),
      docs: Boolean(raw.docs),
      topDocs: (raw.topDocs as number | undefined) ?? 0,
      texts,
    });
  }
  await writeStdout(text);
}

/** Share of a topic's total weight above which one document is said to carry it. */
export const SINGLE_DOCUMENT_SHARE = 0.5;

function examples(ids: string[], max = 3): string {
  const shown = ids.slice(0, max).join(", ");
  return ids.length > max ? `${shown}, ...` : shown;
}

/**
 * Warnings a careful user wants to see: documents with no terms left, exact duplicates, a topic
 * carried mostly by a single document, and a solver that stopped at --max-iter.
 */
export function hygieneWarnings(run: FitRun, nmf: NmfOptions, warn: (message: string) => void): void {
  const { documents } = run;
  if (run.emptyDocuments.length > 0) {
    const ids = run.emptyDocuments.map((d) => documents[d].id);
    warn(`${ids.length} document(s) have no terms after preprocessing and get zero weights (${examples(ids)})`);
  }
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const doc of documents) {
    const first = seen.get(doc.text);
    if (first === undefined) seen.set(doc.text, doc.id);
    else duplicates.push(`${doc.id} = ${first}`);
  }
  if (duplicates.length > 0) {
    warn(`${duplicates.length} document(s) are exact duplicates of earlier ones (${examples(duplicates)})`);
  }
  const { W, nDocs, nTopics: k } = run.nmf;
  for (let t = 0; t < k; t++) {
    let total = 0;
    let best = 0;
    let bestDoc = -1;
    for (let d = 0; d < nDocs; d++) {
      const w = W[d * k + t];
      total += w;
      if (w > best) {
        best = w;
        bestDoc = d;
      }
    }
    if (total > 0 && nDocs > 1 && best / total > SINGLE_DOCUMENT_SHARE) {
      warn(`topic ${t} is carried mostly by one document: ${documents[bestDoc].id} holds ${Math.round((100 * best) / total)}% of its weight`);
    }
  }
  if (!run.nmf.converged) {
    warn(`the ${run.nmf.solver} solver did not converge in ${run.nmf.iterations} iterations (--tol ${nmf.tol}); raise --max-iter or --tol`);
  }
}
