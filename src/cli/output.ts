/** Printing a report in the chosen format, and the corpus/model hygiene warnings of a fit. */
import type { Document } from "../corpus/types.js";
import type { FitRun } from "../fit.js";
import type { NmfOptions } from "../nmf/index.js";
import { renderJson, type FitReport } from "../report/fit-report.js";
import { colorLevel, writeStdout } from "./io.js";
import type { OutputFormat, RawOptions } from "./options.js";

/** Prints a report; the ndjson and table renderers (chalk) are loaded only for their format. */
export async function emitReport(
  report: FitReport,
  format: OutputFormat,
  raw: RawOptions,
  texts: readonly string[] | undefined,
): Promise<void> {
  let text: string;
  if (format === "json") text = renderJson(report);
  else if (format === "ndjson") text = (await import("../report/ndjson.js")).renderNdjson(report);
  else {
    const { renderTable } = await import("../report/table.js");
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

/** A number from the length and 16 evenly spaced code units of a text: equal texts have equal keys. */
function sampleKey(text: string): number {
  const n = text.length;
  let key = n;
  if (n > 0) for (let i = 0; i < 16; i++) key = Math.imul(key ^ text.charCodeAt(Math.floor((i * n) / 16)), 0x01000193);
  return key;
}

/**
 * Each document whose text equals an earlier one's, with the first document of that text, in order.
 * Texts are compared only when their {@link sampleKey} is the same: a Map keyed by the texts hashed
 * every character of the corpus (30 ms on 20 Newsgroups); texts whose key an unequal text took first
 * (rare) go to such a Map.
 */
export function findDuplicateTexts(documents: readonly Document[]): [Document, Document][] {
  const firstWithKey = new Map<number, Document>();
  const firstWithText = new Map<string, Document>();
  const duplicates: [Document, Document][] = [];
  for (const doc of documents) {
    const key = sampleKey(doc.text);
    const holder = firstWithKey.get(key);
    if (holder === undefined) {
      firstWithKey.set(key, doc);
    } else if (holder.text === doc.text) {
      duplicates.push([doc, holder]);
    } else {
      const first = firstWithText.get(doc.text);
      if (first === undefined) firstWithText.set(doc.text, doc);
      else duplicates.push([doc, first]);
    }
  }
  return duplicates;
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
  const duplicates = findDuplicateTexts(documents).map(([doc, first]) => `${doc.id} = ${first.id}`);
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
