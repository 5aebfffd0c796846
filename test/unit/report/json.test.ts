import { describe, expect, it } from "vitest";
import { formatNumber, formatNumberExact, stringifyJson } from "../../../src/report/json.js";
import { csvField } from "../../../src/report/csv.js";

describe("formatNumber", () => {
  it("rounds to 6 significant digits and writes the shortest round-trip form", () => {
    expect(formatNumber(5370.408123)).toBe("5370.41");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(346144.91)).toBe("346145");
    expect(formatNumber(1193601)).toBe("1193601"); // counts stay exact
    expect(formatNumber(1193601.5)).toBe("1193600");
    expect(formatNumber(2 ** 60)).toBe("1152920000000000000"); // JavaScript writes e-notation from 1e21
    expect(formatNumber(11314)).toBe("11314");
    expect(formatNumber(1.234567e-7)).toBe("1.23457e-7");
    expect(formatNumber(123456.5)).toBe("123457");
  });
  it("never writes -0", () => {
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(-1e-320)).toBe("-1e-320");
    expect(formatNumber(-4e-7)).toBe("-4e-7");
  });
  it("refuses non-finite values", () => {
    expect(() => formatNumber(Number.NaN)).toThrow(/non-finite/);
    expect(() => formatNumber(Infinity)).toThrow(/non-finite/);
  });
  it("round-trips the rounded value through JSON.parse", () => {
    for (const x of [Math.PI, -Math.E, 1e-12, 6.02214076e23, 0.000123456789, 99999.95]) {
      const s = formatNumber(x);
      expect(JSON.parse(s)).toBe(Number(x.toPrecision(6)));
    }
  });
  it("formatNumberExact keeps every bit", () => {
    for (const x of [Math.PI, 0.1 + 0.2, 1e-300, 123456789.123456789]) {
      expect(Number(formatNumberExact(x))).toBe(x);
    }
    expect(formatNumberExact(-0)).toBe("0");
  });
});

describe("stringifyJson", () => {
  it("keeps key order, indents by 2 and keeps scalar arrays on one line", () => {
    const text = stringifyJson({ b: 1, a: [1, 2.5, "x"], nested: { z: null, y: [true] }, list: [{ q: 1, r: "s" }] });
    expect(text).toBe(
      '{\n  "b": 1,\n  "a": [1, 2.5, "x"],\n  "nested": {\n    "z": null,\n    "y": [true]\n  },\n  "list": [\n    {"q": 1, "r": "s"}\n  ]\n}',
    );
  });
  it("writes flat objects of up to 4 keys inline, larger ones over lines", () => {
    expect(stringifyJson({ o: { a: 1, b: 2, c: 3, d: 4 } })).toBe('{\n  "o": {"a": 1, "b": 2, "c": 3, "d": 4}\n}');
    expect(stringifyJson({ o: { a: 1, b: 2, c: 3, d: 4, e: 5 } })).toBe(
      '{\n  "o": {\n    "a": 1,\n    "b": 2,\n    "c": 3,\n    "d": 4,\n    "e": 5\n  }\n}',
    );
  });
  it("is valid JSON equal to the input up to number rounding", () => {
    const value = { s: 'quote " and \\ and \n and \u2028', n: [0.123456789, -0], t: new Float64Array([1 / 3, 2]) };
    const parsed = JSON.parse(stringifyJson(value));
    expect(parsed).toEqual({ s: value.s, n: [0.123457, 0], t: [0.333333, 2] });
  });
  it("drops undefined keys and writes compact lines with indent 0", () => {
    expect(stringifyJson({ a: undefined, b: [1, { c: 2 }] }, { indent: 0 })).toBe('{"b":[1,{"c":2}]}');
    expect(stringifyJson({ e: [], o: {} })).toBe('{\n  "e": [],\n  "o": {}\n}');
    expect(stringifyJson({ a: 1 })).toBe('{"a": 1}');
  });
});

describe("csvField", () => {
  it("quotes only when needed, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe("");
    expect(csvField(0.30000000000000004)).toBe("0.3");
  });
});
