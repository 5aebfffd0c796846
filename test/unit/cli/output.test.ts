import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findDuplicateTexts } from "../../../src/cli/output.js";
import type { Document } from "../../../src/corpus/types.js";

/** The plain rule: each text's first document, looked up by the whole text. */
function findDuplicatesNaively(documents: Document[]): [string, string][] {
  const first = new Map<string, string>();
  const pairs: [string, string][] = [];
  for (const doc of documents) {
    const id = first.get(doc.text);
    if (id === undefined) first.set(doc.text, doc.id);
    else pairs.push([doc.id, id]);
  }
  return pairs;
}

const ids = (pairs: [Document, Document][]): [string, string][] => pairs.map(([doc, first]) => [doc.id, first.id]);

describe("findDuplicateTexts", () => {
  it("pairs each repeated text with its first document, also when unequal texts share a sample key", () => {
    // 64 code units: the sampled positions are multiples of 4, so texts differing at position 1 share a key.
    const base = "x".repeat(64);
    const other = `x${"y"}${"x".repeat(62)}`;
    const documents: Document[] = [
      { id: "a", text: base },
      { id: "b", text: other },
      { id: "c", text: other },
      { id: "d", text: base },
      { id: "e", text: "" },
      { id: "f", text: "" },
    ];
    expect(ids(findDuplicateTexts(documents))).toEqual([
      ["c", "b"],
      ["d", "a"],
      ["f", "e"],
    ]);
  });

  it("equals a Map keyed by the whole text (property)", () => {
    const text = fc.array(fc.constantFrom("a", "b", "é"), { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), (texts) => {
        const documents = texts.map((t, i) => ({ id: `d${i}`, text: t }));
        expect(ids(findDuplicateTexts(documents))).toEqual(findDuplicatesNaively(documents));
      }),
      { numRuns: 300 },
    );
  });
});
