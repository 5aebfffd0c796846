import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortIdsByTerm } from "../../../src/text/term-order.js";

/** The order of Array.prototype.sort() (UTF-16 code units), as ids. */
function sortNaively(terms: string[]): number[] {
  return terms.map((_, id) => id).sort((a, b) => (terms[a] < terms[b] ? -1 : 1));
}

describe("sortIdsByTerm", () => {
  it("orders ids by their terms in code-unit order", () => {
    expect(Array.from(sortIdsByTerm([0, 1, 2], ["b", "a", "ab"]))).toEqual([1, 2, 0]);
    const terms = ["zz", "a", "", "a_", "a`", "a0", "aa", "a+", "a:", "aZ", "é", "e", "ab\ud83d\ude00", "abcdefgh", "abcdefg", "abcde", "ab~", "ab{"];
    expect(Array.from(sortIdsByTerm(terms.map((_, id) => id), terms))).toEqual(sortNaively(terms));
  });

  it("sorts only the given ids", () => {
    const terms = ["d", "c", "b", "a"];
    expect(Array.from(sortIdsByTerm([3, 0, 1], terms))).toEqual([3, 1, 0]);
    expect(Array.from(sortIdsByTerm([], terms))).toEqual([]);
  });

  it("equals Array.prototype.sort on random distinct strings, shared prefixes and any code units (property)", () => {
    const unit = fc.constantFrom("a", "b", "z", "0", "9", "_", "`", "A", "+", "~", "{", "é", "中", "\ud83d", "\ude00", " ");
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(unit, { maxLength: 9 }).map((parts) => parts.join("")), { maxLength: 60 }), (terms) => {
        expect(Array.from(sortIdsByTerm(terms.map((_, id) => id), terms))).toEqual(sortNaively(terms));
      }),
      { numRuns: 500 },
    );
  });
});
