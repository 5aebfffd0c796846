/**
 * Property tests of the whole pipeline, in process (fast): random corpora with hostile Unicode
 * written in every input format, random option values in range. Whatever the input, a run either
 * succeeds, with JSON/NDJSON that parse and the same bytes for the same seed, or fails with one of
 * the user-error classes (exit 2, 3 or 4), never with anything that `main` would report as an
 * internal error (exit 70). The same holds for model files that are truncated or edited.
 *
 * More cases: NMF_TOPICS_PROPERTY_RUNS=1000 (percent of the CI count) and NMF_TOPICS_PROPERTY_SEED=N:
 *   NMF_TOPICS_PROPERTY_RUNS=1000 npx vitest run --project unit test/unit/property
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { paramsOf } from "../../../src/cli/commands/fit.js";
import { nmfOptionsOfModel } from "../../../src/cli/commands/transform.js";
import { nmfOptionsFrom, readOptionsFrom, textOptionsFrom, type RawOptions } from "../../../src/cli/options.js";
import { hygieneWarnings } from "../../../src/cli/output.js";
import { readCorpus } from "../../../src/corpus/index.js";
import { InputError, NmfTopicsError } from "../../../src/errors.js";
import { fitCorpus } from "../../../src/fit.js";
import { buildModel, parseModel, serializeModel } from "../../../src/model.js";
import { transformNmf } from "../../../src/nmf/index.js";
import { renderDocTopicsCsv, renderTopicsCsv } from "../../../src/report/csv.js";
import { buildFitReport, renderJson, sealReport } from "../../../src/report/fit-report.js";
import { stringifyJson, type JsonValue } from "../../../src/report/json.js";
import { renderNdjson } from "../../../src/report/ndjson.js";
import { renderTable } from "../../../src/report/table.js";
import { escapeControlCharacters } from "../../../src/report/terminal.js";
import { transformTexts } from "../../../src/text/index.js";
import { corpusSpec, optionSpec, propertyRuns, propertySeed, writeCorpus, type OptionSpec } from "./arbitraries.js";

const root = mkdtempSync(join(tmpdir(), "nmf-topics-property-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let caseNumber = 0;

/** The raw options commander would hand over for these values. */
function rawOptions(o: OptionSpec, flags: Record<string, string | boolean>): RawOptions {
  return {
    topics: o.k,
    lines: false,
    textColumn: "text",
    textField: "text",
    inputFormat: "lines",
    lang: "en",
    extraStopWords: undefined,
    tokenPattern: undefined,
    ...o,
    maxFeatures: o.maxFeatures ?? undefined,
    ...flags,
  };
}

/** Everything `fit --json --out --save` computes, as strings; plus the model text. */
async function runPipeline(input: string, raw: RawOptions, warnings: string[]): Promise<{ json: string; ndjson: string; table: string; csv: string; model: string }> {
  const read = readOptionsFrom(raw);
  const text = textOptionsFrom(raw);
  const nmf = nmfOptionsFrom(raw, raw.topics as number);
  const warn = (m: string): void => void warnings.push(m);
  const documents = await readCorpus([input], read, warn);
  const run = fitCorpus(documents, { text, nmf, topWords: raw.topWords as number });
  hygieneWarnings(run, nmf, warn);
  const report = buildFitReport(run, paramsOf(raw.topics as number, nmf, text, read, raw.topWords as number), "0.0.0-test");
  const texts = documents.map((d) => d.text);
  if (documents.length % 2 === 1) report.timings = { readMs: 1, vectorizeMs: 2, fitMs: 3, evaluateMs: 4, maxRssMB: 5 };
  const json = renderJson(report);
  // renderJson appends timings and hash to the hashed text: the bytes of serialising the sealed report.
  expect(json).toBe(stringifyJson(sealReport(report) as unknown as JsonValue) + "\n");
  return {
    json,
    ndjson: renderNdjson(report),
    table: renderTable(report, { colorLevel: 0, docs: true, topDocs: 2, texts }),
    csv: renderTopicsCsv(report) + renderDocTopicsCsv(report),
    model: serializeModel(buildModel(run, nmf, raw.topWords as number, "0.0.0-test")),
  };
}

/** Fails the property with the stack when `error` is not a user error (what main reports as exit 70). */
function expectUserError(error: unknown): asserts error is NmfTopicsError {
  if (!(error instanceof NmfTopicsError)) {
    throw new Error(`internal error (exit 70): ${error instanceof Error ? error.stack : String(error)}`);
  }
  expect([2, 3, 4]).toContain(error.exitCode);
  expect(error.message.length).toBeGreaterThan(0);
  expect(escapeControlCharacters(error.message)).not.toMatch(/\n/);
}

const TABLE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/; // a table may hold \n between rows only

describe("the pipeline on random corpora and options", () => {
  it("ends in a result or a user error; JSON parses; the same seed gives the same bytes", async () => {
    let succeeded = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(corpusSpec, optionSpec, async (spec, options) => {
        const dir = join(root, `case-${caseNumber++}`);
        const { input, flags } = writeCorpus(dir, spec);
        const raw = rawOptions(options, flags);
        let first;
        try {
          first = await runPipeline(input, raw, []);
        } catch (error) {
          expectUserError(error);
          failed++;
          return;
        }
        succeeded++;
        const json = JSON.parse(first.json);
        expect(json.schema).toBe("nmf-topics/fit@1");
        expect(json.documents.length).toBe(json.corpus.documents);
        for (const d of json.documents) {
          expect(d.weights.length).toBe(options.k);
          for (const w of d.weights) expect(Number.isFinite(w) && w >= 0).toBe(true);
        }
        const lines = first.ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
        expect(lines[lines.length - 1].hash).toBe(json.hash);
        expect(first.table).not.toMatch(TABLE_CONTROLS);
        // Same inputs, same seed: the same bytes everywhere.
        const second = await runPipeline(input, raw, []);
        expect(second).toEqual(first);
        // The saved model reads back, and transform of the same files works or fails as a user error.
        const model = parseModel(first.model, "model.json");
        const documents = await readCorpus([input], readOptionsFrom(raw), () => {});
        try {
          const X = transformTexts(documents.map((d) => d.text), model.text);
          const W = transformNmf(X, model.H, nmfOptionsOfModel(model)).W;
          for (const w of W) expect(Number.isFinite(w) && w >= 0).toBe(true);
        } catch (error) {
          expectUserError(error);
        }
      }),
      { numRuns: propertyRuns(300), seed: propertySeed(20240508) },
    );
    // The generators must reach both outcomes, or the property says little.
    expect(succeeded).toBeGreaterThan(10);
    expect(failed).toBeGreaterThan(5);
  });
});

describe("model files that are truncated or edited", () => {
  /** One valid model to mutate (a small fit). */
  let modelText = "";
  const mini = ["space orbit nasa launch", "orbit nasa moon", "hockey team goal", "team goal season", "doctor vaccine patient", "vaccine doctor"];

  it("a valid model reads back exactly", async () => {
    const dir = join(root, "model-base");
    const { input, flags } = writeCorpus(dir, { texts: mini, format: "lines", gzip: false, ids: null, labels: null });
    const raw = rawOptions({ ...(fc.sample(optionSpec, { numRuns: 1, seed: 1 })[0]), k: 2, minDf: 1, maxDf: 1, ngramRange: [1, 1], init: "nndsvda", loss: "frobenius", solver: "cd", alphaW: 0, alphaH: "same", maxFeatures: null, stem: false }, flags);
    modelText = (await runPipeline(input, raw, [])).model;
    const model = parseModel(modelText, "m.json");
    expect(serializeModel(model)).toBe(modelText);
  });

  /** Paths into the model JSON and hostile values to put there. */
  const hostileValue = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1e308, 1.5, "", "x", "nmf-topics/model@9", [], {}, [null], [-1], ["a", "a"], [1, 2]),
    fc.string({ maxLength: 5 }),
  );
  const mutation = fc.record({ pathPick: fc.nat(), value: hostileValue, remove: fc.boolean(), truncateAt: fc.option(fc.nat(), { nil: null }) });

  it("a mutated model is read or refused with an InputError; a model that reads transforms or fails as a user error", () => {
    expect(modelText).not.toBe("");
    const base = JSON.parse(modelText) as unknown;
    // Every path of the model JSON (objects and arrays, first 3 items of arrays).
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(base, []);
    let refused = 0;
    fc.assert(
      fc.property(mutation, ({ pathPick, value, remove, truncateAt }) => {
        let text: string;
        if (truncateAt !== null) {
          text = modelText.slice(0, truncateAt % modelText.length);
        } else {
          const copy = JSON.parse(modelText);
          const path = paths[pathPick % paths.length];
          if (path.length === 0) {
            text = JSON.stringify(value);
          } else {
            let parent = copy;
            for (const key of path.slice(0, -1)) parent = parent[key];
            const last = path[path.length - 1];
            if (remove && !Array.isArray(parent)) delete parent[last];
            else parent[last] = value;
            text = JSON.stringify(copy);
          }
        }
        let model;
        try {
          model = parseModel(text, "m.json");
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          refused++;
          return;
        }
        try {
          const X = transformTexts(mini, model.text);
          transformNmf(X, model.H, nmfOptionsOfModel(model));
        } catch (error) {
          expectUserError(error);
        }
      }),
      { numRuns: propertyRuns(300), seed: propertySeed(7) },
    );
    expect(refused).toBeGreaterThan(20);
  });
});

describe("random bytes as a corpus file", () => {
  const extensions = ["txt", "csv", "tsv", "jsonl", "json", "txt.gz", "json.gz"];
  it("are read, or refused with an InputError naming the file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...extensions), async (bytes, ext) => {
        const dir = join(root, `bytes-${caseNumber++}`);
        const { mkdirSync, writeFileSync } = await import("node:fs");
        mkdirSync(dir, { recursive: true });
        const path = join(dir, `input.${ext}`);
        writeFileSync(path, bytes);
        try {
          const docs = await readCorpus([path], readOptionsFrom(rawOptions(fc.sample(optionSpec, { numRuns: 1, seed: 2 })[0], {})), () => {});
          expect(docs.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toContain("input.");
        }
      }),
      { numRuns: propertyRuns(200), seed: propertySeed(11) },
    );
  });
});

describe("escapeControlCharacters (tables, warnings and error lines)", () => {
  const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  it("leaves no control character, keeps every other character, and is the identity on text without controls", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 20 }), (a, b) => {
        const text = a + b;
        const escaped = escapeControlCharacters(text);
        expect(escaped).not.toMatch(CONTROL);
        expect(escaped.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])/g, "")).toBe(text.replace(new RegExp(CONTROL, "g"), "").replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])/g, ""));
        if (!CONTROL.test(text)) expect(escaped).toBe(text);
      }),
      { numRuns: propertyRuns(300), seed: propertySeed(5) },
    );
    expect(escapeControlCharacters("a\u001b[31mb\n\t\r\u0000\u0085\u2028\ud800")).toBe("a\\x1b[31mb\\n\\t\\r\\x00\\x85\\u2028\ud800");
  });
});
