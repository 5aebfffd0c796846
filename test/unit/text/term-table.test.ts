import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TermTable } from "../../../src/text/term-table.js";
import { scanTermIdsInto, tokenizeWordRunsInto } from "../../../src/text/tokenize.js";

describe("TermTable", () => {
  it("gives each distinct string one id, whole or as a slice, packed key or not, across growth (property)", () => {
    // Short [0-9_a-z] terms get packed keys; longer ones, capitals and other code units do not.
    const unit = fc.constantFrom("a", "z", "0", "9", "_", "A", "é", "-", "中");
    const term = fc.array(unit, { minLength: 0, maxLength: 18 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.array(term, { maxLength: 80 }), (terms) => {
        const table = new TermTable(2);
        const expected = new Map<string, number>();
        for (const t of terms) {
          const id = table.findOrInsert(t);
          if (!expected.has(t)) expected.set(t, expected.size);
          expect(id).toBe(expected.get(t));
        }
        expect(table.terms).toEqual([...expected.keys()]);
        for (const [t, id] of expected) expect(table.find(t)).toBe(id);
        expect(table.find("never inserted, too long for a key")).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it("the scanner's ids are those of the whole tokens, with or without a packed key (property)", () => {
    const word = fc.array(fc.constantFrom("a", "q", "7", "_", "é", "ß", "中"), { minLength: 1, maxLength: 18 }).map((p) => p.join(""));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.boolean(), (words, wholeFirst) => {
        const text = words.join(" ");
        const tokens: string[] = [];
        tokenizeWordRunsInto(text, tokens);
        const table = new TermTable(2);
        if (wholeFirst) for (const t of tokens) table.findOrInsert(t);
        const out = { ids: new Int32Array(1) };
        const n = scanTermIdsInto(text, table, true, 0, false, out);
        expect(Array.from(out.ids.subarray(0, n), (id) => table.terms[id])).toEqual(tokens);
        expect(Array.from(out.ids.subarray(0, n))).toEqual(tokens.map((t) => table.find(t)));
      }),
      { numRuns: 300 },
    );
  });

  it("the scanner finds terms inserted whole, and inserts what find then finds", () => {
    const table = new TermTable(2);
    const words = ["the", "abcdefghijklmno", "abcdefghijklmnop", "x_1", "naïve", "2024"];
    for (const w of words) table.findOrInsert(w);
    const out = { ids: new Int32Array(1) };
    const n = scanTermIdsInto("the abcdefghijklmno abcdefghijklmnop x_1 naïve 2024 new", table, true, 0, false, out);
    expect(Array.from(out.ids.subarray(0, n))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(table.find("new")).toBe(6);
  });
});
