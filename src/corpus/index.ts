/**
 * Corpus readers: turn the `<input...>` arguments of `fit`/`transform` into an ordered list of
 * documents. Inputs are folders, files (text, CSV/TSV, JSONL/NDJSON, JSON, any of them `.gz`) and
 * `-` (standard input). Documents come back in input order, then file order, then record order.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { parseDelimited } from "./csv.js";
import { decodeBytes, hasNulBytes } from "./decode.js";
import { listFolderFiles } from "./folder.js";
import { readGzipFile } from "./gzip.js";
import { readFileBytes, convertFsError } from "./io.js";
import { parseJsonArray, parseJsonLines } from "./json.js";
import { mapWithConcurrency } from "./pool.js";
import { detectFormat, type SourceContext, type SourceFormat } from "./source.js";
import { readStreamBytes } from "./stdin.js";
import { parseLines, parseWholeText } from "./text.js";
import type { Document, ReadOptions, Warn } from "./types.js";

export type { Document, ReadOptions, Warn } from "./types.js";

/** Defaults of the reader flags: `--text-column text`, `--text-field text`, `--input-format lines`. */
export const defaultReadOptions: ReadOptions = Object.freeze({
  lines: false,
  textColumn: "text",
  textField: "text",
  inputFormat: "lines",
});

/** Files read at the same time (fs.promises); results keep input order whatever the timing. */
export const readConcurrency = 32;

/** One unit of reading work (exported for the streaming reader, `stream.ts`). */
export type ReadTask =
  | {
      kind: "file";
      path: string;
      gzip: boolean;
      format: SourceFormat;
      /** Inside a folder argument: binary files are skipped with a warning instead of failing. */
      inFolder: boolean;
      context: SourceContext;
    }
  | { kind: "stdin"; context: SourceContext };

/** Parses decoded text in the given format. */
export function parseSourceText(text: string, format: SourceFormat, context: SourceContext): Document[] {
  switch (format) {
    case "text":
      return parseWholeText(text, context);
    case "lines":
      return parseLines(text, context);
    case "csv":
      return parseDelimited(text, ",", context);
    case "tsv":
      return parseDelimited(text, "\t", context);
    case "jsonl":
      return parseJsonLines(text, context);
    case "json":
      return parseJsonArray(text, context);
  }
}

/** Expands one argument into read tasks (a folder into its files, sorted). */
export async function planInput(input: string, options: ReadOptions, warn: Warn): Promise<ReadTask[]> {
  if (input === "-") {
    return [{ kind: "stdin", context: { displayPath: "stdin", idBase: "stdin", options } }];
  }
  let stats;
  try {
    stats = await stat(input);
  } catch (error) {
    throw convertFsError(error, input);
  }
  if (stats.isDirectory()) {
    const files = await listFolderFiles(input, input, warn);
    return files.map((file) => {
      const { format, gzip } = detectFormat(basename(file.relativePath), options.lines);
      const context: SourceContext = { displayPath: file.displayPath, idBase: file.relativePath, options };
      if (file.label !== undefined) context.folderLabel = file.label;
      return { kind: "file", path: file.path, gzip, format, inFolder: true, context };
    });
  }
  const name = basename(input);
  const { format, gzip } = detectFormat(name, options.lines);
  return [{ kind: "file", path: input, gzip, format, inFolder: false, context: { displayPath: input, idBase: name, options } }];
}

/** Reads, decodes and parses one task; warnings go to `warn` (buffered per task by the caller). */
export async function runTask(task: ReadTask, warn: Warn, stdin: () => NodeJS.ReadableStream): Promise<Document[]> {
  const { context } = task;
  let bytes: Buffer;
  let format: SourceFormat;
  if (task.kind === "stdin") {
    bytes = await readStreamBytes(stdin(), context.displayPath);
    format = context.options.inputFormat;
  } else {
    bytes = task.gzip ? await readGzipFile(task.path, context.displayPath) : readFileBytes(task.path, context.displayPath);
    format = task.format;
  }
  if (hasNulBytes(bytes)) {
    if (task.kind === "file" && task.inFolder) {
      warn(`${context.displayPath}: binary file skipped`);
      return [];
    }
    throw new InputError(
      `${context.displayPath}: binary file (NUL bytes in the first 8 KiB); give a text file, or convert UTF-16 text to UTF-8`,
    );
  }
  return parseSourceText(decodeBytes(bytes, context.displayPath, warn), format, context);
}

/** The warning about repeated document ids: how many repeats, and the first id repeated. */
export function describeDuplicateIds(duplicates: number, first: string): string {
  return (
    `${duplicates} document id${duplicates === 1 ? "" : "s"} repeated (first: "${first}"); ` +
    "give inputs distinct names or use --id-column/--id-field"
  );
}

/** Warns once when some document ids occur more than once (e.g. two files with the same name). */
function warnDuplicateIds(documents: Document[], warn: Warn): void {
  const seen = new Set<string>();
  let duplicates = 0;
  let first: string | undefined;
  for (const document of documents) {
    if (seen.has(document.id)) {
      duplicates++;
      first ??= document.id;
    } else {
      seen.add(document.id);
    }
  }
  if (first !== undefined) warn(describeDuplicateIds(duplicates, first));
}

/** The error for inputs that yield no document at all. */
export function describeNoDocuments(inputs: string[]): InputError {
  const names = inputs.map((input) => (input === "-" ? "standard input" : input)).join(", ");
  return new InputError(
    `no documents found in ${names}; give files with text (hidden and binary files are skipped, and blank lines with --lines)`,
  );
}

/** The usage checks of the input list: at least one input, standard input at most once. */
export function checkInputList(inputs: string[]): void {
  if (inputs.length === 0) {
    throw new UsageError("no input given; name files, folders or - for standard input");
  }
  if (inputs.filter((input) => input === "-").length > 1) {
    throw new UsageError("- (standard input) given more than once; give it once");
  }
}

/**
 * Reads every input and returns its documents: inputs in the order given, a folder's files sorted
 * by relative path (UTF-16 code units), a file's records in file order.
 *
 * - folder: every regular file below it (symlinks followed, hidden entries skipped); id = relative
 *   path (`relpath:N` for records, `relpath:LINE` with `lines`), label = first sub-folder;
 * - `.txt`/no or unknown extension: one document, id = base name (`lines`: one per non-empty line,
 *   id `name:LINE`); `.csv`/`.tsv`, `.jsonl`/`.ndjson`, `.json`: records; `X.gz`: gunzip, then as X;
 * - `-`: `stdin` (default `process.stdin`) in `options.inputFormat`, ids `stdin`, `stdin:N`.
 *
 * Bytes are decoded as UTF-8 (BOM dropped), else Latin-1 with one warning per file. Files are read
 * {@link readConcurrency} at a time; warnings are emitted in document order.
 *
 * @throws InputError (exit 3) for a missing/unreadable path, malformed CSV/JSON (file and line),
 *   a binary file given directly, or when no input yields any document.
 * @throws UsageError (exit 2) when no input is given or `-` is given twice.
 */
export async function readCorpus(
  inputs: string[],
  options: ReadOptions,
  warn: Warn,
  stdin?: NodeJS.ReadableStream,
): Promise<Document[]> {
  checkInputList(inputs);
  const tasks: ReadTask[] = [];
  for (const input of inputs) {
    for (const task of await planInput(input, options, warn)) tasks.push(task);
  }
  const warnings: string[][] = tasks.map(() => []);
  const openStdin = (): NodeJS.ReadableStream => stdin ?? process.stdin;
  const parts = await mapWithConcurrency(tasks, readConcurrency, (task, index) =>
    runTask(task, (message) => warnings[index].push(message), openStdin),
  );
  const documents: Document[] = [];
  for (let i = 0; i < parts.length; i++) {
    for (const message of warnings[i]) warn(message);
    for (const document of parts[i]) documents.push(document);
  }
  if (documents.length === 0) throw describeNoDocuments(inputs);
  warnDuplicateIds(documents, warn);
  return documents;
}
