/** The sweep report: JSON (null for undefined metrics, hash), NDJSON, and the table. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildSweepReport, renderSweepJson, renderSweepNdjson, renderSweepTable } from "../../../src/report/sweep.js";
import type { SweepCorpusResult, SweepRow } from "../../../src/sweep.js";

function row(k: number, npmi: number, stability: number, runs: number): SweepRow {
  return {
    k,
    objective: 100 - k,
    npmi,
    diversity: 0.9,
    stability,
    iterations: 20 + k / 3,
    converged: runs,
    runs: Array.from({ length: runs }, (_, r) => ({
      run: r,
      seed: 5 + r,
      documents: 80,
      iterations: 20,
      converged: true,
      objective: 100 - k,
      npmi,
      diversity: 0.9,
      topTerms: Array.from({ length: k }, (_, t) => Int32Array.of(2 * t, 2 * t + 1)),
    })),
  };
}

function result(rows: SweepRow[], k: number): SweepCorpusResult {
  return {
    rows,
    recommended: { k, rule: "a rule" },
    nDocs: 100,
    nTerms: 12,
    nonzeros: 345,
    sampleSize: 80,
    displayTerms: Array.from({ length: 12 }, (_, j) => `w${j}`),
    fingerprint: "e".repeat(64),
    emptyDocuments: [],
  };
}

const params = { ks: [2, 3], runs: 2, sampleFraction: 0.8, loss: "frobenius", solver: "cd", init: "nndsvda", seed: 5 };

describe("sweep JSON", () => {
  const report = buildSweepReport(result([row(2, 0.25, 0.75, 2), row(3, 0.5, 0.5, 2)], 3), params, "1.2.3");
  const text = renderSweepJson(report);
  const json = JSON.parse(text);

  it("has the schema's keys in order, results per k and the recommended k", () => {
    expect(Object.keys(json)).toEqual(["schema", "version", "params", "corpus", "results", "recommended", "hash"]);
    expect(json.schema).toBe("nmf-topics/sweep@1");
    expect(json.corpus).toEqual({ documents: 100, terms: 12, nonzeros: 345, fingerprint: "e".repeat(64) });
    expect(json.results.map((r: { k: number }) => r.k)).toEqual([2, 3]);
    expect(Object.keys(json.results[0])).toEqual(["k", "objective", "npmi", "diversity", "stability", "iterations", "converged", "runs", "topics"]);
    expect(json.results[1].topics).toEqual([["w0", "w1"], ["w2", "w3"], ["w4", "w5"]]);
    expect(json.results[0].runs[1]).toEqual({ seed: 6, documents: 80, iterations: 20, converged: true, objective: 98, npmi: 0.25, diversity: 0.9 });
    expect(json.recommended).toEqual({ k: 3, rule: "a rule" });
  });

  it("is sealed by the sha256 of the bytes above the hash", () => {
    const body = text.slice(0, text.lastIndexOf(',\n  "hash"')) + "\n}";
    expect(createHash("sha256").update(body).digest("hex")).toBe(json.hash);
  });

  it("writes undefined metrics (one run, one top word) as null, not NaN", () => {
    const r = buildSweepReport(result([row(2, NaN, NaN, 1)], 2), params, "1.2.3");
    const j = JSON.parse(renderSweepJson(r));
    expect(j.results[0].npmi).toBeNull();
    expect(j.results[0].stability).toBeNull();
    expect(j.results[0].runs[0].npmi).toBeNull();
  });

  it("NDJSON: one line per k, then a summary with the same hash as --json", () => {
    const lines = renderSweepNdjson(report).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(["k", "k", "summary"]);
    expect(lines[0]).toEqual({ type: "k", ...json.results[0] });
    expect(lines[2].hash).toBe(json.hash);
    expect(lines[2].recommended).toEqual({ k: 3, rule: "a rule" });
    expect(lines[2]).not.toHaveProperty("results");
  });
});

describe("sweep table", () => {
  it("shows one row per k, marks the recommended one, prints '-' for undefined metrics and the rule", () => {
    const report = buildSweepReport(result([row(2, 0.25, NaN, 2), row(3, NaN, 0.5, 2), row(10, 0.1, 0.2, 2)], 2), params, "1.2.3");
    const table = renderSweepTable(report, { colorLevel: 0 });
    const lines = table.split("\n");
    expect(lines[0]).toBe("k = 2,3,10 · 2 runs each on samples of 80 documents · 100 documents, 12 terms (frobenius, cd, nndsvda)");
    expect(lines[2]).toMatch(/^\s+k\s+objective\s+NPMI\s+diversity\s+stability\s+iterations$/);
    expect(lines[3]).toMatch(/^\*\s+2\s+98\.0000\s+0\.250\s+0\.900\s+-\s+20\.7$/);
    expect(lines[4]).toMatch(/^\s+3\s+97\.0000\s+-\s+0\.900\s+0\.500\s+21\.0$/);
    expect(lines[5]).toMatch(/^\s+10\s+90\.0000\s+0\.100/);
    expect(table.trimEnd().split("\n").pop()).toBe("recommended: k = 2, by the rule: a rule");
    expect(table).not.toMatch(/\x1b\[/);
    expect(renderSweepTable(report, { colorLevel: 1 })).toMatch(/\x1b\[/);
  });
});
