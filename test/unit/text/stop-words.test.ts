import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../../src/errors.js";
import { englishStopWords } from "../../../src/text/english-stop-words.js";
import { resolveStopWords, stopWordLanguages } from "../../../src/text/stop-words.js";

const dir = mkdtempSync(join(tmpdir(), "nmf-topics-stop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeList(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = { lang: "en", stopWords: "auto", extraStopWords: null };

describe("scikit-learn's English list (shipped data)", () => {
  it("has 318 distinct words, sorted by code unit, frozen", () => {
    expect(englishStopWords.length).toBe(318);
    expect(new Set(englishStopWords).size).toBe(318);
    expect([...englishStopWords].sort()).toEqual(englishStopWords);
    expect(Object.isFrozen(englishStopWords)).toBe(true);
    // Words that distinguish it from other English lists (e.g. stopword's 108 words).
    for (const w of ["amoungst", "bill", "cry", "fire", "thick", "whereupon", "yourselves", "co", "de"]) {
      expect(englishStopWords, w).toContain(w);
    }
    for (const w of ["don", "just", "s", "t", "will"]) {
      expect(englishStopWords.includes(w), w).toBe(w === "will");
    }
  });
});

describe("resolveStopWords", () => {
  it("auto + en is scikit-learn's 318 words", () => {
    expect(resolveStopWords(base)).toEqual(englishStopWords);
  });

  it("auto + another language is the stopword package's list, lowercased and sorted", () => {
    const german = resolveStopWords({ ...base, lang: "de" });
    expect(german.length).toBeGreaterThan(100);
    for (const w of ["und", "der", "nicht"]) expect(german).toContain(w);
    expect(german).not.toContain("the");
    expect([...german].sort()).toEqual(german);
    expect(german.every((w) => w === w.toLowerCase())).toBe(true);
  });

  it("a language code as --stop-words selects that list (two- or three-letter)", () => {
    const fromCode = resolveStopWords({ ...base, stopWords: "fr" });
    expect(fromCode).toContain("les");
    expect(resolveStopWords({ ...base, stopWords: "fra" })).toEqual(fromCode);
    // stopword's own English list is not scikit-learn's.
    const stopwordEnglish = resolveStopWords({ ...base, stopWords: "en" });
    expect(stopwordEnglish.length).toBeLessThan(200);
  });

  it("none is empty; an extra list is still added", () => {
    expect(resolveStopWords({ ...base, stopWords: "none" })).toEqual([]);
    const extra = writeList("extra.txt", "Foo\nbar\n");
    expect(resolveStopWords({ ...base, stopWords: "none", extraStopWords: extra })).toEqual(["bar", "foo"]);
  });

  it("reads a file: one word per line, # comments, blanks, CRLF and BOM ignored, lowercased, deduplicated", () => {
    const path = writeList("list.txt", "\ufeff# my list\r\nZeta\r\n\r\n  alpha  \nzeta\n#skip\nÉcole\n");
    expect(resolveStopWords({ ...base, stopWords: path })).toEqual(["alpha", "zeta", "école"]);
  });

  it("adds the extra file to the auto list", () => {
    const extra = writeList("extra2.txt", "subject\nlines\nthe\n");
    const words = resolveStopWords({ ...base, extraStopWords: extra });
    expect(words.length).toBe(320);
    expect(words).toContain("subject");
    expect(words).toContain("lines");
  });

  it("a missing file is an InputError naming the flag; an unknown language a UsageError listing codes", () => {
    const missing = join(dir, "missing.txt");
    expect(() => resolveStopWords({ ...base, stopWords: missing })).toThrow(InputError);
    expect(() => resolveStopWords({ ...base, stopWords: missing })).toThrow(/--stop-words .*missing\.txt: no such file/);
    expect(() => resolveStopWords({ ...base, extraStopWords: missing })).toThrow(/--extra-stop-words/);
    expect(() => resolveStopWords({ ...base, lang: "xx" })).toThrow(UsageError);
    expect(() => resolveStopWords({ ...base, lang: "xx" })).toThrow(/--lang xx.*accepted codes: af, ar,/);
  });

  it("every advertised language code loads a non-empty list", () => {
    expect(stopWordLanguages.length).toBeGreaterThanOrEqual(60);
    for (const code of stopWordLanguages) {
      expect(resolveStopWords({ ...base, lang: code }).length, code).toBeGreaterThan(code === "en" ? 300 : 5);
    }
  });
});
