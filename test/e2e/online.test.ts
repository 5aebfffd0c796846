/**
 * End-to-end: `fit --online` and `update` through the built binary. The streamed JSON is the bytes
 * `fit` would print for the same report (its hash checks out against the printed text), NDJSON lines
 * parse and come in input order, the same seed gives the same bytes (also across --threads), stdin
 * can be read several times, and `update` on more documents of the same topics keeps the topic ids.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseModel } from "../../src/model.js";
import { stringifyJson, type JsonValue } from "../../src/report/json.js";
import { miniCorpus, runCli, tempDir } from "../helpers/cli.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ONLINE = ["-k", "5", "--online", "--batch-size", "64"];

/** The hash a JSON document should carry: sha256 of its text without the hash, as fit prints it. */
function expectedHash(parsed: Json): string {
  const { hash: _hash, timings: _timings, ...rest } = parsed;
  return createHash("sha256").update(stringifyJson(rest as JsonValue), "utf8").digest("hex");
}

function run(args: string[], input?: string): { stdout: string; stderr: string } {
  const r = runCli(args, input === undefined ? {} : { input });
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

let jsonText: string;
let json: Json;
let batch: Json;

beforeAll(() => {
  jsonText = run(["fit", miniCorpus, ...ONLINE, "--json"]).stdout;
  json = JSON.parse(jsonText);
  batch = JSON.parse(run(["fit", miniCorpus, "-k", "5", "--json"]).stdout);
});

describe("fit --online --json", () => {
  it("has fit's schema and keys; its hash is the sha256 of the printed text", () => {
    expect(Object.keys(json)).toEqual(Object.keys(batch));
    expect(json.schema).toBe("nmf-topics/fit@1");
    expect(Object.keys(json.params)).toEqual([...Object.keys(batch.params), "online", "batchSize", "passes", "forgetFactor"]);
    expect(json.params).toMatchObject({ online: true, batchSize: 64, passes: 13, forgetFactor: 0.7 }); // ceil(50 / 4 batches)
    expect(json.hash).toBe(expectedHash(json));
    // Re-serialising the parsed document gives the printed bytes: the same writer, layout and numbers.
    expect(stringifyJson(json as JsonValue) + "\n").toBe(jsonText);
  });

  it("describes the same corpus as the batch fit, documents in input order", () => {
    expect(json.corpus).toEqual(batch.corpus);
    expect(json.documents.map((d: Json) => d.id)).toEqual(batch.documents.map((d: Json) => d.id));
    expect(json.documents.map((d: Json) => d.label)).toEqual(batch.documents.map((d: Json) => d.label));
    expect(json.fit).toMatchObject({ loss: "frobenius", solver: "online-mu", init: "nndsvda" });
    expect(json.fit.iterations).toBeGreaterThanOrEqual(4); // 4 batches of 64 per pass
    for (const d of json.documents) {
      expect(d.weights).toHaveLength(5);
      expect(d.topic).toBe(d.weights.indexOf(Math.max(...d.weights)));
    }
    const shares = json.topics.map((t: Json) => t.share);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it("fits about as well as the batch solver (objective within 10 % on this small corpus)", () => {
    expect(json.fit.objective).toBeGreaterThan(batch.fit.objective * 0.999);
    expect(json.fit.objective).toBeLessThan(batch.fit.objective * 1.1);
  });

  it("same seed, same bytes: again, with --threads 1 and 2, and with the JavaScript kernels", () => {
    expect(run(["fit", miniCorpus, ...ONLINE, "--json"]).stdout).toBe(jsonText);
    expect(run(["fit", miniCorpus, ...ONLINE, "--json", "--threads", "1"]).stdout).toBe(jsonText);
    expect(run(["fit", miniCorpus, ...ONLINE, "--json", "--threads", "2"]).stdout).toBe(jsonText);
    const js = runCli(["fit", miniCorpus, ...ONLINE, "--json", "--threads", "2"], { env: { NMF_TOPICS_WASM: "0" } });
    expect(js.stdout).toBe(jsonText);
    const other = JSON.parse(run(["fit", miniCorpus, ...ONLINE, "--json", "--seed", "3"]).stdout);
    expect(other.hash).not.toBe(json.hash);
  });

  it("--timings adds a key outside the hash", () => {
    const timed = JSON.parse(run(["fit", miniCorpus, ...ONLINE, "--json", "--timings"]).stdout);
    expect(Object.keys(timed).slice(-2)).toEqual(["timings", "hash"]);
    expect(timed.hash).toBe(json.hash);
    expect(timed.timings.maxRssMB).toBeGreaterThan(0);
  });
});

describe("fit --online --ndjson", () => {
  it("topic lines, then one line per document in input order, then the summary with the same hash", () => {
    const lines = run(["fit", miniCorpus, ...ONLINE, "--ndjson"]).stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.slice(0, 5).map((l) => l.type)).toEqual(Array(5).fill("topic"));
    const docs = lines.slice(5, -1);
    expect(docs.every((l) => l.type === "document")).toBe(true);
    expect(docs.map((d) => d.id)).toEqual(json.documents.map((d: Json) => d.id));
    expect(docs.map(({ type: _t, ...d }) => d)).toEqual(json.documents);
    const summary = lines[lines.length - 1];
    expect(summary.type).toBe("summary");
    expect(summary.hash).toBe(json.hash);
    expect(summary.fit).toEqual(json.fit);
  });
});

describe("fit --online: other outputs", () => {
  it("a table of topics and the summary, no document rows; --top-docs lists documents", () => {
    const table = run(["fit", miniCorpus, ...ONLINE]).stdout;
    expect(table).toMatch(/^5 topics, 250 documents, 5,787 terms \(frobenius, online-mu, \d+ iterations, (converged|not converged)\)/);
    expect(table).not.toMatch(/sci\.space\/\d+/);
    const withDocs = run(["fit", miniCorpus, ...ONLINE, "--top-docs", "2"]).stdout;
    expect(withDocs.match(/^ {8}\S+\/\d+ {2}\d\.\d{4}/gm)?.length).toBe(10);
  });

  it("--docs is a usage error that says what to use", () => {
    const r = runCli(["fit", miniCorpus, ...ONLINE, "--docs"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--docs .*--ndjson/);
    expect(r.stdout).toBe("");
  });

  it("--out and --save write run.json (= stdout), the CSV files and a model that transform reads", () => {
    const dir = tempDir();
    const stdout = run(["fit", miniCorpus, ...ONLINE, "--json", "--out", dir, "--save"]).stdout;
    expect(readFileSync(join(dir, "run.json"), "utf8")).toBe(stdout);
    const csv = readFileSync(join(dir, "doc-topics.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0]).toBe("id,label,topic,topic_0,topic_1,topic_2,topic_3,topic_4");
    expect(csv).toHaveLength(251);
    expect(csv[1].split(",")[0]).toBe(json.documents[0].id);
    expect(readFileSync(join(dir, "topics.csv"), "utf8").split("\n")[0]).toBe("topic,share,npmi,rank,term,weight");
    const model = parseModel(readFileSync(join(dir, "model.json"), "utf8"), "model.json");
    expect(model.nmf).toMatchObject({ solver: "cd", nTopics: 5, objective: expect.any(Number) });
    expect(model.topics.map((t) => t.top.slice(0, 10).map((j) => model.text.displayTerms[j]))).toEqual(
      json.topics.map((t: Json) => t.words.map((w: Json) => w.term)),
    );
    const transformed = JSON.parse(run(["transform", "--model", join(dir, "model.json"), miniCorpus, "--json"]).stdout);
    // The same H, the same transform solver: the same argmax topic for nearly every document.
    const same = transformed.documents.filter((d: Json, i: number) => d.topic === json.documents[i].topic).length;
    expect(same).toBeGreaterThanOrEqual(245);
  });

  it("reads standard input several times: the same result as the file", () => {
    const dir = tempDir();
    const path = join(dir, "notes.txt");
    const lines = json.documents.map((_: Json, i: number) => `note ${i} ${["space nasa orbit", "hockey team game", "israel peace talks"][i % 3]} ${i % 7}`);
    writeFileSync(path, lines.join("\n") + "\n");
    const fromFile = run(["fit", path, "--lines", "-k", "3", "--online", "--batch-size", "50", "--json"]).stdout;
    const fromStdin = run(["fit", "-", "-k", "3", "--online", "--batch-size", "50", "--json"], lines.join("\n") + "\n").stdout;
    const a = JSON.parse(fromFile);
    const b = JSON.parse(fromStdin);
    expect(b.documents.map((d: Json) => d.id)).toEqual(a.documents.map((d: Json) => d.id.replace("notes.txt", "stdin")));
    expect(b.topics).toEqual(a.topics);
    expect(b.fit).toEqual(a.fit);
  });
});

/** JSONL of documents drawn from k planted topics, each with its own 25 words. */
function plantedJsonl(k: number, start: number, count: number, seed: number): string {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const words = (t: number): string[] => Array.from({ length: 25 }, (_, w) => `topic${String.fromCharCode(97 + t)}word${String.fromCharCode(97 + w)}`);
  const lines: string[] = [];
  for (let d = start; d < start + count; d++) {
    const t = d % k;
    const picked = Array.from({ length: 30 }, () => words(rand() < 0.85 ? t : Math.floor(rand() * k))[Math.floor(rand() * 25)]);
    lines.push(JSON.stringify({ id: `d${d}`, label: `t${t}`, text: picked.join(" ") }));
  }
  return lines.join("\n") + "\n";
}

describe("update", () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir, "first.jsonl"), plantedJsonl(4, 0, 600, 1));
    writeFileSync(join(dir, "more.jsonl"), plantedJsonl(4, 600, 600, 2));
    model = join(dir, "model.json");
    run(["fit", join(dir, "first.jsonl"), "-k", "4", "--online", "--batch-size", "100", "--save", model, "--json", "--label-field", "label"]);
  });

  it("on more documents of the same topics: every topic stays itself (high similarity, ids kept)", () => {
    const r = run(["update", model, join(dir, "more.jsonl"), "--json", "--batch-size", "100"]);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["schema", "version", "params", "corpus", "update", "topics", "movement", "metrics", "hash"]);
    expect(report.schema).toBe("nmf-topics/update@1");
    expect(report.hash).toBe(expectedHash(report));
    expect(report.corpus.documents).toBe(600);
    expect(report.update).toMatchObject({ solver: "online-mu", passes: 1, batches: 6 });
    expect(report.topics.map((t: Json) => t.id)).toEqual([0, 1, 2, 3]);
    for (const t of report.topics) {
      expect(t.similarity).toBeGreaterThan(0.95);
      expect(t.closest).toBe(t.id);
    }
    expect(report.movement.reordered).toBe(0);
    expect(report.movement.min).toBe(Math.min(...report.topics.map((t: Json) => t.similarity)));
    // Same seed, same bytes.
    expect(run(["update", model, join(dir, "more.jsonl"), "--json", "--batch-size", "100"]).stdout).toBe(r.stdout);
  });

  it("--save writes the updated model (ids kept, the corpus grown); the table says new words are ignored", () => {
    const updated = join(dir, "updated.json");
    const table = run(["update", model, join(dir, "more.jsonl"), "--batch-size", "100", "--save", updated]).stdout;
    expect(table).toMatch(/^4 topics updated on 600 new documents \(frobenius, online-mu, 1 pass, 6 batches/);
    expect(table).toMatch(/new words are ignored: the model's 100-term vocabulary and idf stay fixed/);
    expect(table).toMatch(/similarity mean 0\.9\d\d, min 0\.9\d\d/);
    const before = parseModel(readFileSync(model, "utf8"), "model.json");
    const after = parseModel(readFileSync(updated, "utf8"), "updated.json");
    expect(after.schema).toBe("nmf-topics/model@1");
    expect(after.text).toEqual(before.text);
    expect(after.corpus.documents).toBe(1200);
    expect(after.nmf.iterations).toBe(before.nmf.iterations + 6);
    expect(Array.from(after.H)).not.toEqual(Array.from(before.H));
    // Each topic keeps its planted topic: its top words come from the same planted word list.
    const plantedOf = (m: typeof before, t: number): string[] => m.topics[t].top.slice(0, 5).map((j) => m.text.vocabulary[j].slice(0, 6));
    for (let t = 0; t < 4; t++) {
      expect(new Set(plantedOf(before, t)).size).toBe(1);
      expect(plantedOf(after, t)).toEqual(plantedOf(before, t));
    }
    expect(new Set([0, 1, 2, 3].map((t) => plantedOf(after, t)[0])).size).toBe(4);
  });

  it("a missing model is an input error", () => {
    const r = runCli(["update", join(dir, "nope.json"), join(dir, "more.jsonl")]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/no such model file/);
  });
});
