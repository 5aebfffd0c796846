import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { visitLines, parseLines, parseWholeText } from "../../../src/corpus/text.js";
import { makeContext } from "./helpers.js";

/** Naive oracle: split on \n, strip one \r that precedes a \n, drop the empty tail after a final \n. */
function splitLinesNaive(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const lines = parts.map((part, i) => (i < parts.length - 1 && part.endsWith("\r") ? part.slice(0, -1) : part));
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

function collectLines(text: string): [string, number][] {
  const out: [string, number][] = [];
  visitLines(text, (line, n) => out.push([line, n]));
  return out;
}

describe("visitLines", () => {
  it("treats \\n and \\r\\n as line ends, keeps a lone \\r", () => {
    expect(collectLines("a\r\nb\nc\rd\r\n\r\ne")).toEqual([
      ["a", 1],
      ["b", 2],
      ["c\rd", 3],
      ["", 4],
      ["e", 5],
    ]);
    expect(collectLines("x\r")).toEqual([["x\r", 1]]);
    expect(collectLines("x\n")).toEqual([["x", 1]]);
    expect(collectLines("")).toEqual([]);
    expect(collectLines("\n\n")).toEqual([
      ["", 1],
      ["", 2],
    ]);
  });

  it("agrees with a naive split (property)", () => {
    const alphabet = fc.constantFrom("a", "b", " ", "\r", "\n", "é");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join("")), (text) => {
        const expected = splitLinesNaive(text).map((line, i) => [line, i + 1]);
        expect(collectLines(text)).toEqual(expected);
      }),
    );
  });
});

describe("parseLines / parseWholeText", () => {
  it("gives one document per non-blank line with physical line numbers", () => {
    const context = makeContext({ idBase: "notes.txt", displayPath: "dir/notes.txt" });
    expect(parseLines("one\r\n\r\n  \t\ntwo\nthree", context)).toEqual([
      { id: "notes.txt:1", text: "one" },
      { id: "notes.txt:4", text: "two" },
      { id: "notes.txt:5", text: "three" },
    ]);
  });

  it("carries the folder label", () => {
    const context = makeContext({ idBase: "g/a.txt", folderLabel: "g" });
    expect(parseLines("x\ny", context).map((d) => d.label)).toEqual(["g", "g"]);
    expect(parseWholeText("x\r\ny", context)).toEqual([{ id: "g/a.txt", text: "x\r\ny", label: "g" }]);
  });

  it("keeps an empty text as one document and has no label key without a folder label", () => {
    const documents = parseWholeText("", makeContext({ idBase: "empty.txt" }));
    expect(documents).toEqual([{ id: "empty.txt", text: "" }]);
    expect("label" in documents[0]).toBe(false);
  });
});
