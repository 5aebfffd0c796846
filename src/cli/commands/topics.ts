/** `nmf-topics topics model.json`: the topics of a saved model. */
import { topTermIndices } from "../../nmf/index.js";
import { finiteOrNull, topicWords, type FitReport } from "../../report/fit-report.js";
import { outputFormatFrom, type RawOptions } from "../options.js";
import { emitReport } from "../output.js";
import { loadModel } from "./transform.js";

export const TOPICS_SCHEMA = "nmf-topics/topics@1";

export async function runTopics(path: string, raw: RawOptions, version: string): Promise<void> {
  const format = outputFormatFrom(raw);
  const model = loadModel(path);
  const nTerms = model.text.vocabulary.length;
  const topWords = (raw.topWords as number | undefined) ?? model.topWords;
  const report: FitReport = {
    schema: TOPICS_SCHEMA,
    version,
    params: { topWords },
    corpus: model.corpus,
    fit: {
      loss: model.nmf.loss,
      solver: model.nmf.solver,
      init: model.nmf.init,
      iterations: model.nmf.iterations,
      converged: model.nmf.converged,
      objective: model.nmf.objective,
      relativeError: model.nmf.relativeError,
    },
    topics: model.topics.map((t) => {
      const top = topTermIndices(model.H, t.id, nTerms, Math.min(topWords, nTerms));
      return {
        id: t.id,
        share: t.share,
        words: topicWords(model.H, nTerms, t.id, top, model.text.displayTerms),
        coherence: { npmi: finiteOrNull(t.npmi) },
      };
    }),
    documents: [],
    metrics: undefined,
  };
  await emitReport(report, format, raw, undefined);
}
