/**
 * `nmf-topics fit --online`: topics of a corpus larger than memory, in passes over the input.
 *
 * 1. Vocabulary pass: the documents stream by once (never held together) to count document
 *    frequencies, resolve the vocabulary and idf exactly as the batch vectorizer would, fingerprint
 *    the corpus and warn (as `fit` warns) about repeated ids and duplicate texts.
 * 2. Training passes (at most `--passes`): TF-IDF rows in batches of `--batch-size`, each batch a
 *    mini-batch step of scikit-learn's MiniBatchNMF rule (src/online), until its stopping rule fires.
 * 3. Evaluation pass: each document's W is solved with H fixed (the `transform` solver), the objective,
 *    shares, coherence and label agreement accumulate, and (for JSON, NDJSON or `--out`) the rows of W
 *    go to a temporary spool file.
 * 4. Output: the topics, then the documents streamed from the spool in input order, each written as
 *    it is read: the same schema, keys, number formatter and bytes as `fit`, with the hash computed
 *    over the same bytes as they pass.
 *
 * Memory: the vocabulary, H and its two accumulators (3 x topics x terms numbers), one batch, and
 * 16 bytes per document for the repeated-id and duplicate-text checks.
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { batchDocuments, DigestSet, streamCorpus, type StreamCache } from "../../corpus/stream.js";
import type { Document, ReadOptions, Warn } from "../../corpus/types.js";
import { InputError, UsageError } from "../../errors.js";
import { createExecutor } from "../../parallel/index.js";
import type { CsrMatrix } from "../../linalg/types.js";
import { MODEL_SCHEMA, serializeModel, type Model } from "../../model.js";
import { topTermIndices, type NmfOptions } from "../../nmf/index.js";
import {
  defaultOnlineSettings,
  solveBatchW,
  startOnlineNmf,
  stepOnlineNmf,
  StreamingEvaluation,
  type OnlineNmfOptions,
  type OnlineNmfState,
  type StreamEvaluationResult,
} from "../../online/index.js";
import { csvField, renderTopicsCsv } from "../../report/csv.js";
import { FIT_SCHEMA, finiteOrNull, topicWords, type DocumentReport, type FitReport, type TopicReport } from "../../report/fit-report.js";
import { stringifyJson, type JsonValue } from "../../report/json.js";
import { renderTable } from "../../report/table.js";
import { StreamingVocabulary } from "../../text/stream.js";
import { createTextTransformer } from "../../text/vectorizer.js";
import { createRng } from "../../linalg/random.js";
import type { VectorizerState } from "../../text/index.js";
import { colorLevel, makeProgress, makeWarn, removePendingTemps, writeFilesAtomically, writeStdout } from "../io.js";
import {
  defaultOnlinePasses,
  fitCommandOptionsFrom,
  onlineSettingsFrom,
  type OutputFormat,
  type RawOptions,
} from "../options.js";
import { paramsOf } from "./fit.js";

/** The online solver's name in `fit.solver`: multiplicative updates of H accumulated over mini-batches. */
export const ONLINE_SOLVER = "online-mu";

// ---------------------------------------------------------------------------------------------
// Temporary files (the stdin spool, the W spool, files of --out before their rename)

const temporaryPaths = new Set<string>();
let cleanupInstalled = false;

/** Removes the temporary files and folders of this module (and those of io.ts on SIGINT). */
function removeTemporaryPaths(): void {
  for (const path of temporaryPaths) rmSync(path, { recursive: true, force: true });
  temporaryPaths.clear();
}

/** From now on an exit or Ctrl-C removes the temporary files; Ctrl-C exits 130. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once("exit", removeTemporaryPaths);
  process.once("SIGINT", () => {
    removeTemporaryPaths();
    removePendingTemps();
    process.exit(130);
  });
}

/** A fresh private folder under the system's temporary folder, removed at exit. */
export function makeTemporaryFolder(): string {
  installCleanup();
  const dir = mkdtempSync(join(tmpdir(), "nmf-topics-online-"));
  temporaryPaths.add(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Passes over the input

/** Repeated passes over the same inputs. */
export interface CorpusPasses {
  /** One pass: the first warns (and checks repeated ids), later passes are silent. */
  read(first: boolean): AsyncGenerator<Document, void, undefined>;
  close(): void;
}

/**
 * Opens `inputs` for several passes. Standard input (`-`) is copied once to a temporary file, so that
 * it can be read again; the copy is removed by `close()` (and at exit).
 */
export async function openCorpusPasses(inputs: string[], read: ReadOptions, warn: Warn): Promise<CorpusPasses> {
  let spool: string | null = null;
  if (inputs.includes("-")) {
    const dir = makeTemporaryFolder();
    spool = join(dir, "stdin");
    try {
      await pipeline(process.stdin, createWriteStream(spool));
    } catch (error) {
      throw new InputError(`stdin: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  const cache: StreamCache = new Map();
  const stdinPath = spool;
  const silent: Warn = () => {};
  return {
    read: (first) =>
      streamCorpus(inputs, read, first ? warn : silent, {
        checkDuplicateIds: first,
        cache,
        ...(stdinPath !== null ? { openStdin: () => createReadStream(stdinPath) } : {}),
      }),
    close: () => {
      if (stdinPath !== null) {
        rmSync(dirname(stdinPath), { recursive: true, force: true });
        temporaryPaths.delete(dirname(stdinPath));
      }
    },
  };
}

/** The error when a later pass does not see the documents of the first. */
export function inputChanged(first: number, now: number): InputError {
  return new InputError(
    `the input changed while it was read (${first} documents in the first pass, ${now} now); the streaming commands read their input several times: keep it unchanged during the run`,
  );
}

/** What the vocabulary pass learns. */
export interface FirstPass {
  nDocs: number;
  fingerprint: string;
  /** Label code of each label (sorted names), or null when some document has no label or there are too many labels. */
  labelIndex: Map<string, number> | null;
  duplicateTexts: number;
  duplicateExamples: string[];
  /** The texts of a uniform random sample of the documents (in input order), when asked for. */
  sample: string[];
}

/** Distinct labels kept for the label metrics; beyond this the labels are not categories. */
export const MAX_LABELS = 100_000;

/**
 * Reads the documents once: feeds each text to `onText`, fingerprints the corpus (sha256 of the
 * ordered id, NUL, text, NUL, as `fingerprintDocuments`), collects the label names, counts texts
 * seen before and keeps a seeded uniform sample of `sample.size` texts (reservoir sampling).
 */
export async function readFirstPass(
  documents: AsyncIterable<Document>,
  onText: (text: string) => void,
  sample: { size: number; seed: number } | null = null,
): Promise<FirstPass> {
  const hash = createHash("sha256");
  // Reservoir sampling (Algorithm R) with the seeded generator: a uniform sample of the texts.
  const reservoir: { index: number; text: string }[] = [];
  const rng = sample === null ? null : createRng(sample.seed);
  const nul = Buffer.from([0]);
  const texts = new DigestSet();
  let nDocs = 0;
  let duplicateTexts = 0;
  const duplicateExamples: string[] = [];
  let labels: Set<string> | null = new Set();
  for await (const doc of documents) {
    if (sample !== null && rng !== null) {
      if (nDocs < sample.size) reservoir.push({ index: nDocs, text: doc.text });
      else {
        const j = nDocs < 2 ** 32 ? rng.nextInt(nDocs + 1) : sample.size;
        if (j < sample.size) reservoir[j] = { index: nDocs, text: doc.text };
      }
    }
    nDocs++;
    onText(doc.text);
    hash.update(doc.id, "utf8");
    hash.update(nul);
    hash.update(doc.text, "utf8");
    hash.update(nul);
    if (!texts.add(doc.text)) {
      duplicateTexts++;
      if (duplicateExamples.length < 3) duplicateExamples.push(doc.id);
    }
    if (labels !== null) {
      if (doc.label === undefined || (labels.size >= MAX_LABELS && !labels.has(doc.label))) labels = null;
      else labels.add(doc.label);
    }
  }
  const labelIndex =
    labels === null ? null : new Map([...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name, i) => [name, i] as [string, number]));
  const sampleTexts = reservoir.sort((a, b) => a.index - b.index).map((e) => e.text);
  return { nDocs, fingerprint: hash.digest("hex"), labelIndex, duplicateTexts, duplicateExamples, sample: sampleTexts };
}

/** The label codes of a batch for {@link StreamingEvaluation.addBatch}. */
export function labelCodesOf(batch: readonly Document[], labelIndex: Map<string, number> | null): Int32Array | null {
  if (labelIndex === null) return null;
  return Int32Array.from(batch, (d) => (d.label === undefined ? -1 : (labelIndex.get(d.label) ?? -1)));
}

// ---------------------------------------------------------------------------------------------
// The W spool: one binary record per document, in input order

/** Spooled rows of W (H's topic order) with the documents' ids and labels. */
export class WeightSpool {
  private readonly path: string;
  private fd: number;
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  count = 0;

  constructor(dir: string, private readonly k: number) {
    this.path = join(dir, "weights.bin");
    this.fd = openSync(this.path, "w");
  }

  /** Appends the documents of a batch and their rows of W (n x k). */
  append(batch: readonly Document[], W: Float64Array): void {
    const k = this.k;
    for (let i = 0; i < batch.length; i++) {
      const id = Buffer.from(batch[i].id, "utf8");
      const label = batch[i].label === undefined ? null : Buffer.from(batch[i].label as string, "utf8");
      const size = 8 + id.length + (label?.length ?? 0) + 8 * k;
      if (this.used + size > this.buffer.length) this.flush();
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(2 * size);
      const b = this.buffer;
      let o = this.used;
      o = b.writeUInt32LE(id.length, o);
      o = b.writeUInt32LE(label === null ? 0 : label.length + 1, o);
      o += id.copy(b, o);
      if (label !== null) o += label.copy(b, o);
      for (let t = 0; t < k; t++) o = b.writeDoubleLE(W[i * k + t], o);
      this.used = o;
      this.count++;
    }
  }

  private flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }

  /** Closes the file for writing. */
  finish(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  /** The records in order: id, label and a row of W (a view, valid until the next record). */
  *records(): Generator<{ id: string; label: string | undefined; w: Float64Array }, void, undefined> {
    const fd = openSync(this.path, "r");
    const k = this.k;
    const w = new Float64Array(k);
    let buffer = Buffer.allocUnsafe(1 << 20);
    let start = 0;
    let end = 0;
    try {
      for (;;) {
        // Make sure a whole record is in buffer[start, end).
        const need = (): number => {
          if (end - start < 8) return 8;
          return 8 + buffer.readUInt32LE(start) + Math.max(0, buffer.readUInt32LE(start + 4) - 1) + 8 * k;
        };
        let size = need();
        while (end - start < size) {
          if (start > 0) {
            buffer.copy(buffer, 0, start, end);
            end -= start;
            start = 0;
          }
          if (size > buffer.length) {
            const grown = Buffer.allocUnsafe(2 * size);
            buffer.copy(grown, 0, 0, end);
            buffer = grown;
          }
          const got = readSync(fd, buffer, end, buffer.length - end, null);
          if (got === 0) {
            if (end - start === 0) return;
            throw new Error("truncated weight spool");
          }
          end += got;
          size = need();
        }
        const idLength = buffer.readUInt32LE(start);
        const labelField = buffer.readUInt32LE(start + 4);
        let o = start + 8;
        const id = buffer.toString("utf8", o, o + idLength);
        o += idLength;
        let label: string | undefined;
        if (labelField > 0) {
          label = buffer.toString("utf8", o, o + labelField - 1);
          o += labelField - 1;
        }
        for (let t = 0; t < k; t++) w[t] = buffer.readDoubleLE(o + 8 * t);
        start = o + 8 * k;
        yield { id, label, w };
      }
    } finally {
      closeSync(fd);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Streamed output: the bytes of renderJson / renderNdjson / renderDocTopicsCsv, one document at a time

/** Where streamed text goes: stdout (awaits the flush) or a file. */
export type TextSink = (text: string) => void | Promise<void>;

/** A file written through a buffer, to a temporary name beside its target until `commit`. */
export class StagedFile {
  readonly temp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly path: string) {
    installCleanup();
    mkdirSync(dirname(path), { recursive: true });
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    temporaryPaths.add(this.temp);
    try {
      this.fd = openSync(this.temp, "w");
    } catch (error) {
      throw new InputError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (no file was changed)`);
    }
  }

  write = (text: string): void => {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength > 1 << 20) this.flush();
  };

  private flush(): void {
    const bytes = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingLength = 0;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      throw new InputError(`cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (no file was changed)`);
    }
  }

  /** Flushes and closes the temporary file (renamed by {@link commitStagedFiles}). */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Renames staged files into place, all of them after all were written. */
export function commitStagedFiles(files: StagedFile[]): void {
  for (const file of files) {
    renameSync(file.temp, file.path);
    temporaryPaths.delete(file.temp);
  }
}

/** stdout through a buffer of about 1 MB per write; each write waits for the flush. */
export function stdoutSink(): { write: TextSink; flush: () => Promise<void> } {
  let pending: string[] = [];
  let length = 0;
  const flush = async (): Promise<void> => {
    if (length === 0) return;
    const text = pending.join("");
    pending = [];
    length = 0;
    await writeStdout(text);
  };
  return {
    write: async (text) => {
      pending.push(text);
      length += text.length;
      if (length > 1 << 20) await flush();
    },
    flush,
  };
}

/** The report without timings and hash, as the hashed JSON text is made of (see report/fit-report.ts). */
function hashedPartOf(report: FitReport): JsonValue {
  const { timings: _timings, hash: _hash, ...rest } = report;
  return rest as unknown as JsonValue;
}

/** The key of the documents array in the JSON text of a report at depth 0, with an empty array. */
const EMPTY_DOCUMENTS = '\n  "documents": []';

/**
 * Writes a report whose documents come one at a time, in the bytes `renderJson`, `renderNdjson` and
 * `renderDocTopicsCsv` give for the whole report: JSON to the `json` sinks, NDJSON to the `ndjson`
 * sinks, CSV rows to the `csv` sinks; the hash is that of the JSON text of the report (timings and
 * hash left out), updated as the documents pass.
 */
export class StreamedReport {
  private readonly hash = createHash("sha256");
  private readonly prefix: string;
  private readonly suffix: string;
  private count = 0;

  /** @param report the report with `documents: []` (and `timings` when wanted) */
  constructor(
    private readonly report: FitReport,
    private readonly sinks: { json: TextSink[]; ndjson: TextSink[]; csv: TextSink[] },
  ) {
    const body = stringifyJson(hashedPartOf(report));
    const at = body.indexOf(EMPTY_DOCUMENTS);
    if (at < 0 || !body.endsWith("\n}")) throw new Error("unexpected report layout");
    this.prefix = body.slice(0, at) + '\n  "documents": [';
    this.suffix = body.slice(at + EMPTY_DOCUMENTS.length);
  }

  private async emit(kind: "json" | "ndjson" | "csv", text: string): Promise<void> {
    for (const sink of this.sinks[kind]) await sink(text);
  }

  /** The text before the first document (JSON: up to the opening bracket; NDJSON: the topic lines; CSV: the header). */
  async begin(): Promise<void> {
    this.hash.update(this.prefix, "utf8");
    await this.emit("json", this.prefix);
    for (const topic of this.report.topics) {
      await this.emit("ndjson", stringifyJson({ type: "topic", ...topic } as unknown as JsonValue, { indent: 0 }) + "\n");
    }
    const header = ["id", "label", "topic"];
    for (let t = 0; t < this.report.topics.length; t++) header.push(`topic_${t}`);
    await this.emit("csv", header.map(csvField).join(",") + "\n");
  }

  /** One document row (weights in canonical topic order). */
  async document(doc: DocumentReport): Promise<void> {
    const value = { id: doc.id, label: doc.label, weights: doc.weights, topic: doc.topic } as unknown as JsonValue;
    const json = (this.count > 0 ? ",\n    " : "\n    ") + stringifyJson(value).replace(/\n/g, "\n    ");
    this.count++;
    this.hash.update(json, "utf8");
    await this.emit("json", json);
    if (this.sinks.ndjson.length > 0) {
      await this.emit("ndjson", stringifyJson({ type: "document", ...(value as object) } as unknown as JsonValue, { indent: 0 }) + "\n");
    }
    if (this.sinks.csv.length > 0) {
      const fields: (string | number | undefined)[] = [doc.id, doc.label, doc.topic, ...Array.from(doc.weights)];
      await this.emit("csv", fields.map(csvField).join(",") + "\n");
    }
  }

  /** The rest: closes the documents array, then metrics, timings and the hash. Returns the hash. */
  async end(): Promise<string> {
    const close = this.count > 0 ? "\n  ]" : "[]";
    if (this.count === 0) throw new Error("a streamed report needs at least one document");
    const rest = close + this.suffix;
    this.hash.update(rest, "utf8");
    const hash = this.hash.digest("hex");
    const { timings } = this.report;
    let tail = `,\n  "hash": ${JSON.stringify(hash)}\n}`;
    if (timings) tail = `,\n${stringifyJson({ timings, hash } as unknown as JsonValue).slice(2)}`;
    await this.emit("json", rest.slice(0, -2) + tail + "\n");
    const { topics: _t, documents: _d, hash: _h, ...summary } = this.report;
    await this.emit(
      "ndjson",
      stringifyJson({ type: "summary", ...summary, ...(timings ? { timings } : {}), hash } as unknown as JsonValue, { indent: 0 }) + "\n",
    );
    return hash;
  }
}

// ---------------------------------------------------------------------------------------------
// Topics of a fitted H

/** The topic rows of a report in canonical order, from the evaluation of H (rows in H's order). */
export function topicReports(
  H: Float64Array,
  nTerms: number,
  top: readonly Int32Array[],
  evaluation: StreamEvaluationResult,
  vectorizer: VectorizerState,
  order: Int32Array,
): TopicReport[] {
  return Array.from(order, (t, p) => ({
    id: p,
    share: evaluation.shares[t],
    words: topicWords(H, nTerms, t, top[t], vectorizer.displayTerms),
    coherence: { npmi: finiteOrNull(evaluation.npmi[t]) },
  }));
}

/** The metrics block of a report. */
export function metricsOf(evaluation: StreamEvaluationResult): FitReport["metrics"] {
  const labels = evaluation.labels;
  return {
    npmi: finiteOrNull(evaluation.meanNpmi),
    diversity: finiteOrNull(evaluation.diversity),
    ...(labels ? { nmi: labels.nmi, ari: labels.ari, purity: labels.purity } : {}),
  };
}

/** Top term indices of every topic of H (H's order), H[t, j] descending, ties by lower j. */
export function topTermsOf(H: Float64Array, nTerms: number, k: number, topWords: number): Int32Array[] {
  return Array.from({ length: k }, (_, t) => topTermIndices(H, t, nTerms, Math.min(topWords, nTerms)));
}

/** The N documents of largest weight per topic (weights > 0; ties by the earlier document), for --top-docs. */
class TopDocuments {
  private readonly lists: { weight: number; index: number }[][];
  private readonly kept = new Map<number, { doc: Document; w: Float64Array }>();
  private seen = 0;

  constructor(private readonly k: number, private readonly n: number) {
    this.lists = Array.from({ length: k }, () => []);
  }

  add(batch: readonly Document[], W: Float64Array): void {
    const k = this.k;
    for (let i = 0; i < batch.length; i++) {
      const index = this.seen + i;
      let keep = false;
      for (let t = 0; t < k; t++) {
        const weight = W[i * k + t];
        const list = this.lists[t];
        if (!(weight > 0) || (list.length === this.n && weight <= list[list.length - 1].weight)) continue;
        let at = list.length;
        while (at > 0 && list[at - 1].weight < weight) at--;
        list.splice(at, 0, { weight, index });
        if (list.length > this.n) list.pop();
        keep = true;
      }
      if (keep) this.kept.set(index, { doc: batch[i], w: W.slice(i * k, (i + 1) * k) });
    }
    this.seen += batch.length;
    // Forget documents no longer in any list.
    const wanted = new Set<number>();
    for (const list of this.lists) for (const e of list) wanted.add(e.index);
    for (const index of [...this.kept.keys()]) if (!wanted.has(index)) this.kept.delete(index);
  }

  /** The kept documents in input order: rows of the report (canonical weights) and their texts. */
  rows(order: Int32Array): { documents: DocumentReport[]; texts: string[] } {
    const entries = [...this.kept.entries()].sort((a, b) => a[0] - b[0]);
    return {
      documents: entries.map(([, { doc, w }]) => canonicalRow(doc.id, doc.label, w, order)),
      texts: entries.map(([, { doc }]) => doc.text),
    };
  }
}

/** A document row with its weights in canonical order and its argmax (first on ties). */
export function canonicalRow(id: string, label: string | undefined, w: Float64Array, order: Int32Array): DocumentReport {
  const k = order.length;
  const weights = new Float64Array(k);
  let topic = 0;
  for (let p = 0; p < k; p++) {
    weights[p] = w[order[p]];
    if (weights[p] > weights[topic]) topic = p;
  }
  return { id, label, weights, topic };
}

// ---------------------------------------------------------------------------------------------
// fit --online

/** The NMF and mini-batch options of an online run. */
export function onlineOptionsOf(nmf: NmfOptions, batchSize: number): OnlineNmfOptions {
  return { ...nmf, ...defaultOnlineSettings, batchSize };
}

/**
 * Runs mini-batch passes over the documents, batches in input order, from `state` (started from a
 * sample of the corpus, or from a model's topics) until the stopping rule fires or `passes` passes
 * are done.
 */
export async function trainOnline(
  corpus: CorpusPasses,
  nDocs: number,
  passes: number,
  options: OnlineNmfOptions,
  transform: (texts: string[]) => CsrMatrix,
  state: OnlineNmfState,
  onStep: (steps: number, plannedSteps: number) => void,
): Promise<{ state: OnlineNmfState; passes: number }> {
  let passesRun = 0;
  const batchesPerPass = Math.ceil(nDocs / options.batchSize);
  for (let pass = 0; pass < passes && !state.converged; pass++) {
    passesRun++;
    let seen = 0;
    for await (const batch of batchDocuments(corpus.read(false), options.batchSize)) {
      seen += batch.length;
      stepOnlineNmf(state, transform(batch.map((d) => d.text)), options);
      onStep(state.steps, passes * batchesPerPass);
      if (state.converged) break;
    }
    if (!state.converged && seen !== nDocs) throw inputChanged(nDocs, seen);
  }
  return { state, passes: passesRun };
}

export async function runFitOnline(inputs: string[], raw: RawOptions, version: string): Promise<void> {
  const { format, k, read, text, nmf, topWords, quiet } = fitCommandOptionsFrom(raw);
  if (raw.docs) {
    throw new UsageError("--docs lists every document, which --online does not keep; stream them with --ndjson or --json, or use --top-docs N");
  }
  const warn = makeWarn({ quiet });
  const settings = onlineSettingsFrom(raw);
  const batchSize = settings.batchSize;
  const outDir = raw.out as string | undefined;
  const topDocs = (raw.topDocs as number | undefined) ?? 0;

  const vocabulary = new StreamingVocabulary(text);
  const corpus = await openCorpusPasses(inputs, read, warn);
  // Each batch's solve allocates in the executor's WebAssembly memory and gives it back when done
  // (executor.scope), so the memory stays that of one batch however many batches run. Results are
  // the same bits with any executor.
  const executor = createExecutor(raw.threads as number | undefined);
  nmf.executor = executor;
  const progress = makeProgress("fitting", Boolean(process.stderr.isTTY) && !quiet);
  try {
    // 1. Vocabulary pass.
    const t0 = performance.now();
    const first = await readFirstPass(corpus.read(true), (t) => vocabulary.add(t), { size: batchSize, seed: nmf.seed });
    const { state: vectorizer } = vocabulary.finish();
    const nDocs = first.nDocs;
    const nTerms = vectorizer.vocabulary.length;
    const transform = createTextTransformer(vectorizer);
    const passes = settings.passes ?? defaultOnlinePasses(nDocs, batchSize);
    const t1 = performance.now();

    // 2. Training passes.
    const options = onlineOptionsOf(nmf, batchSize);
    // H starts from the initialisation of a seeded uniform sample of one batch of documents.
    const initial = startOnlineNmf(transform(first.sample), nDocs, options);
    first.sample.length = 0;
    const trained = await trainOnline(corpus, nDocs, passes, options, transform, initial, (steps, planned) =>
      progress.update(steps, planned, null),
    );
    progress.done();
    const { state } = trained;
    const H = state.H;
    const t2 = performance.now();

    // 3. Evaluation pass: W of every document with H fixed.
    const top = topTermsOf(H, nTerms, k, topWords);
    const evaluation = new StreamingEvaluation(H, nTerms, k, nmf.loss, top);
    const keepDocuments = format !== "table" || outDir !== undefined;
    const spool = keepDocuments ? new WeightSpool(makeTemporaryFolder(), k) : null;
    const best = format === "table" && topDocs > 0 ? new TopDocuments(k, topDocs) : null;
    let seen = 0;
    const weighing = makeProgress("documents", Boolean(process.stderr.isTTY) && !quiet);
    try {
      for await (const batch of batchDocuments(corpus.read(false), batchSize)) {
        const X = transform(batch.map((d) => d.text));
        const { W } = solveBatchW(X, H, nmf, nmf.maxIter);
        evaluation.addBatch(X, W, batch.map((d) => d.id), labelCodesOf(batch, first.labelIndex));
        spool?.append(batch, W);
        best?.add(batch, W);
        seen += batch.length;
        weighing.update(seen, nDocs, null);
      }
    } finally {
      weighing.done();
      spool?.finish();
    }
    if (seen !== nDocs) throw inputChanged(nDocs, seen);
    const result = evaluation.finish();
    const t3 = performance.now();

    // Warnings, as fit gives them.
    const order = result.order;
    if (result.emptyDocuments > 0) {
      const shown = result.emptyExamples.join(", ") + (result.emptyDocuments > result.emptyExamples.length ? ", ..." : "");
      warn(`${result.emptyDocuments} document(s) have no terms after preprocessing and get zero weights (${shown})`);
    }
    if (first.duplicateTexts > 0) {
      const shown = first.duplicateExamples.join(", ") + (first.duplicateTexts > first.duplicateExamples.length ? ", ..." : "");
      warn(`${first.duplicateTexts} document(s) are exact duplicates of earlier ones (${shown})`);
    }
    order.forEach((t, p) => {
      const total = result.columnSums[t];
      if (total > 0 && nDocs > 1 && result.topicMax[t] / total > 0.5) {
        warn(`topic ${p} is carried mostly by one document: ${result.topicMaxId[t]} holds ${Math.round((100 * result.topicMax[t]) / total)}% of its weight`);
      }
    });
    if (!state.converged && settings.passes !== null) {
      warn(
        `the online solver stopped after ${trained.passes} pass(es) (${state.steps} batches) before its stopping rule was met (--tol ${nmf.tol}); raise --passes for a lower objective`,
      );
    }

    // 4. The report.
    const params = {
      ...paramsOf(k, nmf, text, read, topWords),
      online: true,
      batchSize,
      passes,
      forgetFactor: options.forgetFactor,
    };
    const report: FitReport = {
      schema: FIT_SCHEMA,
      version,
      params,
      corpus: { documents: nDocs, terms: nTerms, nonzeros: result.nonzeros, fingerprint: first.fingerprint },
      fit: {
        loss: nmf.loss,
        solver: ONLINE_SOLVER,
        init: nmf.init,
        iterations: state.steps,
        converged: state.converged,
        objective: result.objective,
        relativeError: result.relativeError,
      },
      topics: topicReports(H, nTerms, top, result, vectorizer, order),
      documents: [],
      metrics: metricsOf(result),
    };
    if (raw.timings) {
      report.timings = {
        vocabularyMs: Math.round(t1 - t0),
        trainMs: Math.round(t2 - t1),
        evaluateMs: Math.round(t3 - t2),
        passes: trained.passes,
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    }

    // The model file: H in canonical order; solver = the W solver that transform will use.
    let modelText: string | null = null;
    if (raw.save !== undefined) {
      const canonicalH = new Float64Array(k * nTerms);
      order.forEach((t, p) => canonicalH.set(H.subarray(t * nTerms, (t + 1) * nTerms), p * nTerms));
      const model: Model = {
        schema: MODEL_SCHEMA,
        version,
        text: vectorizer,
        nmf: {
          loss: nmf.loss,
          solver: nmf.solver,
          init: nmf.init,
          nTopics: k,
          maxIter: nmf.maxIter,
          tol: nmf.tol,
          seed: nmf.seed,
          alphaW: nmf.alphaW,
          alphaH: typeof nmf.alphaH === "number" ? nmf.alphaH : nmf.alphaW,
          l1Ratio: nmf.l1Ratio,
          iterations: state.steps,
          converged: state.converged,
          objective: result.objective,
          relativeError: result.relativeError,
        },
        topWords,
        corpus: report.corpus,
        topics: Array.from(order, (t, p) => ({ id: p, share: result.shares[t], npmi: result.npmi[t], top: Array.from(top[t]) })),
        H: canonicalH,
      };
      modelText = serializeModel(model);
    }

    // 5. Output: files of --out and stdout, the documents streamed from the spool.
    const staged: StagedFile[] = [];
    const sinks: { json: TextSink[]; ndjson: TextSink[]; csv: TextSink[] } = { json: [], ndjson: [], csv: [] };
    if (outDir !== undefined) {
      const runJson = new StagedFile(join(outDir, "run.json"));
      const docCsv = new StagedFile(join(outDir, "doc-topics.csv"));
      staged.push(runJson, docCsv);
      sinks.json.push(runJson.write);
      sinks.csv.push(docCsv.write);
    }
    const stdout = stdoutSink();
    if (format === "json") sinks.json.push(stdout.write);
    if (format === "ndjson") sinks.ndjson.push(stdout.write);
    if (spool !== null) {
      const streamed = new StreamedReport(report, sinks);
      await streamed.begin();
      for (const record of spool.records()) await streamed.document(canonicalRow(record.id, record.label, record.w, order));
      await streamed.end();
    }
    for (const file of staged) file.close();
    const small: { path: string; content: string }[] = [];
    if (outDir !== undefined) small.push({ path: join(outDir, "topics.csv"), content: renderTopicsCsv(report) });
    if (modelText !== null) {
      const target = typeof raw.save === "string" ? raw.save : join(outDir ?? ".", "model.json");
      small.push({ path: target, content: modelText });
    }
    if (small.length > 0) writeFilesAtomically(small);
    commitStagedFiles(staged);
    if (format === "table") {
      const shown = best?.rows(order) ?? { documents: [], texts: [] };
      await writeStdout(
        renderTable({ ...report, documents: shown.documents }, { colorLevel: colorLevel(), docs: false, topDocs, texts: shown.texts }),
      );
    }
    await stdout.flush();
  } finally {
    progress.done();
    executor.close();
    corpus.close();
    removeTemporaryPaths();
  }
}
