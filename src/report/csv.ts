/**
 * CSV files of `--out DIR` (RFC 4180: comma-separated, CRLF-free, fields quoted when they hold a
 * comma, a quote or a line break; numbers by the JSON formatter).
 *   topics.csv      topic,share,npmi,rank,term,weight   (one row per top word, tidy/long form)
 *   doc-topics.csv  id,label,topic,topic_0,...,topic_{k-1}
 */
import type { FitReport } from "./fit-report.js";
import { formatNumber } from "./json.js";

/** Quotes a CSV field when needed. */
export function csvField(value: string | number | null | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return formatNumber(value);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(",") + "\n";
}

export function renderTopicsCsv(report: FitReport): string {
  const out = [csvLine(["topic", "share", "npmi", "rank", "term", "weight"])];
  for (const topic of report.topics) {
    topic.words.forEach((w, rank) => {
      out.push(csvLine([topic.id, topic.share, topic.coherence?.npmi, rank + 1, w.term, w.weight]));
    });
  }
  return out.join("");
}

export function renderDocTopicsCsv(report: FitReport): string {
  const k = report.topics.length;
  const header = ["id", "label", "topic"];
  for (let t = 0; t < k; t++) header.push(`topic_${t}`);
  const out = [csvLine(header)];
  for (const doc of report.documents) {
    out.push(csvLine([doc.id, doc.label, doc.topic, ...Array.from(doc.weights)]));
  }
  return out.join("");
}
