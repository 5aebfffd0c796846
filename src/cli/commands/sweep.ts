/** `nmf-topics sweep <input...> -k 5,10,15 [--runs 3]`: fit several k, compare, recommend one. */
import { readCorpus } from "../../corpus/index.js";
import { buildSweepReport, renderSweepJson, renderSweepNdjson, renderSweepTable } from "../../report/sweep.js";
import type { JsonValue } from "../../report/json.js";
import { createExecutor } from "../../parallel/index.js";
import { sweepCorpus, type SweepCorpusResult, type SweepFitInfo } from "../../sweep.js";
import { colorLevel, makeProgress, makeWarn, writeStdout, type Progress } from "../io.js";
import { nmfOptionsFrom, outputFormatFrom, readOptionsFrom, textOptionsFrom, type RawOptions } from "../options.js";
import { paramsOf } from "./fit.js";

export async function runSweep(inputs: string[], raw: RawOptions, version: string): Promise<void> {
  const format = outputFormatFrom(raw);
  const ks = raw.topics as number[];
  const runs = raw.runs as number;
  const sampleFraction = raw.sampleFraction as number;
  const read = readOptionsFrom(raw);
  const text = textOptionsFrom(raw);
  const nmf = nmfOptionsFrom(raw, ks[0]);
  const topWords = raw.topWords as number;
  const quiet = Boolean(raw.quiet);
  const warn = makeWarn({ quiet });

  if (sampleFraction === 1 && nmf.init !== "random" && runs > 1) {
    warn(
      `with --sample-fraction 1 and the deterministic --init ${nmf.init} every run finds the same topics, so stability is 1 by construction; use --init random or a --sample-fraction below 1`,
    );
  }

  // Worker threads boot while the corpus is read; results never depend on --threads.
  const executor = createExecutor(raw.threads as number | undefined);
  nmf.executor = executor;
  const documents = await readCorpus(inputs, read, warn);

  const showProgress = Boolean(process.stderr.isTTY) && !quiet;
  let progress: Progress | null = null;
  let current = -1;
  const onIteration = showProgress
    ? (fit: SweepFitInfo, info: { iteration: number; maxIter: number; objective: number | null }) => {
        if (fit.index !== current) {
          progress?.done();
          current = fit.index;
          progress = makeProgress(`k=${fit.k} run ${fit.run + 1}/${runs} (fit ${fit.index + 1}/${fit.total})`, true);
        }
        progress?.update(info.iteration, info.maxIter, info.objective);
      }
    : undefined;

  let result: SweepCorpusResult;
  try {
    result = sweepCorpus(documents, { text, nmf, ks, runs, topWords, sampleFraction, onIteration });
  } finally {
    (progress as Progress | null)?.done();
    executor.close();
  }

  if (result.emptyDocuments.length > 0) {
    warn(`${result.emptyDocuments.length} document(s) have no terms after preprocessing`);
  }
  for (const row of result.rows) {
    if (row.converged < row.runs.length) {
      warn(
        `k=${row.k}: ${row.runs.length - row.converged} of ${row.runs.length} runs did not converge in ${nmf.maxIter} iterations (--tol ${nmf.tol}); raise --max-iter or --tol`,
      );
    }
  }

  const { k: _k, ...fitParams } = paramsOf(ks[0], nmf, text, read, topWords);
  const params: { [key: string]: JsonValue } = { ks, runs, sampleFraction, ...fitParams };
  const report = buildSweepReport(result, params, version);
  const out =
    format === "json"
      ? renderSweepJson(report)
      : format === "ndjson"
        ? renderSweepNdjson(report)
        : renderSweepTable(report, { colorLevel: colorLevel() });
  await writeStdout(out);
}
