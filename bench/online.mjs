#!/usr/bin/env node
// Online NMF bench: `fit --online` against the batch solver on 20 Newsgroups, and throughput and peak
// memory of `fit --online` on seeded synthetic corpora of 100k to 1M documents.
//
//   node bench/online.mjs [--sizes 100000,300000,1000000] [--k 20] [--skip-20ng] [--skip-scale]
//                         [--threads N] [--out bench/RESULTS-online.md]
//
// Synthetic corpora (.cache/online/synthetic-N.jsonl.gz, generated once, never committed): document i
// is a bootstrap resample of a 20news-bydate-train document drawn at random (same length, words drawn
// with replacement from it, as bench/scale.mjs does), with that document's newsgroup as its label. One
// seeded generator writes every size at once, so the smaller corpora are prefixes of the larger ones.
// Each run writes its NDJSON to a file (the documents are part of the work measured) and reads the
// summary line: objective, timings and peak RSS (`--timings`).
import { spawnSync } from "node:child_process";
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createGzip } from "node:zlib";
import { ensureCorpora, projectRoot, readTrainingWords } from "./corpora.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = flag("--sizes", "100000,300000,1000000").split(",").map(Number).sort((a, b) => a - b);
const k = Number(flag("--k", "20"));
const threads = flag("--threads", null);
const outPath = flag("--out", join(projectRoot, "bench", "RESULTS-online.md"));
const skip20ng = args.includes("--skip-20ng");
const skipScale = args.includes("--skip-scale");
const bin = join(projectRoot, "bin", "nmf-topics.js");
const cacheDir = join(projectRoot, ".cache", "online");

/** mulberry32: a seeded 32-bit generator (plain numbers: fast enough for a billion draws). */
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes every missing synthetic corpus of `sizes` in one generation run; returns their paths. */
async function buildCorpora(docs) {
  mkdirSync(cacheDir, { recursive: true });
  const paths = sizes.map((n) => join(cacheDir, `synthetic-${n}.jsonl.gz`));
  if (paths.every((p) => existsSync(p))) return paths;
  const t0 = Date.now();
  const writers = paths.map((path) => {
    const gzip = createGzip({ level: 1 });
    const file = createWriteStream(`${path}.tmp`);
    gzip.pipe(file);
    return { gzip, file, path };
  });
  const rand = makeRng(20240901);
  const max = sizes[sizes.length - 1];
  let pending = [];
  let chunkStart = 0;
  for (let i = 0; i < max; i++) {
    const source = docs[Math.floor(rand() * docs.length)];
    const n = source.words.length;
    const words = new Array(n);
    for (let w = 0; w < n; w++) words[w] = source.words[Math.floor(rand() * n)];
    pending.push(JSON.stringify({ id: `s${i}`, label: source.label, text: words.join(" ") }) + "\n");
    if (pending.length === 1000 || i === max - 1) {
      // Lines chunkStart..i go to every corpus that holds them.
      for (let s = 0; s < sizes.length; s++) {
        const take = Math.min(pending.length, sizes[s] - chunkStart);
        if (take <= 0) continue;
        const w = writers[s].gzip;
        if (!w.write(pending.slice(0, take).join(""))) await new Promise((resolve) => w.once("drain", resolve));
      }
      chunkStart = i + 1;
      pending = [];
    }
  }
  await Promise.all(
    writers.map(
      (w) =>
        new Promise((resolve) => {
          w.file.on("finish", resolve);
          w.gzip.end();
        }),
    ),
  );
  for (const w of writers) renameSync(`${w.path}.tmp`, w.path);
  console.error(`online bench: generated ${sizes.join(", ")} documents in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return paths;
}

/** Runs nmf-topics with NDJSON output into a file; returns the summary line, wall time and output size. */
async function run(argv) {
  const outFile = join(cacheDir, "run.ndjson");
  mkdirSync(cacheDir, { recursive: true });
  const full = [bin, ...argv, "--ndjson", "--timings", "--quiet", ...(threads ? ["--threads", threads] : [])];
  const fd = openSync(outFile, "w");
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, full, { stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`nmf-topics ${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  let last = "";
  for await (const line of createInterface({ input: createReadStream(outFile) })) last = line;
  const bytes = statSync(outFile).size;
  rmSync(outFile, { force: true });
  return { summary: JSON.parse(last), wallS, bytes };
}

const lines = [];
const say = (s = "") => {
  lines.push(s);
  console.log(s);
};
const fmt = (x, d = 2) => (x === null || x === undefined ? "-" : Number(x).toFixed(d));
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);

say("# Online NMF (`fit --online`)");
say("");
say(`Machine: ${(await import("node:os")).cpus().length} cores, Node ${process.version}. Generated by \`node bench/online.mjs\` (${new Date().toISOString().slice(0, 10)}).`);
say("");

const { news20Train } = ensureCorpora();

if (!skip20ng) {
  say("## 20 Newsgroups train, k = 20: online against batch");
  say("");
  say("| loss | solver | passes | batches | objective | / batch objective | wall s | peak RSS MB | NPMI | NMI |");
  say("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const loss of ["frobenius", "kl"]) {
    const batch = await run(["fit", news20Train, "-k", String(k), "--loss", loss]);
    const b = batch.summary;
    say(`| ${loss} | ${b.fit.solver} (batch) | - | ${b.fit.iterations} iterations | ${fmt(b.fit.objective)} | 1.0000 | ${fmt(batch.wallS, 1)} | ${b.timings.maxRssMB} | ${fmt(b.metrics.npmi, 3)} | ${fmt(b.metrics.nmi, 3)} |`);
    for (const passes of [null, 1, 3]) {
      const online = await run(["fit", news20Train, "-k", String(k), "--loss", loss, "--online", ...(passes ? ["--passes", String(passes)] : [])]);
      const o = online.summary;
      say(
        `| ${loss} | ${o.fit.solver}${passes ? ` --passes ${passes}` : " (defaults)"} | ${o.timings.passes} | ${o.fit.iterations}${o.fit.converged ? " (rule met)" : ""} | ${fmt(o.fit.objective)} | ${fmt(o.fit.objective / b.fit.objective, 4)} | ${fmt(online.wallS, 1)} | ${o.timings.maxRssMB} | ${fmt(o.metrics.npmi, 3)} | ${fmt(o.metrics.nmi, 3)} |`,
      );
    }
  }
  say("");
}

if (!skipScale) {
  const docs = readTrainingWords(news20Train);
  const paths = await buildCorpora(docs);
  say(`## Synthetic corpora, k = ${k}, Frobenius, \`--online --passes 1\` (batch 2048)`);
  say("");
  say("| documents | gzip MB | terms | non-zeros | passes | batches | objective / doc | vocabulary s | train s | evaluate + write s | wall s | documents / s | peak RSS MB | NDJSON MB |");
  say("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const rows = [];
  for (let s = 0; s < sizes.length; s++) {
    // One pass at every size (the default for 102,400 documents and more), so that the rows compare.
    const r = await run(["fit", paths[s], "-k", String(k), "--online", "--passes", "1", "--label-field", "label"]);
    const o = r.summary;
    const t = o.timings;
    const rate = o.corpus.documents / r.wallS;
    rows.push({ n: o.corpus.documents, wallS: r.wallS, rss: t.maxRssMB, rate });
    say(
      `| ${o.corpus.documents} | ${mb(statSync(paths[s]).size)} | ${o.corpus.terms} | ${o.corpus.nonzeros} | ${t.passes} | ${o.fit.iterations} | ${fmt(o.fit.objective / o.corpus.documents, 4)} | ${fmt(t.vocabularyMs / 1000, 1)} | ${fmt(t.trainMs / 1000, 1)} | ${fmt((r.wallS * 1000 - t.vocabularyMs - t.trainMs) / 1000, 1)} | ${fmt(r.wallS, 1)} | ${rate.toFixed(0)} | ${t.maxRssMB} | ${mb(r.bytes)} |`,
    );
  }
  say("");
  const base = rows[0];
  say(`Scaling from ${base.n} documents: ` + rows.map((r) => `${r.n / base.n}x documents -> ${(r.wallS / base.wallS).toFixed(2)}x time, ${(r.rss / base.rss).toFixed(2)}x peak RSS`).join("; ") + ".");
  say("");
}

// Sections skipped in this run (--skip-20ng, --skip-scale) keep their text from the previous file.
const sectionsOf = (text) => {
  const map = new Map();
  let name = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("## ")) name = line;
    if (name !== "") map.set(name, [...(map.get(name) ?? []), line]);
  }
  return map;
};
const fresh = sectionsOf(lines.join("\n"));
const previous = existsSync(outPath) ? sectionsOf(readFileSync(outPath, "utf8").trimEnd()) : new Map();
const header = lines.slice(0, lines.findIndex((l) => l.startsWith("## ")) >= 0 ? lines.findIndex((l) => l.startsWith("## ")) : lines.length);
const out = [...header];
const order = ["## 20 Newsgroups", "## Synthetic corpora"];
for (const prefix of order) {
  const pick = [...fresh.keys()].find((key) => key.startsWith(prefix)) ?? [...previous.keys()].find((key) => key.startsWith(prefix));
  if (pick === undefined) continue;
  const body = fresh.get(pick) ?? previous.get(pick);
  while (body.length > 0 && body[body.length - 1] === "") body.pop();
  out.push(...body, "");
}
writeFileSync(outPath, out.join("\n") + "\n");
console.error(`online bench: wrote ${outPath}`);
