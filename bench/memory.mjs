#!/usr/bin/env node
// Peak memory of reading + fitting hostile sizes (issue 8): 200,000 tiny documents, and one 100 MB
// document on a single line. Both corpora are generated in a temp folder (deleted afterwards) from a
// fixed-seed generator, so every run reads the same bytes.
//
//   npm run build && node bench/memory.mjs [--docs 200000] [--mb 100] [--keep]
//
// Each case spawns the built binary with --json --timings (stdout to a file, not to this process)
// and reports: input size, peak RSS of the whole process (/usr/bin/time -v when present, else the
// `timings.maxRssMB` the tool reports after its fit), the ratio peak / input, and the same ratio above
// the RSS of a run on a tiny corpus (Node's own baseline), plus the tool's read/vectorize/fit times.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const bin = join(projectRoot, "bin", "nmf-topics.js");
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const nDocs = Number(flag("--docs", "200000"));
const megabytes = Number(flag("--mb", "100"));
const keep = args.includes("--keep");
const haveTime = existsSync("/usr/bin/time");

/** A fixed-seed 32-bit LCG: the same corpus on every run and machine. */
function makeRandom(seed) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
}

/** A pseudo-word for an index: letters only, so that every one is a token. */
function wordOf(i) {
  let w = "";
  let n = i + 1;
  do {
    w += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return `${w}q`;
}

/** `count` lines of 3 to 12 words from a 20,000-word vocabulary with a Zipf-like skew. */
function writeTinyDocuments(path, count) {
  const random = makeRandom(1);
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => wordOf(i));
  const lines = new Array(count);
  for (let d = 0; d < count; d++) {
    const n = 3 + (random() % 10);
    const words = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = random() / 2 ** 24; // [0, 1)
      words[i] = vocabulary[Math.floor(vocabulary.length * r * r * r)];
    }
    lines[d] = words.join(" ");
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** One line of `bytes` bytes: words from a 50,000-word vocabulary, written in 1 MB chunks. */
function writeOneLine(path, bytes) {
  const random = makeRandom(2);
  const vocabulary = Array.from({ length: 50_000 }, (_, i) => wordOf(i));
  const fd = openSync(path, "w");
  let written = 0;
  while (written < bytes) {
    const parts = [];
    let size = 0;
    while (size < 1 << 20 && written + size < bytes) {
      const w = vocabulary[random() % vocabulary.length];
      parts.push(w);
      size += w.length + 1;
    }
    const chunk = Buffer.from(parts.join(" ") + " ");
    writeFileSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
}

/** Runs the binary; returns wall time, peak RSS (MB) and the tool's timings. */
function measure(label, inputPath, cliArgs, dir) {
  const outPath = join(dir, `${label}.json`);
  const out = openSync(outPath, "w");
  const command = haveTime ? ["/usr/bin/time", ["-v", process.execPath, bin, ...cliArgs]] : [process.execPath, [bin, ...cliArgs]];
  const start = performance.now();
  const r = spawnSync(command[0], command[1], { stdio: ["ignore", out, "pipe"], encoding: "utf8", maxBuffer: 1 << 26 });
  const wallS = (performance.now() - start) / 1000;
  closeSync(out);
  if (r.status !== 0) {
    throw new Error(`${label}: exit ${r.status}\n${r.stderr.split("\n").filter((l) => l.startsWith("nmf-topics")).join("\n")}`);
  }
  const report = JSON.parse(readFileSync(outPath, "utf8"));
  const timeRss = haveTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024 : NaN;
  return {
    label,
    inputMB: inputPath ? statSync(inputPath).size / 2 ** 20 : 0,
    peakMB: haveTime ? timeRss : report.timings.maxRssMB,
    toolRssMB: report.timings.maxRssMB,
    timings: report.timings,
    documents: report.corpus.documents,
    terms: report.corpus.terms,
    wallS,
  };
}

const dir = mkdtempSync(join(tmpdir(), "nmf-topics-memory-"));
try {
  const tinyPath = join(dir, "tiny-docs.txt");
  const bigPath = join(dir, "one-line.txt");
  const basePath = join(dir, "base.txt");
  process.stderr.write(`generating ${nDocs.toLocaleString("en-US")} tiny documents and one ${megabytes} MB line in ${dir} ...\n`);
  writeTinyDocuments(tinyPath, nDocs);
  writeOneLine(bigPath, megabytes * 2 ** 20);
  writeFileSync(basePath, "space orbit nasa\norbit nasa moon\nhockey team goal\nteam goal season\n");

  const common = ["--json", "--timings", "-q"];
  const results = [
    measure("baseline (4 lines)", basePath, ["fit", basePath, "--lines", "-k", "2", "--min-df", "1", ...common], dir),
    measure(`${nDocs.toLocaleString("en-US")} tiny documents`, tinyPath, ["fit", tinyPath, "--lines", "-k", "10", "--max-iter", "50", ...common], dir),
    measure(`one ${megabytes} MB line`, bigPath, ["fit", bigPath, "-k", "1", "--min-df", "1", "--max-df", "1", ...common], dir),
  ];
  const base = results[0].peakMB;
  const rows = [["case", "input MB", "docs", "terms", "peak RSS MB", "peak/input", "(peak-base)/input", "read ms", "vectorize ms", "fit ms", "wall s"]];
  for (const r of results) {
    rows.push([
      r.label,
      r.inputMB.toFixed(1),
      r.documents.toLocaleString("en-US"),
      r.terms.toLocaleString("en-US"),
      r.peakMB.toFixed(0),
      r.inputMB >= 1 ? (r.peakMB / r.inputMB).toFixed(2) : "-",
      r.inputMB >= 1 ? ((r.peakMB - base) / r.inputMB).toFixed(2) : "-",
      String(r.timings.readMs),
      String(r.timings.vectorizeMs),
      String(r.timings.fitMs),
      r.wallS.toFixed(1),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  console.log(
    `\npeak RSS: ${haveTime ? "/usr/bin/time -v (whole process, JSON output included)" : "timings.maxRssMB (after the fit)"}; ` +
      `the tool's own timings.maxRssMB: ${results.map((r) => r.toolRssMB).join(", ")} MB; node ${process.version}`,
  );
} finally {
  if (keep) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
