import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeBytes } from "../../../src/corpus/decode.js";
import { parseJsonArray, parseJsonLines } from "../../../src/corpus/json.js";
import { collectWarnings, expectInputError, inputPath, makeContext } from "./helpers.js";

function readFixture(relative: string): string {
  return decodeBytes(readFileSync(inputPath(relative)), relative, collectWarnings().warn);
}

describe("parseJsonLines", () => {
  it("reads docs.jsonl with id and label fields (number id as string, CRLF, blank line skipped)", () => {
    const context = makeContext({ idBase: "docs.jsonl" }, { idField: "id", labelField: "label" });
    expect(parseJsonLines(readFixture("docs.jsonl"), context)).toEqual([
      { id: "j1", text: "The shuttle reached orbit.", label: "space" },
      { id: "2", text: "Doctors studied the vaccine.", label: "med" },
      { id: "j3", text: "A record without a label." },
    ]);
  });

  it("defaults ids to basename:LINE (physical line, blank lines counted)", () => {
    const documents = parseJsonLines(readFixture("docs.jsonl"), makeContext({ idBase: "docs.jsonl" }));
    expect(documents.map((d) => d.id)).toEqual(["docs.jsonl:1", "docs.jsonl:2", "docs.jsonl:4"]);
    expect(documents.every((d) => !("label" in d))).toBe(true);
  });

  it("uses textField, the folder label when the label is missing or null, and accepts string lines", () => {
    const text = '{"body": "a", "cat": null}\n"just a string"\n{"body": "c", "cat": 4}\n';
    const context = makeContext({ idBase: "g/x.jsonl", folderLabel: "g" }, { textField: "body", labelField: "cat" });
    expect(parseJsonLines(text, context)).toEqual([
      { id: "g/x.jsonl:1", text: "a", label: "g" },
      { id: "g/x.jsonl:2", text: "just a string", label: "g" },
      { id: "g/x.jsonl:3", text: "c", label: "4" },
    ]);
  });

  it("invalid line: file, line and a short reason", () => {
    expectInputError(
      () => parseJsonLines(readFixture("bad/badline.jsonl"), makeContext({ displayPath: "x.jsonl" })),
      /^x\.jsonl: line 3: invalid JSON: [^"\n]{5,100}$/,
    );
  });

  it("missing or non-string text field names the flag", () => {
    expectInputError(
      () => parseJsonLines('{"text": "ok"}\n{"body": "b", "n": 1}\n', makeContext({ displayPath: "x.jsonl" })),
      'x.jsonl: line 2: no field "text"; fields are: body, n; use --text-field',
    );
    expectInputError(
      () => parseJsonLines('{"text": 5}\n', makeContext({ displayPath: "x.jsonl" })),
      /^x\.jsonl: line 1: field "text" is a number, not a string; use --text-field/,
    );
    expectInputError(
      () => parseJsonLines('{"text": null}\n', makeContext({ displayPath: "x.jsonl" })),
      /^x\.jsonl: line 1: field "text" is null, not a string/,
    );
  });

  it("looks at own fields only (no Object.prototype members)", () => {
    expectInputError(
      () => parseJsonLines('{"text": "a"}\n', makeContext({ displayPath: "x.jsonl" }, { textField: "constructor" })),
      'x.jsonl: line 1: no field "constructor"; fields are: text; use --text-field',
    );
  });

  it("rejects non-object lines, missing ids and bad label types", () => {
    expectInputError(
      () => parseJsonLines("[1, 2]\n", makeContext({ displayPath: "x.jsonl" })),
      "x.jsonl: line 1: expected a JSON object or string, found an array",
    );
    expectInputError(
      () => parseJsonLines('{"text": "a", "id": "k"}\n{"text": "b"}\n', makeContext({ displayPath: "x.jsonl" }, { idField: "id" })),
      /^x\.jsonl: line 2: id field "id" is missing/,
    );
    expectInputError(
      () => parseJsonLines('{"text": "a", "l": {"x": 1}}\n', makeContext({ displayPath: "x.jsonl" }, { labelField: "l" })),
      /^x\.jsonl: line 1: label field "l" is an object/,
    );
  });
});

describe("parseJsonArray", () => {
  it("reads docs.json (array of objects; numbers become strings)", () => {
    const context = makeContext({ idBase: "docs.json" }, { idField: "id", labelField: "label" });
    expect(parseJsonArray(readFixture("docs.json"), context)).toEqual([
      { id: "a", text: "Mars has two small moons.", label: "space" },
      { id: "7", text: "Numbers as id and label become strings.", label: "3" },
      { id: "c", text: "No label here." },
    ]);
  });

  it("defaults ids to basename:INDEX, 1-based", () => {
    const documents = parseJsonArray(readFixture("docs.json"), makeContext({ idBase: "docs.json" }));
    expect(documents.map((d) => d.id)).toEqual(["docs.json:1", "docs.json:2", "docs.json:3"]);
  });

  it("reads strings.json (array of strings)", () => {
    expect(parseJsonArray(readFixture("strings.json"), makeContext({ idBase: "strings.json" }))).toEqual([
      { id: "strings.json:1", text: "First string document." },
      { id: "strings.json:2", text: "Second one, with a comma." },
      { id: "strings.json:3", text: "Third: naïve café Zürich." },
    ]);
  });

  it("not an array: says what was found and what to do", () => {
    expectInputError(
      () => parseJsonArray(readFixture("bad/object.json"), makeContext({ displayPath: "bad/object.json" })),
      /^bad\/object\.json: expected a JSON array of objects or strings, found an object; for one object per line use a \.jsonl file$/,
    );
  });

  it("invalid JSON: the line when V8 reports a position, a short reason always", () => {
    expectInputError(
      () => parseJsonArray('[\n  {"text": "a"},\n  {"text": }\n]\n', makeContext({ displayPath: "y.json" })),
      /^y\.json(: line 3)?: invalid JSON: [^"\n]{5,100}$/,
    );
    expectInputError(
      () => parseJsonArray('[\n  {"text": "a"},\n  {text: "b"}\n]\n', makeContext({ displayPath: "y.json" })),
      /^y\.json: line 3: invalid JSON: Expected [^\n]{5,80}$/,
    );
    expectInputError(() => parseJsonArray("", makeContext({ displayPath: "y.json" })), "y.json: invalid JSON: Unexpected end of JSON input");
  });

  it("items of another kind name the item", () => {
    expectInputError(
      () => parseJsonArray('["a", 3]', makeContext({ displayPath: "y.json" })),
      "y.json: item 2: expected a JSON object or string, found a number",
    );
  });
});
