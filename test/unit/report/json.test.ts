import { describe, expect, it } from "vitest";
import { formatNumber, formatNumberExact, stringifyJson } from "../../../src/report/json.js";
import { csvField } from "../../../src/report/csv.js";
import { makeTestRandom } from "../../helpers/matrices.js";

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
  it("is String(Number(x.toPrecision(6))) for every finite number, ties and near-ties included", () => {
    // The definition; formatNumber computes it by arithmetic and falls back to it near ties.
    const definition = (x: number): string => {
      if (x === 0) return "0";
      if (Number.isSafeInteger(x)) return String(x);
      const rounded = Number(x.toPrecision(6));
      return rounded === 0 ? "0" : String(rounded);
    };
    const values: number[] = [];
    // Exact ties at the 6th digit (the larger candidate wins) and their neighbours.
    for (const x of [123456.5, 999999.5, 12345.75, 100000.5, 0.5, 1.5, 2.5e-7, 617283.5]) {
      values.push(x, -x, x * (1 + Number.EPSILON), x * (1 - Number.EPSILON / 2));
    }
    // Powers of ten and the numbers just below them (rounding up to the next power).
    for (let e = -30; e <= 30; e++) {
      const p = Number(`1e${e}`);
      values.push(p, 0.9999995 * p, 0.99999949999 * p, 9.999995 * p, 1.0000005 * p);
    }
    // Subnormals, the largest double, and the formats' boundaries (1e-7, 1e21).
    values.push(5e-324, -1e-320, 2.2250738585072014e-308, Number.MAX_VALUE, 1e-7, 9.999995e-7, 1e21, 9.999996e20, 2 ** 53 + 2);
    // Random doubles of every magnitude, and decimals of 6 to 8 digits with a 5 at the end.
    const random = makeTestRandom(20260501);
    const bits = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20_000; i++) {
      bits.setUint32(0, Math.floor(random() * 2 ** 32));
      bits.setUint32(4, Math.floor(random() * 2 ** 32));
      values.push(bits.getFloat64(0));
      values.push((random() - 0.3) * 10 ** Math.floor(random() * 40 - 20));
      const digits = 100000 + Math.floor(random() * 900000);
      const scale = 10 ** Math.floor(random() * 30 - 15);
      values.push((digits + 0.5) * scale, ((digits * 10 + 5) / 100) * scale);
    }
    let checked = 0;
    for (const x of values) {
      if (!Number.isFinite(x)) continue;
      if (formatNumber(x) !== definition(x)) expect(`${formatNumber(x)} for ${x}`).toBe(definition(x));
      checked++;
    }
    expect(checked).toBeGreaterThan(80_000);
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
  it("writes repeated keys, nested rows of numbers and escaped strings the same way at every depth", () => {
    const rows = [
      { id: 'a"b', label: undefined, weights: new Float64Array([0, 0.5, 1 / 3]), topic: 2 },
      { id: "c\\d\n", label: "x", weights: new Float64Array([]), topic: 0 },
    ];
    expect(stringifyJson({ documents: rows })).toBe(
      '{\n  "documents": [\n    {\n      "id": "a\\"b",\n      "weights": [0, 0.5, 0.333333],\n      "topic": 2\n    },\n' +
        '    {\n      "id": "c\\\\d\\n",\n      "label": "x",\n      "weights": [],\n      "topic": 0\n    }\n  ]\n}',
    );
    expect(stringifyJson({ documents: rows }, { indent: 0 })).toBe(
      '{"documents":[{"id":"a\\"b","weights":[0,0.5,0.333333],"topic":2},{"id":"c\\\\d\\n","label":"x","weights":[],"topic":0}]}',
    );
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
