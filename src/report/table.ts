/**
 * Tables for a person at a terminal. The only chalk importer; the caller decides whether to colour
 * (a TTY without NO_COLOR, or FORCE_COLOR), so this module never looks at the process.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { DocumentReport, FitReport } from "./fit-report.js";
import { formatNumber } from "./json.js";
import { escapeControlCharacters } from "./terminal.js";

export interface TableOptions {
  /** Colour level 0 (none) to 3. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Show one row per document. */
  docs: boolean;
  /** Show the N documents with the largest weight under each topic (0: none). */
  topDocs: number;
  /** Texts of the documents, in report order, for snippets (optional). */
  texts?: readonly string[];
}

/** Right-pads or left-pads cells of each column to a common width (by UTF-16 length). */
export function alignColumns(rows: string[][], rightAligned: boolean[], visibleLength = (s: string) => s.length): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, visibleLength(cell))));
  }
  return rows.map((row) =>
    row
      .map((cell, c) => {
        if (c === row.length - 1 && !rightAligned[c]) return cell; // no trailing spaces
        const pad = " ".repeat(widths[c] - visibleLength(cell));
        return rightAligned[c] ? pad + cell : cell + pad;
      })
      .join("  "),
  );
}

/** A chalk instance at an explicit colour level (0 = plain text): the renderers' only way to colour. */
export function makeChalk(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({ level });
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const fixed = (x: number | null, digits: number): string =>
  x === null || !Number.isFinite(x) ? "-" : (Object.is(x, -0) ? 0 : x).toFixed(digits);

/**
 * One line of a document's text: whitespace folded, cut at `width` characters with an ellipsis,
 * control characters escaped (`\x1b`), so that the corpus cannot drive the terminal.
 */
export function snippet(text: string, width = 60): string {
  const folded = text.replace(/\s+/g, " ").trim();
  if (folded.length <= width) return escapeControlCharacters(folded);
  return escapeControlCharacters(folded.slice(0, width - 1)) + "…";
}

function documentShare(doc: DocumentReport): number {
  let sum = 0;
  for (const w of doc.weights) sum += w;
  return sum > 0 ? doc.weights[doc.topic] / sum : 0;
}

function headline(report: FitReport, c: ChalkInstance): string {
  const { corpus, fit } = report;
  const parts = [
    `${report.topics.length} topics`,
    `${corpus.documents.toLocaleString("en-US")} documents`,
    `${corpus.terms.toLocaleString("en-US")} terms`,
  ];
  let line = c.bold(parts.join(", "));
  if (fit) {
    const state = fit.converged ? "converged" : c.yellow("not converged");
    line += ` (${fit.loss}, ${fit.solver}, ${fit.iterations} iterations, ${state})`;
  }
  return line;
}

function summaryLine(report: FitReport): string {
  const parts: string[] = [];
  if (report.fit) {
    parts.push(`objective ${formatNumber(report.fit.objective)}`);
    parts.push(`relative error ${fixed(report.fit.relativeError, 4)}`);
  }
  const m = report.metrics;
  if (m) {
    parts.push(`NPMI ${fixed(m.npmi, 3)}`, `diversity ${fixed(m.diversity, 3)}`);
    if (m.nmi !== undefined) parts.push(`NMI ${fixed(m.nmi, 3)}`);
    if (m.ari !== undefined) parts.push(`ARI ${fixed(m.ari, 3)}`);
    if (m.purity !== undefined) parts.push(`purity ${fixed(m.purity, 3)}`);
  }
  return parts.join(" · ");
}

/** Renders a fit or transform report as text (ends with a newline). */
export function renderTable(report: FitReport, options: TableOptions): string {
  const c = makeChalk(options.colorLevel);
  const out: string[] = [headline(report, c), ""];

  const rows: string[][] = [["topic", "share", "npmi", "top words"]];
  for (const topic of report.topics) {
    rows.push([
      String(topic.id),
      percent(topic.share),
      topic.coherence ? fixed(topic.coherence.npmi, 3) : "",
      escapeControlCharacters(topic.words.map((w) => w.term).join(" ")),
    ]);
  }
  const lines = alignColumns(rows, [true, true, true, false]);
  out.push(c.bold(lines[0]));
  const docsByTopic = options.topDocs > 0 ? topDocumentsByTopic(report, options.topDocs) : null;
  lines.slice(1).forEach((line, t) => {
    out.push(line);
    if (docsByTopic) {
      for (const d of docsByTopic[t]) {
        const doc = report.documents[d];
        const text = options.texts ? "  " + c.dim(snippet(options.texts[d])) : "";
        out.push(`        ${c.cyan(escapeControlCharacters(doc.id))}  ${fixed(doc.weights[t], 4)}${text}`);
      }
    }
  });

  if (options.docs) {
    out.push("");
    const docRows: string[][] = [["document", "label", "topic", "share", "text"]];
    report.documents.forEach((doc, d) => {
      docRows.push([
        escapeControlCharacters(doc.id),
        escapeControlCharacters(doc.label ?? ""),
        String(doc.topic),
        percent(documentShare(doc)),
        options.texts ? snippet(options.texts[d]) : "",
      ]);
    });
    const docLines = alignColumns(docRows, [false, false, true, true, false]);
    out.push(c.bold(docLines[0]), ...docLines.slice(1).map((l) => l.trimEnd()));
  }

  const summary = summaryLine(report);
  if (summary) out.push("", summary);
  return out.join("\n") + "\n";
}

/** For each topic, the indices of the n documents with the largest weight (ties by lower index). */
export function topDocumentsByTopic(report: FitReport, n: number): number[][] {
  const k = report.topics.length;
  const result: number[][] = [];
  for (let t = 0; t < k; t++) {
    const order = report.documents.map((_, d) => d).filter((d) => report.documents[d].weights[t] > 0);
    order.sort((a, b) => report.documents[b].weights[t] - report.documents[a].weights[t] || a - b);
    result.push(order.slice(0, n));
  }
  return result;
}
