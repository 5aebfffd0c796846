/**
 * fast-check arbitraries shared by the property tests: hostile text (astral characters, control
 * characters, lone surrogates), corpora written to temporary files in every input format, and
 * option values in their documented ranges.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";

/** Runs per property: NMF_TOPICS_PROPERTY_RUNS=N sets it (default `ciRuns`, kept small for CI). */
export function propertyRuns(ciRuns: number): number {
  const n = Number.parseInt(process.env.NMF_TOPICS_PROPERTY_RUNS ?? "", 10);
  return Number.isFinite(n) && n > 0 ? Math.max(1, Math.round((n * ciRuns) / 100)) : ciRuns;
}

/**
 * Seed of a property: NMF_TOPICS_PROPERTY_SEED=N explores other cases (fast-check prints the seed
 * and path of any failure so that it can be replayed); the default keeps CI reproducible.
 */
export function propertySeed(ciSeed: number): number {
  const n = Number.parseInt(process.env.NMF_TOPICS_PROPERTY_SEED ?? "", 10);
  return Number.isFinite(n) ? n : ciSeed;
}

/** A few words shared by many documents, so that terms survive --min-df and topics exist. */
const COMMON_WORDS = ["space", "orbit", "nasa", "hockey", "team", "goal", "vaccine", "doctor", "naïve", "café", "Zürich", "данные", "数据", "2024", "x_y"];

/** One "character": mostly ordinary, sometimes hostile. */
const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ÀéüßΩж中文") },
  { weight: 1, arbitrary: fc.integer({ min: 0x01, max: 0x1f }).map((c) => String.fromCharCode(c)) }, // C0 (no NUL)
  { weight: 1, arbitrary: fc.constantFrom("\u007f", "\u0085", "\u009b", "\u00a0", "\u2028", "\u2029", "\ufeff", "\u200b", "\u0301") },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }, // lone surrogate
  { weight: 1, arbitrary: fc.constantFrom("😀", "𝐀𝐁", "𐍈", "🏳️‍🌈", "👍🏽") }, // astral, ZWJ sequences
  { weight: 1, arbitrary: fc.constantFrom('"', ",", "\t", "\n", "\r\n", "\\", "{", "}", "[", "]") }, // format syntax
);

/** A word: a common one (so that terms repeat), or a run of hostile characters. */
const word: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_WORDS) },
  { weight: 2, arbitrary: fc.array(hostileChar, { minLength: 1, maxLength: 8 }).map((cs) => cs.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) }, // any code point, astral included
);

/** The text of one document: 0 to 14 words. */
export const documentText: fc.Arbitrary<string> = fc.array(word, { maxLength: 14 }).map((ws) => ws.join(" "));

export const FORMATS = ["lines", "text", "csv", "tsv", "jsonl", "json", "json-strings"] as const;
export type CorpusFormat = (typeof FORMATS)[number];

export interface CorpusSpec {
  texts: string[];
  format: CorpusFormat;
  gzip: boolean;
  /** CSV/JSON only: add an id column/field with these values (may repeat or be odd). */
  ids: string[] | null;
  /** CSV/JSON only: add a label column/field. */
  labels: string[] | null;
}

export const corpusSpec: fc.Arbitrary<CorpusSpec> = fc
  .record({
    texts: fc.array(documentText, { minLength: 0, maxLength: 24 }),
    format: fc.constantFrom(...FORMATS),
    gzip: fc.boolean(),
    withIds: fc.boolean(),
    withLabels: fc.boolean(),
    names: fc.array(fc.oneof(fc.constantFrom("a", "b", "x,y", "1", ""), fc.string({ maxLength: 4 })), { minLength: 24, maxLength: 24 }),
  })
  .map(({ texts, format, gzip, withIds, withLabels, names }) => ({
    texts,
    format,
    gzip,
    ids: withIds ? texts.map((_, i) => `${names[i]}#${i}`) : null,
    labels: withLabels ? texts.map((_, i) => names[(i * 7) % names.length]) : null,
  }));

function quoteCsv(field: string, delimiter: string): string {
  return field.includes('"') || field.includes(delimiter) || /[\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Writes a corpus into `dir` as the format asks and returns the argument to give `fit` (a file or a
 * folder) and the read flags that go with it.
 */
export function writeCorpus(dir: string, spec: CorpusSpec): { input: string; flags: Record<string, string | boolean> } {
  mkdirSync(dir, { recursive: true });
  const flags: Record<string, string | boolean> = {};
  let name: string;
  let content: string;
  switch (spec.format) {
    case "lines":
      name = "corpus.txt";
      content = spec.texts.join("\n");
      flags.lines = true;
      break;
    case "text": {
      // one file per document in a folder
      const folder = join(dir, "folder");
      spec.texts.forEach((t, i) => {
        const label = spec.labels ? `l${i % 3}` : "";
        const sub = label ? join(folder, label) : folder;
        mkdirSync(sub, { recursive: true });
        writeFileSync(join(sub, `doc${String(i).padStart(3, "0")}.txt`), t);
      });
      mkdirSync(folder, { recursive: true });
      return { input: folder, flags };
    }
    case "csv":
    case "tsv": {
      const d = spec.format === "csv" ? "," : "\t";
      name = `corpus.${spec.format}`;
      const header = ["text", ...(spec.ids ? ["id"] : []), ...(spec.labels ? ["label"] : [])];
      const rows = spec.texts.map((t, i) => [t, ...(spec.ids ? [spec.ids[i]] : []), ...(spec.labels ? [spec.labels[i]] : [])]);
      content = [header, ...rows].map((r) => r.map((f) => quoteCsv(f, d)).join(d)).join("\r\n") + "\r\n";
      if (spec.ids) flags.idColumn = "id";
      if (spec.labels) flags.labelColumn = "label";
      break;
    }
    case "jsonl":
    case "json": {
      name = `corpus.${spec.format}`;
      const records = spec.texts.map((t, i) => ({
        text: t,
        ...(spec.ids ? { id: spec.ids[i] } : {}),
        ...(spec.labels ? { label: spec.labels[i] } : {}),
      }));
      content = spec.format === "jsonl" ? records.map((r) => JSON.stringify(r)).join("\n") : JSON.stringify(records);
      if (spec.ids) flags.idField = "id";
      if (spec.labels) flags.labelField = "label";
      break;
    }
    case "json-strings":
      name = "strings.json";
      content = JSON.stringify(spec.texts);
      break;
  }
  const path = join(dir, spec.gzip ? `${name}.gz` : name);
  const bytes = Buffer.from(content, "utf8");
  writeFileSync(path, spec.gzip ? gzipSync(bytes) : bytes);
  return { input: path, flags };
}

/** Option values in their documented ranges (as the CLI's parsers would return them). */
export interface OptionSpec {
  k: number;
  minDf: number;
  maxDf: number;
  ngramRange: [number, number];
  loss: "frobenius" | "kl";
  solver: "auto" | "cd" | "mu" | "ccd";
  init: "nndsvda" | "nndsvd" | "nndsvdar" | "random";
  maxIter: number;
  tol: number;
  seed: number;
  alphaW: number;
  alphaH: number | "same";
  l1Ratio: number;
  weighting: "tfidf" | "tf" | "binary";
  norm: "l2" | "l1" | "none";
  sublinearTf: boolean;
  dropNumbers: boolean;
  stem: boolean;
  stopWords: "auto" | "none";
  maxFeatures: number | null;
  topWords: number;
}

export const optionSpec: fc.Arbitrary<OptionSpec> = fc
  .record({
    k: fc.integer({ min: 1, max: 6 }),
    minDf: fc.oneof(fc.constantFrom(1, 2, 3), fc.double({ min: 0, max: 0.5, noNaN: true })),
    maxDf: fc.oneof(fc.constantFrom(1, 0.95, 5, 30), fc.double({ min: 0.3, max: 1, noNaN: true })),
    ngramRange: fc.constantFrom<[number, number]>([1, 1], [1, 2], [2, 2], [1, 3]),
    loss: fc.constantFrom("frobenius" as const, "kl" as const),
    solverPick: fc.constantFrom(0, 1, 2),
    init: fc.constantFrom("nndsvda" as const, "nndsvd" as const, "nndsvdar" as const, "random" as const),
    maxIter: fc.integer({ min: 1, max: 60 }),
    tol: fc.constantFrom(0, 1e-4, 1e-2, 0.5),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    alphaW: fc.constantFrom(0, 0, 0.001, 0.1, 2),
    alphaH: fc.constantFrom<number | "same">("same", "same", 0, 0.05),
    l1Ratio: fc.double({ min: 0, max: 1, noNaN: true }),
    weighting: fc.constantFrom("tfidf" as const, "tf" as const, "binary" as const),
    norm: fc.constantFrom("l2" as const, "l1" as const, "none" as const),
    sublinearTf: fc.boolean(),
    dropNumbers: fc.boolean(),
    stem: fc.boolean(),
    stopWords: fc.constantFrom("auto" as const, "none" as const),
    maxFeatures: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
    topWords: fc.integer({ min: 1, max: 12 }),
  })
  .map(({ solverPick, ...o }) => ({
    ...o,
    solver: (o.loss === "frobenius" ? (["auto", "cd", "mu"] as const) : (["auto", "mu", "ccd"] as const))[solverPick],
  }));

/** The command-line flags of an {@link OptionSpec} (numbers written as a user would type them). */
export function optionArgs(o: OptionSpec): string[] {
  const args = [
    "-k", String(o.k),
    "--min-df", String(o.minDf),
    "--max-df", String(o.maxDf),
    "--ngram-range", o.ngramRange.join(","),
    "--loss", o.loss,
    "--solver", o.solver,
    "--init", o.init,
    "--max-iter", String(o.maxIter),
    "--tol", String(o.tol),
    "--seed", String(o.seed),
    "--alpha-w", String(o.alphaW),
    "--alpha-h", String(o.alphaH),
    "--l1-ratio", String(o.l1Ratio),
    "--weighting", o.weighting,
    "--norm", o.norm,
    "--stop-words", o.stopWords,
    "--top-words", String(o.topWords),
  ];
  if (o.sublinearTf) args.push("--sublinear-tf");
  if (o.dropNumbers) args.push("--drop-numbers");
  if (o.stem) args.push("--stem");
  if (o.maxFeatures !== null) args.push("--max-features", String(o.maxFeatures));
  return args;
}
