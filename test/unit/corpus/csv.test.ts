import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDelimited } from "../../../src/corpus/csv.js";
import { decodeBytes } from "../../../src/corpus/decode.js";
import { collectWarnings, expectInputError, inputPath, makeContext } from "./helpers.js";

function readFixture(relative: string): string {
  return decodeBytes(readFileSync(inputPath(relative)), relative, collectWarnings().warn);
}

describe("parseDelimited: CSV", () => {
  it("reads quoted.csv: BOM, quoted commas, quoted newline, doubled quotes, id and label columns", () => {
    const context = makeContext({ displayPath: "quoted.csv", idBase: "quoted.csv" }, { idColumn: "id", labelColumn: "label" });
    expect(parseDelimited(readFixture("quoted.csv"), ",", context)).toEqual([
      { id: "q1", text: "Rockets, satellites and orbits", label: "space" },
      { id: "q2", text: 'The patient said "it hurts" twice', label: "med" },
      { id: "q3", text: "First line of a note\nsecond line of the same note", label: "space" },
      { id: "q4", text: "plain text without quotes", label: "med" },
    ]);
  });

  it("names rows basename:N (data-row number, not line number) without an id column", () => {
    const context = makeContext({ idBase: "quoted.csv" });
    const documents = parseDelimited(readFixture("quoted.csv"), ",", context);
    expect(documents.map((d) => d.id)).toEqual(["quoted.csv:1", "quoted.csv:2", "quoted.csv:3", "quoted.csv:4"]);
    expect(documents.every((d) => !("label" in d))).toBe(true);
  });

  it("keeps CRLF inside quoted fields and accepts CRLF record ends", () => {
    const text = 'text,id\r\n"a\r\nb",x\r\nplain,y\r\n';
    expect(parseDelimited(text, ",", makeContext({}, { idColumn: "id" }))).toEqual([
      { id: "x", text: "a\r\nb" },
      { id: "y", text: "plain" },
    ]);
  });

  it("skips empty lines, uses the folder label when the label cell is empty", () => {
    const text = "text,label\n\nfirst,\n\nsecond,b\n";
    const context = makeContext({ idBase: "g/d.csv", folderLabel: "g" }, { labelColumn: "label" });
    expect(parseDelimited(text, ",", context)).toEqual([
      { id: "g/d.csv:1", text: "first", label: "g" },
      { id: "g/d.csv:2", text: "second", label: "b" },
    ]);
  });

  it("gives no documents for a header-only file", () => {
    expect(parseDelimited("id,text\n", ",", makeContext())).toEqual([]);
  });
});

describe("parseDelimited: TSV", () => {
  it("reads docs.tsv with a quoted tab", () => {
    const context = makeContext({ idBase: "docs.tsv" }, { idColumn: "id", labelColumn: "label" });
    expect(parseDelimited(readFixture("docs.tsv"), "\t", context)).toEqual([
      { id: "t1", text: "The probe photographed the rings of Saturn.", label: "space" },
      { id: "t2", text: "A quoted field with a\ttab, kept inside", label: "med" },
      { id: "t3", text: "The goalie stopped forty shots.", label: "hockey" },
    ]);
  });

  it("does not split on commas", () => {
    expect(parseDelimited("text\na, b, c\n", "\t", makeContext({ idBase: "x.tsv" }))).toEqual([
      { id: "x.tsv:1", text: "a, b, c" },
    ]);
  });
});

describe("parseDelimited: errors (InputError, exit 3, file and line)", () => {
  it("unterminated quote: the line where the broken row starts", () => {
    const context = makeContext({ displayPath: "bad/unterminated.csv" });
    expectInputError(
      () => parseDelimited(readFixture("bad/unterminated.csv"), ",", context),
      /^bad\/unterminated\.csv: line 7: unterminated quoted field/,
    );
  });

  it("unterminated quote after multi-line records and empty lines", () => {
    // line 1 header, lines 2-4 one record, line 5 empty, line 6 record, line 7 empty, line 8 broken
    const text = 'id,text\n1,"a\nb\nc"\n\n2,x\n\n3,"open\nrest\n';
    expectInputError(() => parseDelimited(text, ",", makeContext()), /^data\.csv: line 8: unterminated quoted field/);
  });

  it("ragged row: line and field counts", () => {
    expectInputError(
      () => parseDelimited(readFixture("bad/ragged.csv"), ",", makeContext({ displayPath: "ragged.csv" })),
      /^ragged\.csv: line 3: 3 fields, the header has 2; quote fields that contain the delimiter$/,
    );
  });

  it("missing text column lists the columns and names the flag", () => {
    expectInputError(
      () => parseDelimited(readFixture("bad/notext.csv"), ",", makeContext({ displayPath: "data.csv" })),
      'data.csv: no column "text"; columns are: a, b, c; use --text-column',
    );
  });

  it("missing id and label columns name their flags", () => {
    expectInputError(
      () => parseDelimited("text,b\nx,y\n", ",", makeContext({}, { idColumn: "key" })),
      'data.csv: no column "key"; columns are: text, b; use --id-column',
    );
    expectInputError(
      () => parseDelimited("text,b\nx,y\n", ",", makeContext({}, { labelColumn: "cat" })),
      'data.csv: no column "cat"; columns are: text, b; use --label-column',
    );
  });

  it("an empty id value is an error with its line", () => {
    expectInputError(
      () => parseDelimited('id,text\na,"x\ny"\n,"z\nw"\n', ",", makeContext({}, { idColumn: "id" })),
      /^data\.csv: line 4: empty value in id column "id"/,
    );
  });

  it("an empty file has no header", () => {
    expectInputError(() => parseDelimited("", ",", makeContext()), /^data\.csv: empty file; a header row/);
  });
});
