/** Plain-text sources: one document per file, or one per non-empty line (`--lines`). */
import type { Document } from "./types.js";
import { makeDocument, type SourceContext } from "./source.js";

/** True when `line` is empty or only whitespace (such lines are skipped by "lines" and JSONL). */
export function isBlankLine(line: string): boolean {
  return line.trim().length === 0;
}

/**
 * Calls `visit(line, lineNumber)` for every physical line of `text` (1-based numbers). Line ends
 * are "\n" and "\r\n"; the terminator is not part of `line`. A final line without terminator is
 * visited; the empty remainder after a final newline is not.
 */
export function visitLines(text: string, visit: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    const next = end === -1 ? text.length : end + 1;
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 && end < text.length ? end - 1 : end;
    lineNumber++;
    visit(text.slice(start, stop), lineNumber);
    start = next;
  }
}

/** The whole text as one document with id `idBase` and the folder label, if any. */
export function parseWholeText(text: string, context: SourceContext): Document[] {
  return [makeDocument(context.idBase, text, context.folderLabel)];
}

/**
 * One document per line that is not empty or whitespace-only; id `idBase:LINE` with the 1-based
 * physical line number; the label is the folder label, if any.
 */
export function parseLines(text: string, context: SourceContext): Document[] {
  const documents: Document[] = [];
  visitLines(text, (line, lineNumber) => {
    const document = parseLine(line, lineNumber, context);
    if (document !== null) documents.push(document);
  });
  return documents;
}

/** The document of one physical line of a "lines" source, or null for a blank line (see {@link parseLines}). */
export function parseLine(line: string, lineNumber: number, context: SourceContext): Document | null {
  return isBlankLine(line) ? null : makeDocument(`${context.idBase}:${lineNumber}`, line, context.folderLabel);
}
