#!/usr/bin/env node
// Scale run: how time and peak memory grow with the corpus.
//
//   node bench/scale.mjs [--factors 1,10] [--k 20] [--loss frobenius] [--threads N]
//
// Builds seeded synthetic corpora of F x 20news-bydate-train (11,314 x F documents) in .cache/scale/:
// each synthetic document is a bootstrap resample (same length, words drawn with replacement) of the
// words of a real training document drawn at random, so document lengths and term statistics stay
// those of the real corpus. Each corpus is one gzip-compressed JSONL file. Then it runs
// `nmf-topics fit` on each (--json --timings) and prints documents, non-zeros, time per stage and
// peak RSS, and the growth against the 1x run.
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { ensureCorpora, projectRoot, readTrainingWords } from "./corpora.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const factors = flag("--factors", "1,10").split(",").map(Number);
const k = Number(flag("--k", "20"));
const loss = flag("--loss", "frobenius");
const threads = flag("--threads", null);
const bin = join(projectRoot, "bin", "nmf-topics.js");
const outDir = join(projectRoot, ".cache", "scale");

/** splitmix64-style 32-bit generator: seeded, tiny, good enough to draw documents and words. */
function makeRng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed) + 0x9e3779b97f4a7c15n);
  return () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

async function buildCorpus(factor, docs) {
  const path = join(outDir, `20ng-x${factor}.jsonl.gz`);
  if (existsSync(path)) return path;
  mkdirSync(outDir, { recursive: true });
  const rand = makeRng(factor);
  const gzip = createGzip({ level: 1 });
  const temp = `${path}.tmp`;
  const file = createWriteStream(temp);
  gzip.pipe(file);
  const n = docs.length * factor;
  for (let i = 0; i < n; i++) {
    const source = docs[Math.floor(rand() * docs.length)];
    const words = new Array(source.words.length);
    for (let w = 0; w < words.length; w++) words[w] = source.words[Math.floor(rand() * source.words.length)];
    const line = JSON.stringify({ id: `s${i}`, label: source.label, text: words.join(" ") }) + "\n";
    if (!gzip.write(line)) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await new Promise((resolve) => file.on("finish", resolve));
  renameSync(temp, path);
  return path;
}

function fit(path) {
  const argv = [bin, "fit", path, "-k", String(k), "--loss", loss, "--json", "--timings", "--quiet", "--label-field", "label"];
  if (threads) argv.push("--threads", threads);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", maxBuffer: 2 ** 31 });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`fit failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  return { wallS, documents: j.corpus.documents, terms: j.corpus.terms, nonzeros: j.corpus.nonzeros, iterations: j.fit.iterations, ...j.timings };
}

const { news20Train } = ensureCorpora();
const docs = readTrainingWords(news20Train);
const rows = [];
for (const factor of factors) {
  const path = await buildCorpus(factor, docs);
  console.error(`scale: ${factor}x (${(statSync(path).size / 2 ** 20).toFixed(0)} MB gzip), fitting k=${k} ${loss}`);
  rows.push({ factor, ...fit(path) });
}
const base = rows[0];
console.log("| corpus | documents | terms | non-zeros | iterations | read s | vectorize s | fit s | s per iteration | total s | peak RSS MB | time / 1x | RSS / 1x |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.factor}x | ${r.documents} | ${r.terms} | ${r.nonzeros} | ${r.iterations} | ${(r.readMs / 1000).toFixed(2)} | ${(r.vectorizeMs / 1000).toFixed(2)} | ${(r.fitMs / 1000).toFixed(2)} | ${(r.fitMs / 1000 / r.iterations).toFixed(3)} | ${r.wallS.toFixed(2)} | ${r.maxRssMB} | ${(r.wallS / base.wallS).toFixed(1)} | ${(r.maxRssMB / base.maxRssMB).toFixed(1)} |`,
  );
}
