/**
 * Flags shared by several commands, as option groups, and their normalisation into the typed option
 * objects of the library (kebab-case flag <-> camelCase field, one to one).
 */
import { Option, type Command } from "commander";
import type { ReadOptions } from "../corpus/types.js";
import { UsageError } from "../errors.js";
import type { NmfOptions } from "../nmf/index.js";
import { checkAlsOptions } from "../nmf/params.js";
import type { TextOptions } from "../text/index.js";
import { alphaH, choice, documentFrequency, integer, ngramRange, real } from "./parse.js";

export const LOSSES = ["frobenius", "kl"] as const;
/** cd: coordinate descent (HALS), frobenius only; mu: multiplicative updates; ccd: cyclic coordinate descent with Newton steps, kl only. */
export const SOLVERS = ["auto", "cd", "mu", "ccd", "als"] as const;
export const INITS = ["nndsvda", "nndsvd", "nndsvdar", "random", "kmeans"] as const;
export const WEIGHTINGS = ["tfidf", "tf", "binary"] as const;
export const NORMS = ["l2", "l1", "none"] as const;
export const INPUT_FORMATS = ["lines", "text", "csv", "tsv", "jsonl", "json"] as const;

/** What commander hands over: every flag of every group, camelCased. */
export interface RawOptions {
  [key: string]: unknown;
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option("--lines", "one non-empty line of a .txt file = one document", false)
    .option("--text-column <name>", "CSV/TSV column holding the text", "text")
    .option("--id-column <name>", "CSV/TSV column holding the document id (default: FILE:ROW)")
    .option("--label-column <name>", "CSV/TSV column holding a label")
    .option("--text-field <name>", "JSON/JSONL field holding the text", "text")
    .option("--id-field <name>", "JSON/JSONL field holding the document id (default: FILE:LINE)")
    .option("--label-field <name>", "JSON/JSONL field holding a label")
    .addOption(
      new Option("--input-format <format>", "format of standard input (-)").choices(INPUT_FORMATS).default("lines"),
    );
}

export function addTextOptions(cmd: Command): Command {
  return cmd
    .option("--lang <code>", "language of the stemmer and of the default stop list (ISO 639-1)", "en")
    .option("--stop-words <list>", "auto | none | a language code | a file with one word per line", "auto")
    .option("--extra-stop-words <file>", "a file of more stop words, one per line")
    .option("--stem", "stem words (each stem shown as its most frequent surface form)", false)
    .option("--ngram-range <min,max>", "word n-gram lengths", ngramRange, [1, 1] as [number, number])
    .option("--min-df <n>", "ignore terms in fewer documents (whole number = count, fraction = share)", documentFrequency, 2)
    .option("--max-df <n>", "ignore terms in more documents (fraction = share, whole number > 1 = count)", documentFrequency, 0.95)
    .option("--max-features <n>", "keep the N most frequent terms (ties by term)", integer(1))
    .option("--token-pattern <regex>", "token regex (JavaScript, u flag; default: runs of 2+ letters/digits/_)")
    .option("--drop-numbers", "drop tokens made only of digits", false)
    .addOption(new Option("--weighting <scheme>", "term weighting").choices(WEIGHTINGS).default("tfidf"))
    .option("--sublinear-tf", "use 1 + ln(tf) instead of tf", false)
    .addOption(new Option("--norm <norm>", "row normalisation").choices(NORMS).default("l2"));
}

export function addNmfOptions(cmd: Command): Command {
  cmd
    .addOption(new Option("--loss <loss>", "NMF loss").choices(LOSSES).default("frobenius"))
    .addOption(
      new Option(
        "--solver <solver>",
        "cd = coordinate descent/HALS (frobenius), mu = multiplicative updates, ccd = cyclic coordinate descent with Newton steps (kl), als = projected alternating least squares (frobenius; fast, approximate); auto = cd for frobenius, ccd for kl",
      )
        .choices(SOLVERS)
        .default("auto"),
    )
    .addOption(new Option("--init <init>", "initialisation (deterministic given --seed)").choices(INITS).default("nndsvda"))
    .option("--max-iter <n>", "maximum number of iterations", integer(1, 1_000_000), 200)
    .option("--tol <x>", "stopping tolerance (see README: the rule of each solver)", real(0), 1e-4)
    .option("--seed <n>", "seed of the random number generator", integer(0, 2 ** 32 - 1), 0)
    .option("--alpha-w <x>", "regularisation of W (scikit-learn's scaling)", real(0), 0)
    .option("--alpha-h <x>", 'regularisation of H, or "same" as --alpha-w', alphaH, "same" as number | "same")
    .option("--l1-ratio <x>", "share of L1 in the regularisation (0 = L2, 1 = L1)", real(0, 1), 0);
  return addThreadsOption(cmd);
}

/** `--threads`, for every command that factorizes (fit, sweep, transform). */
export function addThreadsOption(cmd: Command): Command {
  return cmd.option("--threads <n>", "threads (default: available cores); results do not depend on it", integer(1, 256));
}

export function addOutputOptions(cmd: Command, { save }: { save: boolean }): Command {
  cmd
    .option("--json", "print one JSON document (schema in the README)", false)
    .option("--ndjson", "print one JSON object per line: topics, documents, summary", false)
    .option("--out <dir>", "also write topics.csv, doc-topics.csv and run.json into DIR (atomically)")
    .option("--top-words <n>", "top words per topic", integer(1, 1000), 10)
    .option("--docs", "table: one row per document", false)
    .option("--top-docs <n>", "table: the N most representative documents under each topic", integer(0), 0)
    .option("--timings", "add a timings key to JSON output (not part of the hash)", false)
    .option("-q, --quiet", "print nothing on stderr but errors", false);
  if (save) cmd.option("--save [file]", "write the model file (default: model.json, inside --out DIR if given)");
  return cmd;
}

export function readOptionsFrom(o: RawOptions): ReadOptions {
  return {
    lines: Boolean(o.lines),
    textColumn: o.textColumn as string,
    idColumn: o.idColumn as string | undefined,
    labelColumn: o.labelColumn as string | undefined,
    textField: o.textField as string,
    idField: o.idField as string | undefined,
    labelField: o.labelField as string | undefined,
    inputFormat: o.inputFormat as ReadOptions["inputFormat"],
  };
}

export function textOptionsFrom(o: RawOptions): TextOptions {
  return {
    lang: o.lang as string,
    stopWords: o.stopWords as string,
    extraStopWords: (o.extraStopWords as string | undefined) ?? null,
    stem: Boolean(o.stem),
    ngramRange: o.ngramRange as [number, number],
    minDf: o.minDf as number,
    maxDf: o.maxDf as number,
    maxFeatures: (o.maxFeatures as number | undefined) ?? null,
    tokenPattern: (o.tokenPattern as string | undefined) ?? null,
    dropNumbers: Boolean(o.dropNumbers),
    weighting: o.weighting as TextOptions["weighting"],
    sublinearTf: Boolean(o.sublinearTf),
    norm: o.norm as TextOptions["norm"],
  };
}

/** NMF options with the solver resolved and checked against the loss. */
export function nmfOptionsFrom(o: RawOptions, nTopics: number): NmfOptions {
  const loss = o.loss as NmfOptions["loss"];
  let solver = o.solver as (typeof SOLVERS)[number];
  if (solver === "auto") solver = loss === "frobenius" ? "cd" : "ccd";
  if (solver === "cd" && loss !== "frobenius") {
    throw new UsageError("--solver cd works with --loss frobenius only; use --solver ccd or mu with --loss kl");
  }
  if (solver === "ccd" && loss !== "kl") {
    throw new UsageError("--solver ccd works with --loss kl only; use --solver cd or mu with --loss frobenius");
  }
  const alphaW = o.alphaW as number;
  checkAlsOptions(solver, loss, o.l1Ratio as number, alphaW, o.alphaH === "same" ? alphaW : (o.alphaH as number));
  return {
    nTopics,
    loss,
    solver,
    init: o.init as NmfOptions["init"],
    maxIter: o.maxIter as number,
    tol: o.tol as number,
    seed: o.seed as number,
    alphaW,
    alphaH: o.alphaH === "same" ? alphaW : (o.alphaH as number),
    l1Ratio: o.l1Ratio as number,
  };
}

export type OutputFormat = "table" | "json" | "ndjson";

export function outputFormatFrom(o: RawOptions): OutputFormat {
  if (o.json && o.ndjson) throw new UsageError("--json and --ndjson cannot be used together; choose one output format");
  return o.json ? "json" : o.ndjson ? "ndjson" : "table";
}

/** Default of `--batch-size` (documents per mini-batch of `--online` and `update`). */
export const DEFAULT_BATCH_SIZE = 2048;
/**
 * `--passes` of `fit --online` when not given: enough passes over the corpus for at least this many
 * mini-batch steps (one pass on a large corpus, where a pass already has hundreds of batches; more on
 * a small one, whose few batches per pass leave the topics unfinished: bench/RESULTS-online.md).
 */
export const MIN_ONLINE_STEPS = 50;

/** The default number of passes: `ceil(MIN_ONLINE_STEPS / batches per pass)`, at least 1. */
export function defaultOnlinePasses(nDocs: number, batchSize: number): number {
  const batchesPerPass = Math.ceil(nDocs / Math.max(1, Math.min(batchSize, nDocs)));
  return Math.max(1, Math.ceil(MIN_ONLINE_STEPS / batchesPerPass));
}

/** The streaming flags of `fit`: `--online`, `--batch-size`, `--passes`. */
export function addOnlineOptions(cmd: Command): Command {
  return cmd
    .option("--online", "stream the corpus in mini-batches: memory bounded by the vocabulary and the batch, not by the documents (README: Corpora larger than memory)", false)
    .option("--batch-size <n>", "--online: documents per mini-batch", integer(1, 10_000_000), DEFAULT_BATCH_SIZE)
    .option(
      "--passes <n>",
      `--online: at most N passes over the corpus to learn the topics, fewer when the stopping rule fires (default: enough for ${MIN_ONLINE_STEPS} batches, at least 1)`,
      integer(1, 1_000_000),
    );
}

/** The mini-batch settings of `--online` (and `update`); `passes` is null when not given. */
export function onlineSettingsFrom(o: RawOptions): { batchSize: number; passes: number | null } {
  return {
    batchSize: (o.batchSize as number | undefined) ?? DEFAULT_BATCH_SIZE,
    passes: (o.passes as number | undefined) ?? null,
  };
}

/** Everything `fit` (batch or --online) resolves from its flags before reading the corpus. */
export interface FitCommandOptions {
  format: OutputFormat;
  k: number;
  read: ReadOptions;
  text: TextOptions;
  nmf: NmfOptions;
  topWords: number;
  quiet: boolean;
}

export function fitCommandOptionsFrom(o: RawOptions): FitCommandOptions {
  const k = o.topics as number;
  return {
    format: outputFormatFrom(o),
    k,
    read: readOptionsFrom(o),
    text: textOptionsFrom(o),
    nmf: nmfOptionsFrom(o, k),
    topWords: o.topWords as number,
    quiet: Boolean(o.quiet),
  };
}
