/**
 * `nmf-topics update model.json more-documents/`: continues a saved model on new documents with the
 * online rule of `fit --online` (scikit-learn's MiniBatchNMF steps, starting from the model's H with
 * fresh accumulators), keeping the topic ids, and reports how far each topic moved.
 *
 * The model's vocabulary, idf and preprocessing stay fixed: words the model has never seen are
 * ignored. Passes: one to count and fingerprint the new documents, `--passes` (default 1) of
 * mini-batch steps, one to evaluate the updated topics on the new documents (objective, shares,
 * coherence). Memory is bounded as for `fit --online`.
 */
import { createHash } from "node:crypto";
import { computeTopicSimilarity, alignTopics } from "../../eval/index.js";
import { MODEL_SCHEMA, serializeModel, type Model } from "../../model.js";
import { createExecutor } from "../../parallel/index.js";
import { resumeOnlineNmf, solveBatchW, StreamingEvaluation } from "../../online/index.js";
import { batchDocuments } from "../../corpus/stream.js";
import { finiteOrNull, topicWords, type WordWeight } from "../../report/fit-report.js";
import { formatNumber, stringifyJson, type JsonValue } from "../../report/json.js";
import { alignColumns, makeChalk } from "../../report/table.js";
import { escapeControlCharacters } from "../../report/terminal.js";
import { createTextTransformer } from "../../text/vectorizer.js";
import { colorLevel, makeProgress, makeWarn, writeFilesAtomically, writeStdout } from "../io.js";
import { onlineSettingsFrom, readOptionsFrom, type RawOptions } from "../options.js";
import {
  inputChanged,
  labelCodesOf,
  metricsOf,
  onlineOptionsOf,
  ONLINE_SOLVER,
  openCorpusPasses,
  readFirstPass,
  topTermsOf,
  trainOnline,
} from "./fit-online.js";
import { readParamsOf } from "./fit.js";
import { loadModel, nmfOptionsOfModel } from "./transform.js";

export const UPDATE_SCHEMA = "nmf-topics/update@1";

/** Default `--passes` of `update`: one pass over the new documents. */
export const DEFAULT_UPDATE_PASSES = 1;

/** One topic of the update report, in the model's topic order (ids kept). */
export interface UpdatedTopic {
  id: number;
  /** Cosine similarity of the topic's H row before and after the update (1: unchanged direction). */
  similarity: number;
  /** The topic after the update that the Hungarian matching on cosine similarity pairs with this one. */
  closest: number;
  /** Share of the new documents (as fit's share), after the update. */
  share: number;
  words: WordWeight[];
  coherence: { npmi: number | null };
}

/** The `--json` document of `update` (schema `nmf-topics/update@1`), keys in this order. */
export interface UpdateReport {
  schema: string;
  version: string;
  params: { [key: string]: JsonValue };
  corpus: { documents: number; terms: number; nonzeros: number; fingerprint: string };
  update: { loss: string; solver: string; passes: number; batches: number; converged: boolean; objective: number; relativeError: number };
  topics: UpdatedTopic[];
  movement: { mean: number; min: number; reordered: number };
  metrics: { npmi: number | null; diversity: number | null; nmi?: number; ari?: number; purity?: number };
  hash?: string;
}

/** The JSON text of a report with its hash: sha256 of the text of every key before `hash`, as fit's. */
export function renderSealedJson(value: { [key: string]: unknown }): string {
  const body = stringifyJson(value as JsonValue);
  const hash = createHash("sha256").update(body, "utf8").digest("hex");
  return `${body.slice(0, -2)},\n  "hash": ${JSON.stringify(hash)}\n}\n`;
}

/** The table of an update report. */
export function renderUpdateTable(report: UpdateReport, level: 0 | 1 | 2 | 3): string {
  const c = makeChalk(level);
  const u = report.update;
  const state = u.converged ? "converged" : c.yellow("not converged");
  const out = [
    c.bold(`${report.topics.length} topics updated on ${report.corpus.documents.toLocaleString("en-US")} new documents`) +
      ` (${u.loss}, ${u.solver}, ${u.passes} pass${u.passes === 1 ? "" : "es"}, ${u.batches} batches, ${state})`,
    `new words are ignored: the model's ${report.corpus.terms.toLocaleString("en-US")}-term vocabulary and idf stay fixed`,
    "",
  ];
  const rows = [["topic", "similarity", "share", "npmi", "top words"]];
  for (const t of report.topics) {
    rows.push([
      t.closest === t.id ? String(t.id) : `${t.id}*`,
      t.similarity.toFixed(3),
      `${(100 * t.share).toFixed(1)}%`,
      t.coherence.npmi === null ? "-" : t.coherence.npmi.toFixed(3),
      escapeControlCharacters(t.words.map((w) => w.term).join(" ")),
    ]);
  }
  const lines = alignColumns(rows, [true, true, true, true, false]);
  out.push(c.bold(lines[0]), ...lines.slice(1));
  if (report.movement.reordered > 0) {
    out.push("", `* matched to another topic after the update (Hungarian matching on cosine similarity): the topic drifted`);
  }
  const m = report.metrics;
  out.push(
    "",
    [
      `similarity mean ${report.movement.mean.toFixed(3)}, min ${report.movement.min.toFixed(3)}`,
      `objective ${formatNumber(u.objective)} on the new documents`,
      `relative error ${u.relativeError.toFixed(4)}`,
      `NPMI ${m.npmi === null ? "-" : m.npmi.toFixed(3)}`,
      `diversity ${m.diversity === null ? "-" : m.diversity.toFixed(3)}`,
    ].join(" · "),
  );
  return out.join("\n") + "\n";
}

export async function runUpdate(modelPath: string, inputs: string[], raw: RawOptions, version: string): Promise<void> {
  const model: Model = loadModel(modelPath);
  const read = readOptionsFrom(raw);
  const quiet = Boolean(raw.quiet);
  const warn = makeWarn({ quiet });
  const settings = onlineSettingsFrom(raw);
  const batchSize = settings.batchSize;
  const passes = settings.passes ?? DEFAULT_UPDATE_PASSES;
  const topWords = (raw.topWords as number | undefined) ?? model.topWords;
  const k = model.nmf.nTopics;
  const vocabulary = model.text.vocabulary;
  const nTerms = vocabulary.length;
  const transform = createTextTransformer(model.text);
  const nmf = nmfOptionsOfModel(model);
  const corpus = await openCorpusPasses(inputs, read, warn);
  // The batches' solves run on the executor (see fit-online.ts).
  const executor = createExecutor(raw.threads as number | undefined);
  nmf.executor = executor;
  const progress = makeProgress("updating", Boolean(process.stderr.isTTY) && !quiet);
  let report: UpdateReport;
  let updatedModel: Model;
  try {
    const first = await readFirstPass(corpus.read(true), () => {});
    const nDocs = first.nDocs;
    const options = onlineOptionsOf(nmf, batchSize);
    const initial = resumeOnlineNmf(model.H, nTerms, nDocs, options);
    const trained = await trainOnline(corpus, nDocs, passes, options, transform, initial, (steps, planned) =>
      progress.update(steps, planned, null),
    );
    progress.done();
    const { state } = trained;
    const H = state.H;

    // Evaluation of the updated topics on the new documents.
    const top = topTermsOf(H, nTerms, k, topWords);
    const evaluation = new StreamingEvaluation(H, nTerms, k, nmf.loss, top);
    let seen = 0;
    for await (const batch of batchDocuments(corpus.read(false), batchSize)) {
      const X = transform(batch.map((d) => d.text));
      const { W } = solveBatchW(X, H, nmf, nmf.maxIter);
      evaluation.addBatch(X, W, batch.map((d) => d.id), labelCodesOf(batch, first.labelIndex));
      seen += batch.length;
    }
    if (seen !== nDocs) throw inputChanged(nDocs, seen);
    const result = evaluation.finish();

    // How far each topic moved: cosine of its row before and after; the matching says whether ids still pair up.
    const before = { terms: vocabulary, weights: model.H, k };
    const after = { terms: vocabulary, weights: H, k };
    const S = computeTopicSimilarity(before, after);
    const closest = new Int32Array(k).fill(-1);
    for (const pair of alignTopics(before, after).pairs) closest[pair.a] = pair.b;
    const topics: UpdatedTopic[] = [];
    let sum = 0;
    let min = Infinity;
    let reordered = 0;
    for (let t = 0; t < k; t++) {
      const similarity = S[t * k + t];
      sum += similarity;
      min = Math.min(min, similarity);
      if (closest[t] !== t) reordered++;
      topics.push({
        id: t,
        similarity,
        closest: closest[t],
        share: result.shares[t],
        words: topicWords(H, nTerms, t, top[t], model.text.displayTerms),
        coherence: { npmi: finiteOrNull(result.npmi[t]) },
      });
    }
    if (!state.converged && settings.passes !== null) {
      warn(`the online solver stopped after ${trained.passes} passes (${state.steps} batches) before its stopping rule was met (--tol ${nmf.tol})`);
    }
    report = {
      schema: UPDATE_SCHEMA,
      version,
      params: {
        model: model.corpus.fingerprint,
        loss: model.nmf.loss,
        solver: model.nmf.solver,
        maxIter: model.nmf.maxIter,
        tol: model.nmf.tol,
        batchSize,
        passes,
        forgetFactor: options.forgetFactor,
        topWords,
        ...readParamsOf(read),
      },
      corpus: { documents: nDocs, terms: nTerms, nonzeros: result.nonzeros, fingerprint: first.fingerprint },
      update: {
        loss: model.nmf.loss,
        solver: ONLINE_SOLVER,
        passes: trained.passes,
        batches: state.steps,
        converged: state.converged,
        objective: result.objective,
        relativeError: result.relativeError,
      },
      topics,
      movement: { mean: sum / k, min, reordered },
      metrics: metricsOf(result) as UpdateReport["metrics"],
    };
    updatedModel = {
      ...model,
      schema: MODEL_SCHEMA,
      version,
      nmf: {
        ...model.nmf,
        iterations: model.nmf.iterations + state.steps,
        converged: state.converged,
        objective: result.objective,
        relativeError: result.relativeError,
      },
      topWords,
      corpus: {
        documents: model.corpus.documents + nDocs,
        terms: nTerms,
        nonzeros: model.corpus.nonzeros + result.nonzeros,
        // The chain of what the model has seen: the model's corpus, then the new documents.
        fingerprint: createHash("sha256").update(`${model.corpus.fingerprint}\n${first.fingerprint}`, "utf8").digest("hex"),
      },
      topics: topics.map((t) => ({ id: t.id, share: t.share, npmi: result.npmi[t.id], top: Array.from(top[t.id]) })),
      H,
    };
  } finally {
    progress.done();
    executor.close();
    corpus.close();
  }
  if (raw.save !== undefined) {
    const target = typeof raw.save === "string" ? raw.save : modelPath;
    writeFilesAtomically([{ path: target, content: serializeModel(updatedModel) }]);
  }
  await writeStdout(raw.json ? renderSealedJson(report as unknown as { [key: string]: unknown }) : renderUpdateTable(report, colorLevel()));
}
