/**
 * End-to-end: `sweep` and `diff` through the built binary (run `npm run build` first), on the
 * bundled 20news-mini fixture (250 documents, 5 newsgroups).
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { miniCorpus, runCli, tempDir } from "../helpers/cli.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("sweep", () => {
  let jsonText: string;
  let json: Json;

  beforeAll(() => {
    const r = runCli(["sweep", miniCorpus, "-k", "3..5", "--runs", "2", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    jsonText = r.stdout;
    json = JSON.parse(jsonText);
  });

  it("prints a table: one row per k, the recommended row marked, then the rule", () => {
    const r = runCli(["sweep", miniCorpus, "-k", "3..5", "--runs", "2"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(""); // no progress off a TTY
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^k = 3\.\.5 · 2 runs each on samples of 200 documents · 250 documents, [\d,]+ terms \(frobenius, cd, nndsvda\)$/);
    const rows = lines.filter((l) => /^[* ]\s+\d+\s/.test(l));
    expect(rows.map((l) => Number(l.slice(1).trim().split(/\s+/)[0]))).toEqual([3, 4, 5]);
    const marked = rows.filter((l) => l.startsWith("*"));
    expect(marked).toHaveLength(1);
    const k = Number(marked[0].slice(1).trim().split(/\s+/)[0]);
    expect(lines[lines.length - 1]).toBe(`recommended: k = ${k}, by the rule: ${json.recommended.rule}`);
    expect(k).toBe(json.recommended.k);
  });

  it("--json: one document with results per k and a recommended k among them", () => {
    expect(jsonText.indexOf("\n}\n")).toBe(jsonText.length - 3);
    expect(json.schema).toBe("nmf-topics/sweep@1");
    expect(json.params).toMatchObject({ ks: [3, 4, 5], runs: 2, sampleFraction: 0.8, seed: 0, init: "nndsvda", topWords: 10 });
    expect(json.corpus.documents).toBe(250);
    expect(json.results.map((r: Json) => r.k)).toEqual([3, 4, 5]);
    expect([3, 4, 5]).toContain(json.recommended.k);
    for (const r of json.results) {
      expect(r.runs.map((x: Json) => x.seed)).toEqual([0, 1]);
      expect(r.runs.map((x: Json) => x.documents)).toEqual([200, 200]);
      expect(r.stability).toBeGreaterThanOrEqual(0);
      expect(r.stability).toBeLessThanOrEqual(1);
      expect(r.npmi).toBeGreaterThan(0); // real topics of real newsgroups are coherent
      expect(r.diversity).toBeGreaterThan(0.5);
      expect(r.topics).toHaveLength(r.k);
    }
    const { hash, ...rest } = json;
    const body = jsonText.slice(0, jsonText.lastIndexOf(',\n  "hash"')) + "\n}";
    expect(JSON.parse(body)).toEqual(rest);
    expect(createHash("sha256").update(body).digest("hex")).toBe(hash);
  });

  it("--json is byte-identical across two runs; --ndjson carries the same results and hash", () => {
    const again = runCli(["sweep", miniCorpus, "-k", "3..5", "--runs", "2", "--json"]);
    expect(again.stdout).toBe(jsonText);
    const nd = runCli(["sweep", miniCorpus, "-k", "3..5", "--runs", "2", "--ndjson"]);
    expect(nd.status).toBe(0);
    const lines = nd.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(["k", "k", "k", "summary"]);
    expect(lines.slice(0, 3).map(({ type: _t, ...r }) => r)).toEqual(json.results);
    expect(lines[3].hash).toBe(json.hash);
  });

  it("with one run: stability null in JSON, '-' in the table", () => {
    const r = runCli(["sweep", miniCorpus, "-k", "3,4", "--runs", "1", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: Json) => x.stability)).toEqual([null, null]);
    expect(j.recommended.rule).toMatch(/one run/);
    const table = runCli(["sweep", miniCorpus, "-k", "3,4", "--runs", "1"]).stdout;
    expect(table).toMatch(/^[* ]\s+3\s+\S+\s+\S+\s+\S+\s+-\s+\S+$/m);
  });

  it("refuses bad values with exit 2 naming the flag", () => {
    for (const args of [["-k", "0"], ["-k", "3", "--runs", "0"], ["-k", "3", "--sample-fraction", "0"], ["-k", "3", "--sample-fraction", "1.5"]]) {
      const r = runCli(["sweep", miniCorpus, ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
    }
    expect(runCli(["sweep", miniCorpus, "-k", "3", "--sample-fraction", "2"]).stderr).toMatch(/--sample-fraction/);
  });
});

describe("diff", () => {
  const dir = tempDir();
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    const fits: [string, string[]][] = [
      ["k5.json", ["-k", "5", "--save", file("k5-model.json")]],
      ["k4.json", ["-k", "4"]],
      ["rand0.json", ["-k", "5", "--init", "random", "--seed", "0"]],
      ["rand1.json", ["-k", "5", "--init", "random", "--seed", "1"]],
    ];
    for (const [name, args] of fits) {
      const r = runCli(["fit", miniCorpus, ...args, "--json", "--quiet"]);
      expect(r.status, name).toBe(0);
      writeFileSync(file(name), r.stdout);
    }
  });

  it("of a run with itself: every similarity 1, exit 0", () => {
    const r = runCli(["diff", file("k5.json"), file("k5.json"), "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe("nmf-topics/diff@1");
    expect(j.pairs.map((p: Json) => [p.a, p.b, p.similarity])).toEqual([0, 1, 2, 3, 4].map((t) => [t, t, 1]));
    expect(j.summary).toEqual({ matched: 5, belowThreshold: 0, new: 0, vanished: 0, passed: true });
    const table = runCli(["diff", file("k5.json"), file("k5.json")]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/5 matched \(0 below 0\.8\), 0 new, 0 vanished: ok\n$/);
  });

  it("seed 0 against seed 1 with --init random: a sensible alignment", () => {
    const r = runCli(["diff", file("rand0.json"), file("rand1.json"), "--json", "--min-similarity", "0"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pairs).toHaveLength(5);
    expect(new Set(j.pairs.map((p: Json) => p.b)).size).toBe(5); // one to one
    const sims = j.pairs.map((p: Json) => p.similarity).sort((x: number, y: number) => y - x);
    expect(sims[2]).toBeGreaterThan(0.8); // most topics come back
    expect(sims[4]).toBeGreaterThan(0.2);
  });

  it("against a run with fewer topics: the vanished topic listed, exit 1", () => {
    const r = runCli(["diff", file("k5.json"), file("k4.json")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/vanished from a:\n\s*\d+\s+\S+/);
    expect(r.stderr).toMatch(/^nmf-topics: error: topics changed: .*1 vanished topic\(s\)\n$/);
    const j = JSON.parse(runCli(["diff", file("k5.json"), file("k4.json"), "--json"]).stdout);
    expect(j.vanished).toHaveLength(1);
    expect(j.summary.passed).toBe(false);
  });

  it("a model file against a run JSON of the same fit: identical topics", () => {
    const r = runCli(["diff", file("k5-model.json"), file("k5.json"), "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.a.schema).toBe("nmf-topics/model@1");
    expect(j.params.basis).toBe("top-words");
    expect(j.pairs.map((p: Json) => p.similarity)).toEqual([1, 1, 1, 1, 1]);
    const models = runCli(["diff", file("k5-model.json"), file("k5-model.json"), "--json"]);
    expect(JSON.parse(models.stdout).params.basis).toBe("H");
  });

  it("a missing or invalid file: exit 3 naming it", () => {
    const missing = runCli(["diff", file("nope.json"), file("k5.json")]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/nope\.json/);
    expect(missing.stdout).toBe("");
    writeFileSync(file("bad.json"), '{"schema": "nmf-topics/fit@1", "topics": [');
    const bad = runCli(["diff", file("k5.json"), file("bad.json")]);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/bad\.json: not valid JSON/);
  });
});
