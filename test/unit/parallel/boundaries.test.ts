/** Threads have one home: only src/parallel starts them or asks the OS for its core count. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../helpers/corpora.js";

const srcDir = join(projectRoot, "src");
const listTs = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listTs(path) : name.endsWith(".ts") ? [path] : [];
  });

describe("thread boundaries", () => {
  it("only src/parallel imports node:worker_threads or calls availableParallelism", () => {
    const offenders = listTs(srcDir)
      .map((path) => ({
        rel: relative(srcDir, path).split("\\").join("/"),
        code: readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, ""),
      }))
      .filter((f) => !f.rel.startsWith("parallel/"))
      .filter((f) => /["']node:worker_threads["']|availableParallelism|new Worker\(/.test(f.code))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });
});
