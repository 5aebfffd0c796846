/**
 * Corpus readers: turn the `<input...>` arguments of `fit`/`transform` into an ordered list of
 * documents. Inputs are folders, files (text, CSV/TSV, JSONL/NDJSON, JSON, any of them `.gz`) and
 * `-` (standard input). Documents come back in input order, then file order, then record order.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { decodeBytes, hasNulBytes } from "./decode.js";
import { listFolderFiles, type FolderFile, type FolderListing } from "./folder.js";
import { readGzipFile } from "./gzip.js";
import { convertFsError, WholeFileReader } from "./io.js";
import { parseJsonArray, parseJsonLines } from "./json.js";
import { mapWithConcurrency } from "./pool.js";
import { detectFormat, makeDocument, type SourceContext, type SourceFormat } from "./source.js";
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

/**
 * Sources read at the same time when reading waits on the thread pool (gzip files, standard input);
 * plain files are read synchronously (see `WholeFileReader`). Results keep input order whatever the timing.
 */
export const readConcurrency = 32;

/** A file to read: where it is, how to parse it, how to name it. */
export interface FileSource {
  path: string;
  gzip: boolean;
  format: SourceFormat;
  /** Inside a folder argument: binary files are skipped with a warning instead of failing. */
  inFolder: boolean;
  context: SourceContext;
}

/**
 * One unit of reading work (exported for the streaming reader, `stream.ts`). A folder's files keep
 * only their {@link FolderFile}; {@link fileSourceOf} builds the rest when the file is read.
 */
export type ReadTask =
  | { kind: "file"; source: FileSource }
  | { kind: "folderFile"; folder: FolderListing; file: FolderFile; options: ReadOptions }
  | { kind: "stdin"; context: SourceContext };

/** The file a "file" or "folderFile" task reads. */
export function fileSourceOf(task: Exclude<ReadTask, { kind: "stdin" }>): FileSource {
  if (task.kind === "file") return task.source;
  const { folder, file, options } = task;
  const { relativePath } = file;
  const { format, gzip } = detectFormat(relativePath.slice(relativePath.lastIndexOf("/") + 1), options.lines);
  const displayPath = folder.displayPrefix + relativePath;
  const context: SourceContext = { displayPath, idBase: relativePath, options };
  if (file.label !== undefined) context.folderLabel = file.label;
  return { path: folder.pathPrefix + relativePath, gzip, format, inFolder: true, context };
}

/**
 * Parses decoded text in the given format. The CSV reader (csv-parse) is loaded on the first CSV or
 * TSV source, so that other corpora do not pay for it; only then is the result a promise.
 */
export function parseSourceText(text: string, format: SourceFormat, context: SourceContext): Document[] | Promise<Document[]> {
  switch (format) {
    case "text":
      return parseWholeText(text, context);
    case "lines":
      return parseLines(text, context);
    case "csv":
    case "tsv":
      return import("./csv.js").then(({ parseDelimited }) => parseDelimited(text, format === "csv" ? "," : "\t", context));
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
    const folder = await listFolderFiles(input, input, warn);
    return folder.files.map((file) => ({ kind: "folderFile", folder, file, options }));
  }
  const name = basename(input);
  const { format, gzip } = detectFormat(name, options.lines);
  const context: SourceContext = { displayPath: input, idBase: name, options };
  return [{ kind: "file", source: { path: input, gzip, format, inFolder: false, context } }];
}

/**
 * Reads, decodes and parses one task; warnings go to `warn` (buffered per task by the caller).
 * Synchronous (no promise) for a file that is not gzip-compressed, the common case: a folder of
 * 10^4 text files then costs no promise per file.
 */
export function runTask(
  task: ReadTask,
  warn: Warn,
  stdin: () => NodeJS.ReadableStream,
  reader: WholeFileReader,
): Document[] | Promise<Document[]> {
  if (task.kind === "stdin") {
    const { context } = task;
    return readStreamBytes(stdin(), context.displayPath).then((bytes) =>
      parseBytes(bytes, context.options.inputFormat, context, false, warn),
    );
  }
  if (task.kind === "folderFile") {
    // The common case, a folder of plain texts, without the objects fileSourceOf builds for the others.
    const { folder, file, options } = task;
    const relativePath = file.relativePath;
    const { format, gzip } = detectFormat(relativePath.slice(relativePath.lastIndexOf("/") + 1), options.lines);
    if (format === "text" && !gzip) {
      const displayPath = folder.displayPrefix + relativePath;
      const bytes = reader.read(folder.pathPrefix + relativePath, displayPath, true);
      if (isBinary(bytes, displayPath, true, warn)) return [];
      return [makeDocument(relativePath, decodeBytes(bytes, displayPath, warn), file.label)];
    }
  }
  const source = fileSourceOf(task);
  const { context } = source;
  if (source.gzip) {
    return readGzipFile(source.path, context.displayPath).then((bytes) =>
      parseBytes(bytes, source.format, context, source.inFolder, warn),
    );
  }
  const bytes = reader.read(source.path, context.displayPath, task.kind === "folderFile");
  return parseBytes(bytes, source.format, context, source.inFolder, warn);
}

/**
 * Whether the bytes of a source are binary (NUL bytes in the first 8 KiB): inside a folder the file
 * is skipped with a warning (true); given directly it is an InputError.
 */
function isBinary(bytes: Buffer, displayPath: string, inFolder: boolean, warn: Warn): boolean {
  if (!hasNulBytes(bytes)) return false;
  if (inFolder) {
    warn(`${displayPath}: binary file skipped`);
    return true;
  }
  throw new InputError(
    `${displayPath}: binary file (NUL bytes in the first 8 KiB); give a text file, or convert UTF-16 text to UTF-8`,
  );
}

/** Checks, decodes and parses the bytes of one source (see {@link runTask}). */
function parseBytes(
  bytes: Buffer,
  format: SourceFormat,
  context: SourceContext,
  inFolder: boolean,
  warn: Warn,
): Document[] | Promise<Document[]> {
  if (isBinary(bytes, context.displayPath, inFolder, warn)) return [];
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
 * Bytes are decoded as UTF-8 (BOM dropped), else Latin-1 with one warning per file. Gzip files are
 * read {@link readConcurrency} at a time; warnings are emitted in document order.
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
  // Warnings of the few tasks that have any, by task index.
  const warnings = new Map<number, string[]>();
  const openStdin = (): NodeJS.ReadableStream => stdin ?? process.stdin;
  const reader = new WholeFileReader();
  const parts = await mapWithConcurrency(tasks, readConcurrency, (task, index) =>
    runTask(
      task,
      (message) => {
        const list = warnings.get(index);
        if (list === undefined) warnings.set(index, [message]);
        else list.push(message);
      },
      openStdin,
      reader,
    ),
  );
  const documents: Document[] = [];
  for (let i = 0; i < parts.length; i++) {
    const messages = warnings.get(i);
    if (messages !== undefined) for (const message of messages) warn(message);
    for (const document of parts[i]) documents.push(document);
  }
  if (documents.length === 0) throw describeNoDocuments(inputs);
  warnDuplicateIds(documents, warn);
  return documents;
}
