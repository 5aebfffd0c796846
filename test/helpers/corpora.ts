/**
 * Locates ../shared/corpora and unpacks it once into .cache/corpora (ignored by git), so that the
 * corpus tests and the bench share one copy. Uses the shared unpack.sh, which checks the counts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sharedDir = resolve(projectRoot, "..", "shared");
export const corporaArchiveDir = join(sharedDir, "corpora");
export const cacheDir = join(projectRoot, ".cache", "corpora");

export function haveSharedCorpora(): boolean {
  return existsSync(join(corporaArchiveDir, "20news-bydate.tar.gz"));
}

export interface CorpusRoots {
  news20Train: string;
  news20Test: string;
  bbc: string;
}

/** Unpacks both archives (raw bytes, no re-encoding) unless already there; returns the roots. */
export function ensureCorpora(): CorpusRoots {
  const roots: CorpusRoots = {
    news20Train: join(cacheDir, "20news-bydate-train"),
    news20Test: join(cacheDir, "20news-bydate-test"),
    bbc: join(cacheDir, "bbc"),
  };
  mkdirSync(cacheDir, { recursive: true });
  const unpack = join(corporaArchiveDir, "unpack.sh");
  if (!existsSync(roots.news20Train)) {
    execFileSync("sh", [unpack, "--as-folders", cacheDir, join(corporaArchiveDir, "20news-bydate.tar.gz")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  if (!existsSync(roots.bbc)) {
    execFileSync("sh", [unpack, "--as-folders", cacheDir, join(corporaArchiveDir, "bbc-fulltext.tar.gz")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return roots;
}
