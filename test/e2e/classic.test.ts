/** End-to-end: `--init kmeans` and `--solver als` through the built binary. */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { miniCorpus, runCli, tempDir } from "../helpers/cli.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function fitJson(extra: string[]): Json {
  const r = runCli(["fit", miniCorpus, "-k", "5", "--json", "--quiet", ...extra]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** Topics are distinct and non-degenerate: 5 topics of 10 words, few words shared between topics. */
function expectSensibleTopics(out: Json): void {
  expect(out.topics).toHaveLength(5);
  const words = out.topics.map((t: Json) => t.words.map((w: Json) => w.term ?? w.word ?? w));
  for (const w of words) expect(new Set(w).size).toBe(10);
  const all = words.flat();
  expect(new Set(all).size).toBeGreaterThan(all.length * 0.6);
  expect(out.fit.relativeError).toBeGreaterThan(0);
  expect(out.fit.relativeError).toBeLessThan(1);
}

describe("classic methods from the CLI", () => {
  it("fit --init kmeans exits 0 with sensible topics, deterministic", () => {
    const a = fitJson(["--init", "kmeans"]);
    expect(a.fit).toMatchObject({ solver: "cd", init: "kmeans" });
    expectSensibleTopics(a);
    const b = fitJson(["--init", "kmeans", "--threads", "2"]);
    expect(b.hash).toBe(a.hash);
  });

  it("fit --solver als exits 0 with sensible topics and an objective near cd's", () => {
    const als = fitJson(["--solver", "als"]);
    expect(als.fit.solver).toBe("als");
    expectSensibleTopics(als);
    const cd = fitJson([]);
    expect(als.fit.objective).toBeLessThan(cd.fit.objective * 1.1);
  });

  it("rejects --solver als with --loss kl or an L1 penalty (exit 2, one line)", () => {
    const kl = runCli(["fit", miniCorpus, "-k", "5", "--solver", "als", "--loss", "kl"]);
    expect(kl.status).toBe(2);
    expect(kl.stderr).toMatch(/--solver als works with --loss frobenius only/);
    const l1 = runCli(["fit", miniCorpus, "-k", "5", "--solver", "als", "--alpha-w", "0.01", "--l1-ratio", "0.5"]);
    expect(l1.status).toBe(2);
    expect(l1.stderr).toMatch(/--l1-ratio 0/);
  });

  it("a model saved with --solver als transforms its own corpus (the ALS W step with H fixed)", () => {
    const dir = tempDir();
    const model = join(dir, "als.json");
    const fit = runCli(["fit", miniCorpus, "-k", "5", "--solver", "als", "--save", model, "--json", "--quiet"]);
    expect(fit.status, fit.stderr).toBe(0);
    const tr = runCli(["transform", "--model", model, miniCorpus, "--json", "--quiet"]);
    expect(tr.status, tr.stderr).toBe(0);
    const a = JSON.parse(fit.stdout);
    const b = JSON.parse(tr.stdout);
    expect(b.fit.solver).toBe("als");
    const agree = a.documents.filter((d: { topic: number }, i: number) => d.topic === b.documents[i].topic).length;
    expect(agree / a.documents.length).toBeGreaterThan(0.9);
  });
});
