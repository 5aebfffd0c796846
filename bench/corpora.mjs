// Locates ../shared/corpora and unpacks it once into .cache/corpora (ignored by git), with the
// shared unpack.sh (which checks the document counts). Used by the bench and the corpus tests.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const sharedDir = resolve(projectRoot, "..", "shared");
export const corporaArchiveDir = join(sharedDir, "corpora");
export const cacheDir = join(projectRoot, ".cache", "corpora");

export function haveSharedCorpora() {
  return existsSync(join(corporaArchiveDir, "20news-bydate.tar.gz"));
}

/** Unpacks both archives (raw bytes, no re-encoding) unless already there; returns the roots. */
export function ensureCorpora() {
  const roots = {
    news20Train: join(cacheDir, "20news-bydate-train"),
    news20Test: join(cacheDir, "20news-bydate-test"),
    bbc: join(cacheDir, "bbc"),
  };
  mkdirSync(cacheDir, { recursive: true });
  const unpack = join(corporaArchiveDir, "unpack.sh");
  const archives = [
    [roots.news20Train, "20news-bydate.tar.gz"],
    [roots.bbc, "bbc-fulltext.tar.gz"],
  ];
  for (const [root, archive] of archives) {
    if (!existsSync(root)) {
      execFileSync("sh", [unpack, "--as-folders", cacheDir, join(corporaArchiveDir, archive)], {
        stdio: ["ignore", "ignore", "inherit"],
      });
    }
  }
  return roots;
}

/**
 * The words (whitespace-separated) of every document of a labelled folder corpus, folders and files
 * in sorted order: the material the synthetic corpora of bench/scale.mjs and bench/online.mjs resample.
 */
export function readTrainingWords(root) {
  const docs = [];
  for (const label of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, label)).sort()) {
      const text = readFileSync(join(root, label, name), "latin1");
      docs.push({ label, words: text.split(/\s+/).filter(Boolean) });
    }
  }
  return docs;
}
