/** What the format readers share: where a text came from and how its documents are named. */
import type { Document, ReadOptions } from "./types.js";

/** Formats a source can be read as. "text" = one document, "lines" = one per non-empty line. */
export type SourceFormat = "text" | "lines" | "csv" | "tsv" | "jsonl" | "json";

/** Where a decoded text came from, for ids and error messages. */
export interface SourceContext {
  /** The path as the user would recognise it (argument, or folder argument + relative path), or "stdin". */
  displayPath: string;
  /**
   * Base of the document ids: the file's base name for a file argument, the path relative to the
   * folder for a file inside a folder, "stdin" for standard input. A "text" source's one document
   * has exactly this id; other formats append `:N`.
   */
  idBase: string;
  /** The first sub-folder of a file inside a folder argument (records: used when no label value). */
  folderLabel?: string;
  options: ReadOptions;
}

/** Builds a Document, leaving out `label` when there is none (so JSON output has no `label` key). */
export function makeDocument(id: string, text: string, label: string | undefined): Document {
  return label === undefined ? { id, text } : { id, text, label };
}

/**
 * Format of a file from its name: `.csv`, `.tsv`, `.jsonl`/`.ndjson`, `.json` (case-insensitive);
 * anything else (`.txt`, no extension, unknown extensions) is plain text, read as "lines" when
 * `lines` is set. `X.gz` has the format of `X` and `gzip: true`.
 */
export function detectFormat(fileName: string, lines: boolean): { format: SourceFormat; gzip: boolean } {
  let name = fileName.toLowerCase();
  const gzip = name.endsWith(".gz");
  if (gzip) name = name.slice(0, -3);
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1) : "";
  switch (ext) {
    case "csv":
      return { format: "csv", gzip };
    case "tsv":
      return { format: "tsv", gzip };
    case "jsonl":
    case "ndjson":
      return { format: "jsonl", gzip };
    case "json":
      return { format: "json", gzip };
    default:
      return { format: lines ? "lines" : "text", gzip };
  }
}
