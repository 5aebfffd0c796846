/**
 * The import boundaries of STYLE.md, checked on the source text: numerical code is pure, only the
 * CLI touches the process, and each third-party package has one home.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/corpora.js";

const srcDir = join(projectRoot, "src");

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listTs(path) : name.endsWith(".ts") ? [path] : [];
  });
}

const files = listTs(srcDir).map((path) => {
  const text = readFileSync(path, "utf8");
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const imports = [...code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
  return { rel: relative(srcDir, path).split("\\").join("/"), code, imports };
});

const importers = (pred: (spec: string) => boolean): string[] =>
  files.filter((f) => f.imports.some(pred)).map((f) => f.rel).sort();

describe("architecture", () => {
  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it("numerical code (linalg, nmf, eval, online) imports no node:* module, never prints and has no Math.random", () => {
    for (const f of files.filter((f) => /^(linalg|nmf|eval|online)\//.test(f.rel))) {
      for (const spec of f.imports) {
        expect(spec, `${f.rel} imports ${spec}`).not.toMatch(/^node:|^(chalk|commander|csv-parse|natural|stopword)/);
        expect(spec, `${f.rel} imports ${spec}`).not.toMatch(/\/(cli|report|corpus|text)\//);
      }
      expect(f.code, f.rel).not.toMatch(/\bconsole\.|\bprocess\.|Math\.random/);
    }
  });

  it("no Math.random anywhere in src/: one seeded PRNG", () => {
    for (const f of files) expect(f.code, f.rel).not.toMatch(/Math\.random/);
  });

  it("report/ never touches the process; the library entry never imports the CLI", () => {
    for (const f of files.filter((f) => f.rel.startsWith("report/"))) {
      expect(f.code, f.rel).not.toMatch(/\bprocess\.|\bconsole\./);
    }
    for (const f of files.filter((f) => !f.rel.startsWith("cli/"))) {
      for (const spec of f.imports) expect(spec, `${f.rel} imports ${spec}`).not.toMatch(/(^|\/)cli\//);
      expect(f.code, f.rel).not.toMatch(/process\.(exit|argv|exitCode|stdout|stderr)/);
    }
  });

  it("each package has one home", () => {
    expect(importers((s) => s === "commander")).toEqual(files.filter((f) => f.rel.startsWith("cli/") && f.imports.includes("commander")).map((f) => f.rel).sort());
    expect(importers((s) => s === "commander").every((r) => r.startsWith("cli/"))).toBe(true);
    expect(importers((s) => s === "chalk")).toEqual(["report/table.ts"]);
    expect(importers((s) => s.startsWith("csv-parse"))).toEqual(["corpus/csv.ts"]);
    expect(importers((s) => s === "ml-matrix")).toEqual(["linalg/svd.ts"]);
    expect(importers((s) => s.startsWith("natural") || s === "stopword").every((r) => r.startsWith("text/"))).toBe(true);
  });

  it("WebAssembly is compiled, instantiated and given memory only in src/wasm (the pool passes it on)", () => {
    const users = files.filter((f) => /\bWebAssembly\.(Module|Instance|Memory|compile|instantiate)\b/.test(f.code)).map((f) => f.rel).sort();
    expect(users.every((r) => r.startsWith("wasm/") || r === "parallel/protocol.ts")).toBe(true);
    expect(users.filter((r) => /\bnew WebAssembly\./.test(files.find((f) => f.rel === r)!.code))).toEqual(["wasm/heap.ts", "wasm/text.ts"]);
  });

  it("natural is only deep-imported (its root import loads database drivers and prints)", () => {
    expect(importers((s) => s === "natural")).toEqual([]);
  });
});
