/** One input document: id (stable, unique within a corpus), raw text, optional label. */
export interface Document {
  id: string;
  text: string;
  label?: string;
}

/** Options of the corpus readers (flags of `fit`/`transform`, camelCased). */
export interface ReadOptions {
  /** `.txt`/no-extension files: one non-empty line = one document. */
  lines: boolean;
  /** CSV/TSV column names. */
  textColumn: string;
  idColumn?: string;
  labelColumn?: string;
  /** JSON/JSONL field names. */
  textField: string;
  idField?: string;
  labelField?: string;
  /** Format of standard input (`-`): "lines" (default), "text", "csv", "tsv", "jsonl", "json". */
  inputFormat: "lines" | "text" | "csv" | "tsv" | "jsonl" | "json";
}

/** Receives warnings (one line each, no trailing newline); the CLI prints them to stderr. */
export type Warn = (message: string) => void;
