import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { colorLevel } from "../../../src/cli/io.js";
import { alphaH, choice, documentFrequency, integer, ngramRange, real, topicList } from "../../../src/cli/parse.js";

describe("flag value parsers", () => {
  it("integer accepts whole numbers in range only", () => {
    const k = integer(1, 100);
    expect(k("5")).toBe(5);
    expect(k(" 100 ")).toBe(100);
    for (const bad of ["0", "-3", "101", "2.5", "abc", "", "1e2", "NaN"]) {
      expect(() => k(bad), bad).toThrow(InvalidArgumentError);
    }
  });
  it("real rejects NaN, infinities and values out of range", () => {
    const tol = real(0);
    expect(tol("1e-4")).toBe(1e-4);
    expect(tol("0")).toBe(0);
    for (const bad of ["NaN", "-1", "Infinity", "", "x"]) expect(() => tol(bad), bad).toThrow(InvalidArgumentError);
    expect(() => real(0, 1)("1.5")).toThrow(/<= 1/);
  });
  it("choice names the accepted values", () => {
    expect(() => choice(["frobenius", "kl"])("l2")).toThrow(/frobenius, kl/);
  });
  it("ngramRange parses MIN,MAX", () => {
    expect(ngramRange("1,2")).toEqual([1, 2]);
    for (const bad of ["2,1", "0,1", "1", "1,10", "a,b"]) expect(() => ngramRange(bad), bad).toThrow(InvalidArgumentError);
  });
  it("documentFrequency accepts counts and shares, not fractional counts", () => {
    expect(documentFrequency("2")).toBe(2);
    expect(documentFrequency("0.95")).toBe(0.95);
    expect(documentFrequency("1.0")).toBe(1);
    for (const bad of ["-1", "2.5", "x", ""]) expect(() => documentFrequency(bad), bad).toThrow(InvalidArgumentError);
  });
  it("alphaH takes a number or same", () => {
    expect(alphaH("same")).toBe("same");
    expect(alphaH("0.1")).toBe(0.1);
    expect(() => alphaH("-1")).toThrow(InvalidArgumentError);
  });
  it("topicList parses lists and ranges, sorted and unique", () => {
    expect(topicList("5,10,15,20")).toEqual([5, 10, 15, 20]);
    expect(topicList("4..7")).toEqual([4, 5, 6, 7]);
    expect(topicList("10,2..4,3")).toEqual([2, 3, 4, 10]);
    for (const bad of ["0", "5..3", "a", "1,,2"]) expect(() => topicList(bad), bad).toThrow(InvalidArgumentError);
  });
});

describe("colorLevel", () => {
  it("colours a TTY unless NO_COLOR is set; FORCE_COLOR wins", () => {
    expect(colorLevel({}, true)).toBe(1);
    expect(colorLevel({}, false)).toBe(0);
    expect(colorLevel({ NO_COLOR: "1" }, true)).toBe(0);
    expect(colorLevel({ NO_COLOR: "" }, true)).toBe(1);
    expect(colorLevel({ FORCE_COLOR: "1" }, false)).toBe(1);
    expect(colorLevel({ FORCE_COLOR: "3", NO_COLOR: "1" }, false)).toBe(3);
    expect(colorLevel({ FORCE_COLOR: "0" }, true)).toBe(0);
  });
});
