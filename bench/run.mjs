#!/usr/bin/env node
// npm run bench: nmf-topics side by side with scikit-learn on the shared corpora, in one run.
//
//   node bench/run.mjs [--runs 3] [--only 20ng|bbc] [--loss frobenius|kl] [--max-features both|full|2000]
//                      [--write]   (also writes bench/RESULTS.md)
//
// Each case runs nmf-topics (the built binary, --json --timings) and ../shared/bench/sklearn_ref.py
// alternately, `runs` times each, and reports medians. End to end is read + vectorize + fit (+ write)
// as each tool measures it inside its process: scikit-learn's read_s + vectorize_s + fit_s (interpreter
// start, imports and its metrics excluded); ours from the start of reading to the last byte of JSON
// written (so it also holds our metrics and the write), from the line `--timings` prints on stderr.
// Our whole-process wall time (node start included) is shown too, with its ratio to the same
// scikit-learn number. Peak RSS: ours from the process, scikit-learn's from getrusage. Without a
// python3 that can import sklearn, the numbers recorded in SPEC.md are used.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ensureCorpora, haveSharedCorpora, projectRoot, sharedDir } from "./corpora.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("--runs", "3"));
const only = flag("--only", "all");
const lossFilter = flag("--loss", "all");
const featureMode = flag("--max-features", "both");
const write = args.includes("--write");
const bin = join(projectRoot, "bin", "nmf-topics.js");
const sklearnRef = join(sharedDir, "bench", "sklearn_ref.py");

// scikit-learn 1.2.1 reference numbers recorded in SPEC.md (medians on this machine class).
const RECORDED = {
  "20ng/20/frobenius/full": { totalS: 1.6 + 5.2, fitS: 5.2, vectorizeS: 1.6, iterations: 59, objective: 5370.408, npmi: 0.41, nmi: 0.354 },
  "20ng/20/kl/full": { totalS: 1.5 + 59, fitS: 59, vectorizeS: 1.5, iterations: 110, objective: 346144.91, npmi: 0.19, nmi: 0.483 },
  "bbc/5/frobenius/full": { totalS: 0.34 + 0.26, fitS: 0.26, vectorizeS: 0.34, iterations: 30, objective: 1047.996, npmi: 0.297, nmi: 0.776 },
  "bbc/5/kl/full": { totalS: 0.33 + 7.0, fitS: 7.0, vectorizeS: 0.33, iterations: 70, objective: 70455.45, npmi: 0.226, nmi: 0.887 },
};

function findPython() {
  for (const candidate of ["/usr/bin/python3", "python3", "python"]) {
    const r = spawnSync(candidate, ["-c", "import sklearn; print(sklearn.__version__)"], { encoding: "utf8" });
    if (r.status === 0) return { python: candidate, version: r.stdout.trim() };
  }
  return null;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runOurs(dir, k, loss, maxFeatures, threads) {
  const argv = [bin, "fit", dir, "-k", String(k), "--loss", loss, "--json", "--timings", "--quiet"];
  if (maxFeatures) argv.push("--max-features", String(maxFeatures));
  if (threads) argv.push("--threads", String(threads));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", maxBuffer: 1 << 30 });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`nmf-topics failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const t = j.timings;
  const line = /timings \(ms\):.* evaluate (\d+), write (\d+); read to written (\d+), process (\d+)/.exec(r.stderr);
  if (line === null) throw new Error(`no timings line on stderr: ${r.stderr}`);
  return {
    totalS: Number(line[3]) / 1000,
    wallS,
    readS: t.readMs / 1000,
    vectorizeS: t.vectorizeMs / 1000,
    fitS: t.fitMs / 1000,
    writeS: (Number(line[1]) + Number(line[2])) / 1000,
    iterations: j.fit.iterations,
    objective: j.fit.objective,
    npmi: j.metrics.npmi,
    nmi: j.metrics.nmi,
    rssMB: t.maxRssMB,
    hash: j.hash,
  };
}

function runSklearn(python, dir, k, loss, maxFeatures) {
  const wrapper = [
    "import resource, runpy, sys",
    "sys.argv = sys.argv[1:]",
    "try:",
    "    runpy.run_path(sys.argv[0], run_name='__main__')",
    "finally:",
    "    sys.stderr.write('MAXRSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
  ].join("\n");
  const solver = loss === "kl" ? "mu" : "cd";
  const argv = ["-c", wrapper, sklearnRef, dir, "--k", String(k), "--loss", loss, "--solver", solver];
  if (maxFeatures) argv.push("--max-features", String(maxFeatures));
  const r = spawnSync(python, argv, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`sklearn_ref.py failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const rss = /MAXRSS_KB (\d+)/.exec(r.stderr);
  return {
    totalS: j.read_s + j.vectorize_s + j.fit_s,
    readS: j.read_s,
    vectorizeS: j.vectorize_s,
    fitS: j.fit_s,
    iterations: j.n_iter,
    objective: j.objective,
    npmi: j.npmi_mean,
    nmi: j.nmi,
    rssMB: rss ? Number(rss[1]) / 1024 : null,
  };
}

function summarize(samples) {
  const keys = Object.keys(samples[0]).filter((key) => typeof samples[0][key] === "number");
  const out = { ...samples[0] };
  for (const key of keys) out[key] = median(samples.map((s) => s[key]));
  return out;
}

/** Median wall time of `nmf-topics --help` over 10 runs, in seconds. */
function measureStartup() {
  const times = [];
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

const f = (x, d = 2) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));

function main() {
  if (!existsSync(bin) || !existsSync(join(projectRoot, "dist", "cli", "main.js"))) {
    console.error("bench: build first (npm run build)");
    process.exit(2);
  }
  if (!haveSharedCorpora()) {
    console.error("bench: ../shared/corpora not found; nothing to measure");
    process.exit(2);
  }
  const roots = ensureCorpora();
  const py = findPython();
  if (py) console.error(`bench: scikit-learn ${py.version} via ${py.python}, ${runs} runs each, medians`);
  else console.error("bench: no python3 with scikit-learn (apt-get install python3-sklearn): using the numbers recorded in SPEC.md");

  const corpora = [
    { name: "20ng", dir: roots.news20Train, k: 20 },
    { name: "bbc", dir: roots.bbc, k: 5 },
  ].filter((c) => only === "all" || c.name === only);
  const losses = ["frobenius", "kl"].filter((l) => lossFilter === "all" || l === lossFilter);
  const features = featureMode === "both" ? [null, 2000] : featureMode === "full" ? [null] : [Number(featureMode)];

  const rows = [];
  for (const c of corpora) {
    for (const loss of losses) {
      for (const mf of features) {
        const key = `${c.name}/${c.k}/${loss}/${mf ? mf : "full"}`;
        const ours = [];
        const theirs = [];
        for (let r = 0; r < runs; r++) {
          console.error(`bench: ${key} run ${r + 1}/${runs}`);
          ours.push(runOurs(c.dir, c.k, loss, mf));
          if (py) theirs.push(runSklearn(py.python, c.dir, c.k, loss, mf));
        }
        const hashes = new Set(ours.map((o) => o.hash));
        const a = summarize(ours);
        const b = py ? summarize(theirs) : RECORDED[key] ?? null;
        rows.push({ key, ours: a, sklearn: b, deterministic: hashes.size === 1, source: py ? "measured" : "recorded" });
      }
    }
  }

  const lines = [];
  lines.push("| case | tool | read s | vectorize s | fit s | metrics + write s | end-to-end s | process s | iter | objective | NPMI | NMI | peak RSS MB |");
  lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const { key, ours: a, sklearn: b } of rows) {
    lines.push(`| ${key} | nmf-topics | ${f(a.readS)} | ${f(a.vectorizeS)} | ${f(a.fitS)} | ${f(a.writeS)} | ${f(a.totalS)} | ${f(a.wallS)} | ${a.iterations} | ${f(a.objective, 3)} | ${f(a.npmi, 3)} | ${f(a.nmi, 3)} | ${f(a.rssMB, 0)} |`);
    if (b) {
      lines.push(`| ${key} | scikit-learn | ${f(b.readS)} | ${f(b.vectorizeS)} | ${f(b.fitS)} | – | ${f(b.totalS)} | – | ${b.iterations} | ${f(b.objective, 3)} | ${f(b.npmi, 3)} | ${f(b.nmi, 3)} | ${f(b.rssMB, 0)} |`);
      const readRatio = b.readS === undefined ? null : a.readS / b.readS;
      lines.push(`| ${key} | **ratio** | ${f(readRatio)} | ${f(a.vectorizeS / b.vectorizeS)} | ${f(a.fitS / b.fitS)} | | **${f(a.totalS / b.totalS)}** | ${f(a.wallS / b.totalS)} | | ${f(a.objective / b.objective, 5)} | | | |`);
    }
  }
  const startup = measureStartup();
  lines.push("", `\`nmf-topics --help\` starts in ${f(startup, 3)} s (median of 10; target < 0.2 s).`);
  const table = lines.join("\n");
  process.stdout.write(table + "\n");

  if (write) {
    const cpu = cpus()[0]?.model ?? "unknown CPU";
    const header = [
      "# Benchmark results",
      "",
      `Last run: \`npm run bench\` (${runs} runs each, medians), ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
        (py ? `scikit-learn ${py.version} (${py.python}) measured in the same run.` : "scikit-learn numbers as recorded in SPEC.md."),
      "",
      "Ratios are nmf-topics / scikit-learn: below 1 is faster (time) or lower (objective). End to end is what each",
      "tool measures inside its process: scikit-learn's read + vectorize + fit (interpreter start, imports and its",
      "metrics excluded), ours from the start of reading to the last byte of JSON written (metrics included).",
      "`process s` is our whole process, node start included; its ratio is to the same scikit-learn number.",
      "",
    ].join("\n");
    const deterministic = rows.every((r) => r.deterministic) ? "Every nmf-topics case printed the same hash in every run." : "WARNING: some case printed different hashes across runs.";
    writeFileSync(join(projectRoot, "bench", "RESULTS.md"), `${header}\n${table}\n\n${deterministic}\n`);
    console.error("bench: wrote bench/RESULTS.md");
  }
}

main();
