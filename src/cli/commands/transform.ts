/** `nmf-topics transform --model model.json <input...>`: topic weights of new documents, H fixed. */
import { readCorpus } from "../../corpus/index.js";
import { fingerprintDocuments, summarizeTopics } from "../../fit.js";
import { parseModel, type Model } from "../../model.js";
import { frobeniusObjective, klObjective, relativeError, transformNmf, type NmfOptions, type NmfResult } from "../../nmf/index.js";
import { buildFitReport } from "../../report/fit-report.js";
import { transformTexts } from "../../text/index.js";
import { makeWarn, readTextFile } from "../io.js";
import { outputFormatFrom, readOptionsFrom, type RawOptions } from "../options.js";
import { createExecutor } from "../../parallel/index.js";
import { emitReport } from "../output.js";
import { readParamsOf } from "./fit.js";

export const TRANSFORM_SCHEMA = "nmf-topics/transform@1";

/** Reads and parses a model file; a missing or unreadable file is an input error (exit 3). */
export function loadModel(path: string): Model {
  const text = readTextFile(path, {
    missing: "no such model file",
    expected: "a model file",
    unreadable: "make the model file readable",
    noun: "model file ",
  });
  return parseModel(text, path);
}

/** NMF options that reproduce the model's solver settings for a transform. */
export function nmfOptionsOfModel(model: Model): NmfOptions {
  const m = model.nmf;
  return {
    nTopics: m.nTopics,
    loss: m.loss,
    solver: m.solver as NmfOptions["solver"],
    init: m.init as NmfOptions["init"],
    maxIter: m.maxIter,
    tol: m.tol,
    seed: m.seed,
    alphaW: m.alphaW,
    alphaH: m.alphaH,
    l1Ratio: m.l1Ratio,
  };
}

export async function runTransform(inputs: string[], raw: RawOptions, version: string): Promise<void> {
  const format = outputFormatFrom(raw);
  const model = loadModel(raw.model as string);
  const read = readOptionsFrom(raw);
  const warn = makeWarn({ quiet: Boolean(raw.quiet) });
  // Worker threads boot while the corpus is read; results never depend on the thread count.
  const executor = createExecutor(raw.threads as number | undefined);
  const documents = await readCorpus(inputs, read, warn);
  const X = transformTexts(documents.map((d) => d.text), model.text);
  const options = { ...nmfOptionsOfModel(model), executor };
  const k = model.nmf.nTopics;
  const nTerms = model.text.vocabulary.length;
  let result: ReturnType<typeof transformNmf>;
  try {
    result = transformNmf(X, model.H, options);
  } finally {
    executor.close();
  }
  const objective = options.loss === "kl" ? klObjective(X, result.W, model.H, k) : frobeniusObjective(X, result.W, model.H, k);
  const nmf: NmfResult = {
    W: result.W,
    H: model.H,
    nDocs: X.nRows,
    nTerms,
    nTopics: k,
    solver: model.nmf.solver,
    iterations: result.iterations,
    converged: result.converged,
    objective,
    relativeError: relativeError(X, result.W, model.H, k),
  };
  const topWords = (raw.topWords as number | undefined) ?? model.topWords;
  const summary = summarizeTopics(X, nmf, documents, topWords);
  // Keep the model's topic ids and top words: shares and coherence are those of the new corpus.
  const params = {
    model: model.corpus.fingerprint,
    loss: model.nmf.loss,
    solver: model.nmf.solver,
    maxIter: model.nmf.maxIter,
    tol: model.nmf.tol,
    topWords,
    ...readParamsOf(read),
  };
  const report = buildFitReport(
    {
      documents,
      X,
      vectorizer: model.text,
      documentFrequency: new Int32Array(0),
      emptyDocuments: [],
      nmf,
      ...summary,
      fingerprint: fingerprintDocuments(documents),
      timings: { vectorizeMs: 0, fitMs: 0, evaluateMs: 0 },
    },
    params,
    version,
  );
  report.schema = TRANSFORM_SCHEMA;
  if (report.fit) report.fit.init = "model";
  if (!result.converged) {
    warn(`the transform did not converge in ${result.iterations} iterations (model --tol ${options.tol})`);
  }
  await emitReport(report, format, raw, documents.map((d) => d.text));
}
