#!/usr/bin/env node
// Compares our TF-IDF matrix with scikit-learn's on a labelled corpus folder, and times our vectorizer.
//
//   npm run build
//   node bench/compare_tfidf.mjs CORPUS_DIR [SKLEARN_DUMP_DIR] [--repeat N] [--dist DIR]
//
// SKLEARN_DUMP_DIR is written by `python3 bench/sklearn_tfidf_dump.py CORPUS_DIR SKLEARN_DUMP_DIR`
// (default: bench/out/sklearn-tfidf-<corpus name>; created with /usr/bin/python3 if missing).
// The corpus is read like ../shared/bench/sklearn_ref.py (sorted label folders, sorted files, UTF-8
// else Latin-1) by a minimal reader here, and vectorized with the defaults (= TfidfVectorizer(
// stop_words="english", min_df=2, max_df=0.95)). Prints one summary line; exits 1 on any mismatch of
// shape, vocabulary, sparsity pattern, or a value differing by more than 1e-12.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, "..");

function parseArgs(argv) {
  const args = { positional: [], repeat: 3, dist: join(projectRoot, "dist") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--repeat") args.repeat = Number(argv[++i]);
    else if (argv[i] === "--dist") args.dist = resolve(argv[++i]);
    else args.positional.push(argv[i]);
  }
  if (args.positional.length < 1 || !(args.repeat >= 1)) {
    console.error("usage: node bench/compare_tfidf.mjs CORPUS_DIR [SKLEARN_DUMP_DIR] [--repeat N] [--dist DIR]");
    process.exit(2);
  }
  return args;
}

/** Label folders sorted, files sorted, hidden names and top-level files skipped; UTF-8 else Latin-1. */
function readLabelledFolder(root) {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const ids = [];
  const texts = [];
  const labels = readdirSync(root)
    .filter((name) => !name.startsWith(".") && statSync(join(root, name)).isDirectory())
    .sort();
  for (const label of labels) {
    for (const name of readdirSync(join(root, label)).sort()) {
      const path = join(root, label, name);
      if (name.startsWith(".") || !statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      let text;
      try {
        text = utf8.decode(bytes);
      } catch {
        // Not TextDecoder("latin1"), which is windows-1252: Python's latin-1 maps byte b to U+00b.
        text = bytes.toString("latin1");
      }
      ids.push(`${label}/${name}`);
      texts.push(text);
    }
  }
  return { ids, texts };
}

function readDump(dir) {
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  const load = (name, Type) => {
    const buf = readFileSync(join(dir, name));
    return new Type(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };
  return {
    meta,
    indptr: load("indptr.i32", Int32Array),
    indices: load("indices.i32", Int32Array),
    data: load("data.f64", Float64Array),
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const corpus = resolve(args.positional[0]);
  const dumpDir = resolve(args.positional[1] ?? join(projectRoot, "bench", "out", `sklearn-tfidf-${basename(corpus)}`));
  if (!existsSync(join(dumpDir, "meta.json"))) {
    execFileSync("/usr/bin/python3", [join(here, "sklearn_tfidf_dump.py"), corpus, dumpDir], { stdio: "inherit" });
  }
  const { fitVectorizer, defaultTextOptions } = await import(join(args.dist, "text", "index.js"));

  const t0 = performance.now();
  const { ids, texts } = readLabelledFolder(corpus);
  const readMs = performance.now() - t0;
  const times = [];
  let result;
  for (let i = 0; i < args.repeat; i++) {
    const t = performance.now();
    result = fitVectorizer(texts, { ...defaultTextOptions });
    times.push(performance.now() - t);
  }
  const { X, state } = result;
  const ref = readDump(dumpDir);
  const problems = [];
  const [refRows, refCols] = ref.meta.shape;
  if (X.nRows !== refRows || X.nCols !== refCols) problems.push(`shape ${X.nRows}x${X.nCols} != ${refRows}x${refCols}`);
  if (ids.some((id, i) => id !== ref.meta.ids[i])) problems.push("document order differs");
  const vocabularyDiffers = state.vocabulary.length !== ref.meta.vocabulary.length ||
    state.vocabulary.some((term, j) => term !== ref.meta.vocabulary[j]);
  if (vocabularyDiffers) {
    const ours = new Set(state.vocabulary);
    const theirs = new Set(ref.meta.vocabulary);
    const onlyOurs = state.vocabulary.filter((t) => !theirs.has(t)).slice(0, 5);
    const onlyTheirs = ref.meta.vocabulary.filter((t) => !ours.has(t)).slice(0, 5);
    problems.push(`vocabulary differs (only ours: ${JSON.stringify(onlyOurs)}, only sklearn: ${JSON.stringify(onlyTheirs)})`);
  }
  let maxDiff = 0;
  let maxIdfDiff = 0;
  let bitIdentical = 0;
  let patternDiffers = 0;
  const nnz = X.indptr[X.nRows];
  if (problems.length === 0) {
    for (let r = 0; r < X.nRows && patternDiffers < 5; r++) {
      if (X.indptr[r + 1] !== ref.indptr[r + 1]) {
        problems.push(`row ${r} (${ids[r]}): ${X.indptr[r + 1] - X.indptr[r]} terms, sklearn ${ref.indptr[r + 1] - ref.indptr[r]}`);
        patternDiffers++;
        continue;
      }
      for (let p = X.indptr[r]; p < X.indptr[r + 1]; p++) {
        if (X.indices[p] !== ref.indices[p]) {
          problems.push(`row ${r} (${ids[r]}): column ${X.indices[p]} where sklearn has ${ref.indices[p]}`);
          patternDiffers++;
          break;
        }
        const diff = Math.abs(X.data[p] - ref.data[p]);
        if (diff === 0) bitIdentical++;
        if (diff > maxDiff) maxDiff = diff;
      }
    }
    for (let j = 0; j < X.nCols; j++) maxIdfDiff = Math.max(maxIdfDiff, Math.abs(state.idf[j] - ref.meta.idf[j]));
    if (maxDiff > 1e-12) problems.push(`max |difference| ${maxDiff.toExponential(2)} > 1e-12`);
  }
  const summary =
    `${basename(corpus)}: ${X.nRows} x ${X.nCols}, ${nnz} non-zeros; sklearn ${refRows} x ${refCols}, ${ref.meta.nnz}; ` +
    `max |diff| ${maxDiff.toExponential(2)}, idf max |diff| ${maxIdfDiff.toExponential(2)}, ` +
    `${((100 * bitIdentical) / Math.max(nnz, 1)).toFixed(2)}% bit-identical; ` +
    `read ${(readMs / 1000).toFixed(2)} s, vectorize ${(times[0] / 1000).toFixed(3)} s first run, ` +
    `${(median(times) / 1000).toFixed(3)} s median of ${args.repeat}; ` +
    (problems.length === 0 ? "MATCH" : `MISMATCH: ${problems.join("; ")}`);
  console.log(summary);
  process.exit(problems.length === 0 ? 0 : 1);
}

await main();
