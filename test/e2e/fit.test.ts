/**
 * End-to-end: the built binary on the bundled fixtures, as a person, a pipeline and a CI job use it.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { miniCorpus, runCli, tempDir, binPath } from "../helpers/cli.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let fitJson: string;
let fit: Json;

beforeAll(() => {
  const r = runCli(["fit", miniCorpus, "-k", "5", "--json"]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status).toBe(0);
  fitJson = r.stdout;
  fit = JSON.parse(fitJson);
});

describe("fit --json", () => {
  it("prints exactly one JSON document with the schema's keys in order", () => {
    expect(Object.keys(fit)).toEqual(["schema", "version", "params", "corpus", "fit", "topics", "documents", "metrics", "hash"]);
    expect(fit.schema).toBe("nmf-topics/fit@1");
    expect(fitJson.endsWith("}\n")).toBe(true);
    expect(fitJson.indexOf("\n}\n")).toBe(fitJson.length - 3); // one document, nothing after it
  });

  it("describes the corpus and the fit", () => {
    expect(fit.corpus.documents).toBe(fit.documents.length);
    expect(fit.corpus.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fit.fit).toMatchObject({ loss: "frobenius", solver: "cd", init: "nndsvda" });
    expect(fit.fit.iterations).toBeGreaterThan(0);
    expect(fit.params).toMatchObject({ k: 5, minDf: 2, maxDf: 0.95, maxIter: 200, tol: 0.0001, seed: 0 });
    expect(fit.params).not.toHaveProperty("threads");
  });

  it("lists topics in canonical order with 10 words each and shares summing to 1", () => {
    expect(fit.topics.map((t: Json) => t.id)).toEqual([0, 1, 2, 3, 4]);
    const shares = fit.topics.map((t: Json) => t.share);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
    for (const t of fit.topics) {
      expect(t.words).toHaveLength(10);
      const w = t.words.map((x: Json) => x.weight);
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeLessThanOrEqual(w[i - 1]);
      expect(t.coherence.npmi).toBeGreaterThanOrEqual(-1);
      expect(t.coherence.npmi).toBeLessThanOrEqual(1);
    }
  });

  it("gives every document k non-negative weights, its argmax topic and its folder label", () => {
    for (const d of fit.documents) {
      expect(d.weights).toHaveLength(5);
      expect(Math.min(...d.weights)).toBeGreaterThanOrEqual(0);
      const max = Math.max(...d.weights);
      expect(d.topic).toBe(d.weights.indexOf(max));
      expect(d.id.startsWith(d.label + "/")).toBe(true);
    }
    expect(fit.metrics.nmi).toBeGreaterThan(0.3); // 5 newsgroups, 5 topics
    expect(fit.metrics).toHaveProperty("purity");
  });

  it("seals everything above with a sha256 hash of the printed bytes", () => {
    const { hash, ...rest } = fit;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const body = fitJson.slice(0, fitJson.lastIndexOf(',\n  "hash"')) + "\n}";
    expect(JSON.parse(body)).toEqual(rest);
    expect(createHash("sha256").update(body).digest("hex")).toBe(hash);
  });

  it("is byte-identical across runs and thread counts", () => {
    const again = runCli(["fit", miniCorpus, "-k", "5", "--json", "--threads", "1"]);
    const two = runCli(["fit", miniCorpus, "-k", "5", "--json", "--threads", "2"]);
    expect(again.stdout).toBe(fitJson);
    expect(two.stdout).toBe(fitJson);
  });

  it("runs under node's own flags (V8 options that worker threads refuse) with the same bytes", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5", "--json", "--threads", "2"], { nodeFlags: ["--max-old-space-size=4096", "--stack-size=2000"] });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(fitJson);
  });

  it("is byte-identical with the JavaScript kernels (NMF_TOPICS_WASM=0) and with WebAssembly", () => {
    const js = runCli(["fit", miniCorpus, "-k", "5", "--json", "--threads", "2"], { env: { NMF_TOPICS_WASM: "0" } });
    expect(js.stdout).toBe(fitJson);
  });

  it("changes with the seed only through the result (a random init moves the hash)", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5", "--json", "--init", "random", "--seed", "1"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).hash).not.toBe(fit.hash);
  });

  it("--timings adds a timings key that the hash ignores", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5", "--json", "--timings"]);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(-2)).toEqual(["timings", "hash"]);
    expect(j.hash).toBe(fit.hash);
    // One closing line on stderr, even with --quiet: the phases, then read-to-written and process times.
    const quiet = runCli(["fit", miniCorpus, "-k", "5", "--json", "--timings", "--quiet"]);
    const line = /^nmf-topics: timings \(ms\): start (\d+), read (\d+), vectorize (\d+), fit (\d+), evaluate (\d+), write (\d+); read to written (\d+), process (\d+)\n$/.exec(quiet.stderr);
    expect(line, quiet.stderr).not.toBeNull();
    const [start, read, vectorize, fitMs, evaluate, write, endToEnd, processMs] = line!.slice(1).map(Number);
    expect(Math.abs(read + vectorize + fitMs + evaluate + write - endToEnd)).toBeLessThanOrEqual(3); // rounding
    expect(Math.abs(start + endToEnd - processMs)).toBeLessThanOrEqual(1);
    expect(JSON.parse(quiet.stdout).timings.startMs).toBe(start);
  });
});

describe("fit as a table (the README's main command)", () => {
  it("prints one row per topic and a summary, no colour under NO_COLOR, nothing on stderr", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5"]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^5 topics, 250 documents, [\d,]+ terms \(frobenius, cd, \d+ iterations, converged\)$/);
    const header = lines.findIndex((l) => /^topic\s+share\s+npmi\s+top words$/.test(l));
    expect(header).toBeGreaterThan(0);
    for (let t = 0; t < 5; t++) expect(lines[header + 1 + t]).toMatch(new RegExp(`^\\s*${t}\\s+\\d+\\.\\d%\\s+-?\\d\\.\\d{3}\\s+\\S+`));
    expect(r.stdout).toMatch(/objective .* NPMI .* NMI/);
    expect(r.stderr).not.toMatch(/\r|fitting/);
  });

  it("--docs and --top-docs add document rows with snippets", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5", "--docs", "--top-docs", "2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^document\s+label\s+topic\s+share\s+text$/m);
    const under = r.stdout.split("\n").filter((l) => /^ {8}[a-z.]+\/\d+  \d\.\d{4}  \S/.test(l));
    expect(under).toHaveLength(5 * 2);
    expect(r.stdout.split("\n").filter((l) => /^[a-z.]+\/\d+\s+[a-z.]+\s+\d\s+\d+\.\d%\s+\S/.test(l))).toHaveLength(250);
  });
});

describe("fit --ndjson", () => {
  it("prints topic lines, document lines, then one summary line with the same hash", () => {
    const r = runCli(["fit", miniCorpus, "-k", "5", "--ndjson"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    const types = lines.map((l) => l.type);
    expect(types.slice(0, 5)).toEqual(Array(5).fill("topic"));
    expect(types.slice(5, -1).every((t) => t === "document")).toBe(true);
    expect(types.length).toBe(5 + fit.documents.length + 1);
    const summary = lines[lines.length - 1];
    expect(summary.type).toBe("summary");
    expect(summary.hash).toBe(fit.hash);
    expect(lines[5].id).toBe(fit.documents[0].id);
  });
});

describe("--out, --save, transform and topics", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    const r = runCli(["fit", miniCorpus, "-k", "5", "--out", dir, "--save", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("writes topics.csv, doc-topics.csv, run.json and model.json and no temporary files", () => {
    expect(readdirSync(dir).sort()).toEqual(["doc-topics.csv", "model.json", "run.json", "topics.csv"]);
    expect(readFileSync(join(dir, "run.json"), "utf8")).toBe(fitJson);
    const topics = readFileSync(join(dir, "topics.csv"), "utf8").split("\n");
    expect(topics[0]).toBe("topic,share,npmi,rank,term,weight");
    expect(topics).toHaveLength(1 + 5 * 10 + 1);
    expect(topics[1].split(",")[4]).toBe(fit.topics[0].words[0].term);
    const docs = readFileSync(join(dir, "doc-topics.csv"), "utf8").trimEnd().split("\n");
    expect(docs[0]).toBe("id,label,topic,topic_0,topic_1,topic_2,topic_3,topic_4");
    expect(docs).toHaveLength(1 + fit.documents.length);
  });

  it("topics MODEL prints the fit's topics", () => {
    const r = runCli(["topics", join(dir, "model.json"), "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe("nmf-topics/topics@1");
    expect(j.topics.map((t: Json) => t.words)).toEqual(fit.topics.map((t: Json) => t.words));
  });

  it("transform of the training corpus reproduces fit's weights within 1e-3 of each row's largest weight", () => {
    const r = runCli(["transform", "--model", join(dir, "model.json"), miniCorpus, "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe("nmf-topics/transform@1");
    expect(j.documents).toHaveLength(fit.documents.length);
    let worst = 0;
    fit.documents.forEach((d: Json, i: number) => {
      const scale = Math.max(...d.weights, 1e-12);
      d.weights.forEach((w: number, t: number) => (worst = Math.max(worst, Math.abs(w - j.documents[i].weights[t]) / scale)));
    });
    expect(worst).toBeLessThan(1e-3);
    const agree = fit.documents.filter((d: Json, i: number) => d.topic === j.documents[i].topic).length;
    expect(agree / fit.documents.length).toBeGreaterThan(0.98);
  });
});

describe("the committed model fixture of version 0.1.0 still loads", () => {
  const model = join(miniCorpus, "..", "models", "20news-mini-k3-v0.1.0.model.json");
  it.skipIf(!existsSync(model))("topics and transform read it", () => {
    const topics = runCli(["topics", model]);
    expect(topics.status).toBe(0);
    expect(topics.stdout).toMatch(/^topic\s+share\s+npmi\s+top words$/m);
    const tr = runCli(["transform", "--model", model, join(miniCorpus, "sci.space"), "--json", "--quiet"]);
    expect(tr.status).toBe(0);
    expect(JSON.parse(tr.stdout).documents.length).toBeGreaterThan(0);
    // --threads as for fit: the same bytes on one thread, on two, and with the JavaScript kernels.
    for (const [threads, wasm] of [["1", "1"], ["2", "1"], ["2", "0"]]) {
      const again = runCli(["transform", "--model", model, join(miniCorpus, "sci.space"), "--json", "--quiet", "--threads", threads], { env: { NMF_TOPICS_WASM: wasm } });
      expect(again.stdout).toBe(tr.stdout);
    }
  });
  it("a model of an unknown future schema is refused with exit 3", () => {
    const dir = tempDir();
    const future = join(dir, "future.json");
    writeFileSync(future, JSON.stringify({ schema: "nmf-topics/model@2", H: [] }));
    const r = runCli(["topics", future]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/newer nmf-topics.*upgrade/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("pipes and terminals", () => {
  it("a closed stdout (| head -c 100) ends quietly with status 0", () => {
    const r = spawnSync("bash", ["-c", `node ${JSON.stringify(binPath)} fit ${JSON.stringify(miniCorpus)} -k 5 --json | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stdout.trim()).toBe("0");
    expect(r.stderr).toBe("");
  });

  const haveScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  it.skipIf(!haveScript)("on a terminal stderr shows progress while stdout stays pure JSON", () => {
    const dir = tempDir();
    const out = join(dir, "out.json");
    const cmd = `node ${JSON.stringify(binPath)} fit ${JSON.stringify(miniCorpus)} -k 5 --json --tol 0 --max-iter 60 > ${JSON.stringify(out)}`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fitting .* \d+\/60/); // the pseudo-terminal saw the progress bar
    const json = readFileSync(out, "utf8");
    expect(json).not.toMatch(/\r|fitting/);
    expect(JSON.parse(json).fit.iterations).toBe(60);
  });
});

describe("exit codes", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["unknown flag", ["fit", miniCorpus, "-k", "5", "--no-such-flag"], 2, /unknown option '--no-such-flag'/],
    ["missing -k", ["fit", miniCorpus], 2, /-k, --topics/],
    ["-k 0", ["fit", miniCorpus, "-k", "0"], 2, /-k, --topics.*whole number from 1/],
    ["non-numeric -k", ["fit", miniCorpus, "-k", "many"], 2, /-k, --topics/],
    ["bad loss", ["fit", miniCorpus, "-k", "5", "--loss", "l1"], 2, /--loss.*frobenius, kl/],
    ["NaN tol", ["fit", miniCorpus, "-k", "5", "--tol", "NaN"], 2, /--tol/],
    ["json and ndjson", ["fit", miniCorpus, "-k", "5", "--json", "--ndjson"], 2, /--json and --ndjson/],
    ["cd with kl", ["fit", miniCorpus, "-k", "5", "--loss", "kl", "--solver", "cd"], 2, /--solver cd works with --loss frobenius/],
    ["missing input", ["fit", "no/such/folder", "-k", "5"], 3, /no such file or directory: no\/such\/folder/],
    ["missing model", ["topics", "no-such-model.json"], 3, /no such model file/],
    ["k too large", ["fit", join(miniCorpus, "..", "inputs", "docs.jsonl"), "-k", "500", "--min-df", "1"], 4, /-k 500 is larger than/],
  ];
  for (const [name, args, code, message] of cases) {
    it(`${name}: exit ${code}, one line on stderr`, () => {
      const r = runCli(args);
      expect(r.status, r.stderr).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toMatch(/^\s+at /m); // never a stack trace
    });
  }
  it("--help and --version exit 0 on stdout", () => {
    const help = runCli(["fit", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--max-iter <n>.*\(default: 200\)/);
    const version = runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(miniCorpus, "..", "..", "package.json"), "utf8")).version);
  });
});
