import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../src/corpus/source.js";

describe("detectFormat", () => {
  it.each([
    ["a.txt", false, "text", false],
    ["a.txt", true, "lines", false],
    ["37261", false, "text", false],
    ["37261", true, "lines", false],
    ["README.TXT", false, "text", false],
    ["notes.md", false, "text", false],
    ["data.csv", false, "csv", false],
    ["DATA.CSV", true, "csv", false],
    ["data.tsv", false, "tsv", false],
    ["data.jsonl", false, "jsonl", false],
    ["data.ndjson", false, "jsonl", false],
    ["data.json", true, "json", false],
    ["data.jsonl.gz", false, "jsonl", true],
    ["data.csv.GZ", false, "csv", true],
    ["notes.gz", false, "text", true],
    ["notes.txt.gz", true, "lines", true],
    [".csv", false, "text", false],
    ["archive.csv.bak", false, "text", false],
  ] as const)("%s (lines=%s) -> %s, gzip %s", (name, lines, format, gzip) => {
    expect(detectFormat(name, lines)).toEqual({ format, gzip });
  });
});
