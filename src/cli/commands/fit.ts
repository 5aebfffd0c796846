/** `nmf-topics fit <input...> -k <n>`: read, vectorize, factorize, print. */
import { basename, join } from "node:path";
import { readCorpus } from "../../corpus/index.js";
import { fitCorpus, type FitRun } from "../../fit.js";
import type { NmfOptions } from "../../nmf/index.js";
import { createExecutor } from "../../parallel/index.js";
import { buildFitReport, renderJson, type FitReport } from "../../report/fit-report.js";
import type { JsonValue } from "../../report/json.js";
import type { TextOptions } from "../../text/index.js";
import type { ReadOptions } from "../../corpus/types.js";
import { makeProgress, makeWarn, printTimings, writeFilesAtomically } from "../io.js";
import { fitCommandOptionsFrom, type RawOptions } from "../options.js";
import { emitReport, hygieneWarnings } from "../output.js";

/** The reader options as recorded in `params` (unset ones as null, so every key is always there). */
export function readParamsOf(read: ReadOptions): { [key: string]: JsonValue } {
  return {
    lines: read.lines,
    textColumn: read.textColumn,
    idColumn: read.idColumn ?? null,
    labelColumn: read.labelColumn ?? null,
    textField: read.textField,
    idField: read.idField ?? null,
    labelField: read.labelField ?? null,
    inputFormat: read.inputFormat,
  };
}

/** The `params` object of the JSON output: every resolved option, no machine paths, no threads. */
export function paramsOf(
  k: number,
  nmf: NmfOptions,
  text: TextOptions,
  read: ReadOptions,
  topWords: number,
): { [key: string]: JsonValue } {
  const stopWords = ["auto", "none"].includes(text.stopWords) || /^[a-z]{2,3}$/.test(text.stopWords)
    ? text.stopWords
    : `file:${basename(text.stopWords)}`;
  return {
    k,
    loss: nmf.loss,
    solver: nmf.solver,
    init: nmf.init,
    maxIter: nmf.maxIter,
    tol: nmf.tol,
    seed: nmf.seed,
    alphaW: nmf.alphaW,
    alphaH: typeof nmf.alphaH === "number" ? nmf.alphaH : nmf.alphaW,
    l1Ratio: nmf.l1Ratio,
    topWords,
    lang: text.lang,
    stopWords,
    extraStopWords: text.extraStopWords === null ? null : `file:${basename(text.extraStopWords)}`,
    stem: text.stem,
    ngramRange: [text.ngramRange[0], text.ngramRange[1]],
    minDf: text.minDf,
    maxDf: text.maxDf,
    maxFeatures: text.maxFeatures,
    tokenPattern: text.tokenPattern,
    dropNumbers: text.dropNumbers,
    weighting: text.weighting,
    sublinearTf: text.sublinearTf,
    norm: text.norm,
    ...readParamsOf(read),
  };
}

export async function runFit(inputs: string[], raw: RawOptions, version: string): Promise<void> {
  if (raw.online) return (await import("./fit-online.js")).runFitOnline(inputs, raw, version);
  const { format, k, read, text, nmf, topWords, quiet } = fitCommandOptionsFrom(raw);
  const warn = makeWarn({ quiet });
  // The pool prestarted by bin/nmf-topics.js (or a new one, booting while the corpus is read);
  // results never depend on --threads.
  const executor = createExecutor(raw.threads as number | undefined);
  nmf.executor = executor;

  const t0 = performance.now();
  const documents = await readCorpus(inputs, read, warn);
  const readMs = performance.now() - t0;

  const progress = makeProgress("fitting", Boolean(process.stderr.isTTY) && !quiet);
  nmf.onIteration = (info) => progress.update(info.iteration, info.maxIter, info.objective);
  let run: FitRun;
  try {
    run = fitCorpus(documents, { text, nmf, topWords });
  } finally {
    progress.done();
    executor.close();
  }
  // The checks cost a pass over every text and W (12 ms on 20 Newsgroups): not for --quiet.
  if (!quiet) hygieneWarnings(run, nmf, warn);

  const params = paramsOf(k, nmf, text, read, topWords);
  const report: FitReport = buildFitReport(run, params, version);
  if (raw.timings) {
    report.timings = {
      startMs: Math.round(t0),
      readMs: Math.round(readMs),
      vectorizeMs: Math.round(run.timings.vectorizeMs),
      fitMs: Math.round(run.timings.fitMs),
      evaluateMs: Math.round(run.timings.evaluateMs),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }

  // The CSV renderer and the model writer are loaded only when --out or --save asks for them.
  const files: { path: string; content: string }[] = [];
  const outDir = raw.out as string | undefined;
  if (outDir !== undefined) {
    const { renderDocTopicsCsv, renderTopicsCsv } = await import("../../report/csv.js");
    files.push(
      { path: join(outDir, "topics.csv"), content: renderTopicsCsv(report) },
      { path: join(outDir, "doc-topics.csv"), content: renderDocTopicsCsv(report) },
      { path: join(outDir, "run.json"), content: renderJson(report) },
    );
  }
  if (raw.save !== undefined) {
    const target = typeof raw.save === "string" ? raw.save : join(outDir ?? ".", "model.json");
    const { buildModel, serializeModel } = await import("../../model.js");
    files.push({ path: target, content: serializeModel(buildModel(run, nmf, topWords, version)) });
  }
  if (files.length > 0) writeFilesAtomically(files);

  await emitReport(report, format, raw, documents.map((d) => d.text));
  if (raw.timings) {
    const { vectorizeMs, fitMs, evaluateMs } = run.timings;
    const writeMs = performance.now() - t0 - readMs - vectorizeMs - fitMs - evaluateMs;
    printTimings({ read: readMs, vectorize: vectorizeMs, fit: fitMs, evaluate: evaluateMs, write: writeMs }, t0);
  }
}
