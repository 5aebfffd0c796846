/**
 * The streaming reader of `fit --online` and `update`: the documents of `readCorpus`, in the same
 * order, with the same ids, labels, warnings and errors, handed out one at a time, so that a pass
 * over a corpus larger than memory holds at most one file (or one piece of a large file).
 *
 * - Folders, `.txt`, `.csv`/`.tsv` and `.json` files are read whole, one file at a time, by the
 *   readers of `readCorpus` (a CSV or JSON file must fit in memory).
 * - `.jsonl`/`.ndjson` files and `--lines` text files (also `.gz`, and standard input when it can be
 *   reopened) larger than {@link STREAM_THRESHOLD_BYTES} are read as a stream of lines. Their encoding
 *   is decided on the whole file as `readCorpus` decides it (UTF-8, else Latin-1 with one warning), so
 *   such a file is read twice on the first pass: a scan for NUL bytes and UTF-8 validity, then the
 *   documents. A {@link StreamCache} remembers the scan for later passes.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { binaryProbeBytes } from "./decode.js";
import { convertGunzipError } from "./gzip.js";
import { checkInputList, describeDuplicateIds, describeNoDocuments, fileSourceOf, planInput, runTask, type ReadTask } from "./index.js";
import { convertFsError, getErrorCode, WholeFileReader } from "./io.js";
import { parseJsonLine } from "./json.js";
import type { SourceContext } from "./source.js";
import { parseLine } from "./text.js";
import type { Document, ReadOptions, Warn } from "./types.js";

/** Line-based files (lines, JSONL) at least this large are streamed; smaller ones are read whole. */
export const STREAM_THRESHOLD_BYTES = 16 * 1024 * 1024;

/** Bytes read (and decompressed) at a time from a streamed file: fewer round trips between chunks. */
const READ_CHUNK_BYTES = 1 << 20;

/** What the first pass learnt about a streamed source, keyed by its display path. */
export interface SourceScan {
  /** NUL bytes in the first 8 KiB. */
  binary: boolean;
  /** The whole content is valid UTF-8. */
  utf8: boolean;
}

/** Scans of streamed sources, shared by the passes over one corpus. */
export type StreamCache = Map<string, SourceScan>;

export interface StreamCorpusOptions {
  /**
   * Opens standard input (`-`) afresh: called once per pass, and twice on a pass that scans it (the
   * CLI reopens a spooled copy, so that `-` can be read several times). When given, `-` in the
   * lines or JSONL format is streamed. Default: `process.stdin`, read whole, once.
   */
  openStdin?: () => NodeJS.ReadableStream;
  /**
   * Warn once about repeated ids, as readCorpus does (default true). Keeps a 64-bit digest of every
   * id: 16 bytes per document, the reader's only memory that grows with the corpus.
   */
  checkDuplicateIds?: boolean;
  /** Streamed-file threshold (default {@link STREAM_THRESHOLD_BYTES}); tests lower it. */
  streamThresholdBytes?: number;
  /** Remembers the encoding scan of streamed sources between passes. */
  cache?: StreamCache;
}

/**
 * Set of strings kept as 64-bit digests (two independent 32-bit hashes of the UTF-16 code units)
 * in an open-addressing table: 8 bytes per entry, at most half the slots used. Two different strings
 * collide with probability about 2^-64 per pair (for a million strings, about 3e-8 overall).
 */
export class DigestSet {
  private slots: Int32Array = new Int32Array(2 * 1024);
  private mask = 1023;
  /** Entries stored. */
  size = 0;

  /** Adds `s`; returns false when it (or a string with the same digest) was there already. */
  add(s: string): boolean {
    let a = 0x811c9dc5 | 0;
    let b = 0x9747b28c | 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = fmix32(a ^ s.length);
    b = fmix32(Math.imul(b, 0x27d4eb2d) ^ s.length);
    if (a === 0 && b === 0) b = 1; // (0, 0) marks an empty slot
    let slot = a & this.mask;
    const slots = this.slots;
    for (;;) {
      const x = slots[2 * slot];
      const y = slots[2 * slot + 1];
      if (x === 0 && y === 0) break;
      if (x === a && y === b) return false;
      slot = (slot + 1) & this.mask;
    }
    slots[2 * slot] = a;
    slots[2 * slot + 1] = b;
    if (++this.size * 2 > this.mask + 1) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const nSlots = 2 * (this.mask + 1);
    this.slots = new Int32Array(2 * nSlots);
    this.mask = nSlots - 1;
    for (let s = 0; s < old.length; s += 2) {
      const a = old[s];
      const b = old[s + 1];
      if (a === 0 && b === 0) continue;
      let slot = a & this.mask;
      while (this.slots[2 * slot] !== 0 || this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = a;
      this.slots[2 * slot + 1] = b;
    }
  }
}

/** murmur3's 32-bit finalizer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A source read as a stream of lines: how to open its bytes, and how its lines become documents. */
interface LineSource {
  open: () => NodeJS.ReadableStream;
  gzip: boolean;
  parse: (line: string, lineNumber: number, context: SourceContext) => Document | null;
  context: SourceContext;
  inFolder: boolean;
}

/** The decompressed bytes of a source, as an async iterable of chunks; errors as InputErrors. */
async function* readChunks(source: LineSource): AsyncGenerator<Buffer, void, undefined> {
  const { displayPath } = source.context;
  let stream: NodeJS.ReadableStream;
  try {
    stream = source.open();
  } catch (error) {
    throw convertFsError(error, displayPath);
  }
  let input: AsyncIterable<Buffer | string> = stream as AsyncIterable<Buffer | string>;
  if (source.gzip) {
    const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
    pipeline(stream, gunzip, () => {});
    input = gunzip;
  }
  try {
    for await (const chunk of input) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  } catch (error) {
    if (source.gzip) throw convertGunzipError(error, displayPath);
    if (displayPath === "stdin" && source.context.idBase === "stdin") {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InputError(`${displayPath}: cannot read (${getErrorCode(error) ?? reason})`);
    }
    throw convertFsError(error, displayPath);
  }
}

/**
 * Scans a source for NUL bytes in its first 8 KiB and for UTF-8 validity of the whole (stops at the
 * first invalid byte once the first 8 KiB are checked).
 */
async function scanSource(source: LineSource): Promise<SourceScan> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let seen = 0;
  let binary = false;
  let utf8 = true;
  for await (const chunk of readChunks(source)) {
    if (seen < binaryProbeBytes && chunk.subarray(0, binaryProbeBytes - seen).indexOf(0) !== -1) binary = true;
    seen += chunk.length;
    if (utf8) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        utf8 = false;
      }
    }
    if (!utf8 && seen >= binaryProbeBytes) break;
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  return { binary, utf8 };
}

/**
 * The documents of a line source, as `parseLines` / `parseJsonLines` give them from the whole text:
 * physical lines split at "\n", a "\r" before the "\n" dropped, 1-based line numbers, a BOM dropped
 * when the source is UTF-8.
 */
async function* streamLineSource(
  source: LineSource,
  warn: Warn,
  cache: StreamCache | undefined,
): AsyncGenerator<Document, void, undefined> {
  const { context } = source;
  const key = `${source.gzip ? "gz" : "raw"}:${context.displayPath}:${context.idBase}`;
  let scan = cache?.get(key);
  if (scan === undefined) {
    scan = await scanSource(source);
    cache?.set(key, scan);
  }
  if (scan.binary) {
    if (source.inFolder) {
      warn(`${context.displayPath}: binary file skipped`);
      return;
    }
    throw new InputError(
      `${context.displayPath}: binary file (NUL bytes in the first 8 KiB); give a text file, or convert UTF-16 text to UTF-8`,
    );
  }
  if (!scan.utf8) warn(`${context.displayPath}: not valid UTF-8, read as Latin-1`);
  const decoder = scan.utf8 ? new TextDecoder("utf-8") : null; // drops a leading BOM, as decodeBytes does
  let carry = "";
  let lineNumber = 0;
  const batch: Document[] = [];
  const cut = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      lineNumber++;
      const document = source.parse(text.slice(start, stop), lineNumber, context);
      if (document !== null) batch.push(document);
      start = end + 1;
    }
    carry = text.slice(start);
  };
  for await (const chunk of readChunks(source)) {
    const decoded = decoder !== null ? decoder.decode(chunk, { stream: true }) : chunk.toString("latin1");
    if (decoded.indexOf("\n") === -1) {
      carry += decoded; // a long line: scan it once its end has come
      continue;
    }
    cut(carry + decoded);
    for (const document of batch) yield document;
    batch.length = 0;
  }
  if (decoder !== null) carry += decoder.decode();
  if (carry.length > 0) {
    lineNumber++;
    const document = source.parse(carry, lineNumber, context);
    if (document !== null) yield document;
  }
}

/** The line source of a task when it is streamed, else null (read whole by readCorpus's reader). */
async function lineSourceOf(task: ReadTask, options: StreamCorpusOptions): Promise<LineSource | null> {
  if (task.kind === "stdin") {
    const format = task.context.options.inputFormat;
    if ((format !== "lines" && format !== "jsonl") || options.openStdin === undefined) return null;
    const parse = format === "lines" ? parseLine : parseJsonLine;
    return { open: options.openStdin, gzip: false, parse, context: task.context, inFolder: false };
  }
  const source = fileSourceOf(task);
  const { format } = source;
  if (format !== "lines" && format !== "jsonl") return null;
  const parse = format === "lines" ? parseLine : parseJsonLine;
  const threshold = options.streamThresholdBytes ?? STREAM_THRESHOLD_BYTES;
  let size: number;
  try {
    size = (await stat(source.path)).size;
  } catch (error) {
    throw convertFsError(error, source.context.displayPath);
  }
  // A gzip file holds several times its size in text.
  if ((source.gzip ? 4 * size : size) < threshold) return null;
  const path = source.path;
  return { open: () => createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), gzip: source.gzip, parse, context: source.context, inFolder: source.inFolder };
}

/**
 * The documents of `inputs`, one at a time, in readCorpus's order and with its ids, labels and
 * warnings (see {@link readCorpus}); one pass over the inputs per call. Warnings of a file come
 * before its documents; the repeated-id warning comes after the last document. Unlike readCorpus,
 * files are read one after the other, so a failing file comes after the warnings of the files before it.
 *
 * @throws UsageError when no input is given or `-` is given twice; InputError as readCorpus
 *   (missing files, malformed CSV/JSON, binary files given directly, no documents at all).
 */
export async function* streamCorpus(
  inputs: string[],
  options: ReadOptions,
  warn: Warn,
  streamOptions: StreamCorpusOptions = {},
): AsyncGenerator<Document, void, undefined> {
  checkInputList(inputs);
  const tasks: ReadTask[] = [];
  for (const input of inputs) {
    for (const task of await planInput(input, options, warn)) tasks.push(task);
  }
  const ids = streamOptions.checkDuplicateIds === false ? null : new DigestSet();
  let duplicates = 0;
  let firstDuplicate: string | undefined;
  let count = 0;
  const openStdin = (): NodeJS.ReadableStream => (streamOptions.openStdin ?? (() => process.stdin))();
  const reader = new WholeFileReader();
  for (const task of tasks) {
    const lineSource = await lineSourceOf(task, streamOptions);
    const documents: Iterable<Document> | AsyncIterable<Document> =
      lineSource !== null ? streamLineSource(lineSource, warn, streamOptions.cache) : await runTask(task, warn, openStdin, reader);
    for await (const document of documents) {
      count++;
      if (ids !== null && !ids.add(document.id)) {
        duplicates++;
        firstDuplicate ??= document.id;
      }
      yield document;
    }
  }
  if (count === 0) throw describeNoDocuments(inputs);
  if (firstDuplicate !== undefined) warn(describeDuplicateIds(duplicates, firstDuplicate));
}

/**
 * Groups a stream of documents into arrays of `size` (the last one shorter).
 * @param size >= 1
 */
export async function* batchDocuments(
  documents: AsyncIterable<Document>,
  size: number,
): AsyncGenerator<Document[], void, undefined> {
  let batch: Document[] = [];
  for await (const document of documents) {
    batch.push(document);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
