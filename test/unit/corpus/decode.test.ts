import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { binaryProbeBytes, decodeBytes, hasNulBytes } from "../../../src/corpus/decode.js";
import { collectWarnings } from "./helpers.js";

describe("decodeBytes", () => {
  it("decodes valid UTF-8 without a warning", () => {
    const { warn, messages } = collectWarnings();
    expect(decodeBytes(Buffer.from("naïve café Zürich 自然", "utf8"), "a.txt", warn)).toBe("naïve café Zürich 自然");
    expect(messages).toEqual([]);
  });

  it("drops a leading BOM only", () => {
    const { warn } = collectWarnings();
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xef, 0xbb, 0xbf, 0x62]);
    expect(decodeBytes(bytes, "a.txt", warn)).toBe("a\ufeffb");
  });

  it("falls back to ISO-8859-1 (not Windows-1252) with exactly one warning", () => {
    const { warn, messages } = collectWarnings();
    // 0xE9 = é, 0x80 and 0x9F are C1 controls in ISO-8859-1 (Windows-1252 would give € and Ÿ).
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x9f, 0xe9]);
    expect(decodeBytes(bytes, "dir/x.txt", warn)).toBe("caf\u00e9 \u0080\u009f\u00e9");
    expect(messages).toEqual(["dir/x.txt: not valid UTF-8, read as Latin-1"]);
  });

  it("ASCII (the fast path) gives the UTF-8 decoding, no warning (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ max: 0x7f, maxLength: 200 }), (array) => {
        const bytes = Buffer.from(array);
        const { warn, messages } = collectWarnings();
        expect(decodeBytes(bytes, "p", warn)).toBe(new TextDecoder("utf-8").decode(bytes));
        expect(messages).toEqual([]);
      }),
    );
  });

  it("keeps CR and LF characters", () => {
    const { warn } = collectWarnings();
    expect(decodeBytes(Buffer.from("a\r\nb\rc\n", "utf8"), "a", warn)).toBe("a\r\nb\rc\n");
  });

  it("maps every non-UTF-8 byte string to one code point per byte (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (array) => {
        const bytes = Buffer.from(array);
        const { warn, messages } = collectWarnings();
        const text = decodeBytes(bytes, "p", warn);
        const valid = new TextDecoder("utf-8", { fatal: true });
        let isValid = true;
        try {
          valid.decode(bytes);
        } catch {
          isValid = false;
        }
        if (isValid) {
          expect(messages).toEqual([]);
          expect(text).toBe(new TextDecoder("utf-8").decode(bytes));
        } else {
          expect(messages.length).toBe(1);
          expect(text.length).toBe(bytes.length);
          for (let i = 0; i < bytes.length; i++) expect(text.charCodeAt(i)).toBe(bytes[i]);
        }
      }),
    );
  });
});

describe("hasNulBytes", () => {
  it("looks at the first 8 KiB only", () => {
    const bytes = new Uint8Array(binaryProbeBytes + 10).fill(0x61);
    expect(hasNulBytes(bytes)).toBe(false);
    bytes[binaryProbeBytes] = 0;
    expect(hasNulBytes(bytes)).toBe(false);
    bytes[binaryProbeBytes - 1] = 0;
    expect(hasNulBytes(bytes)).toBe(true);
    expect(hasNulBytes(new Uint8Array([0]))).toBe(true);
    expect(hasNulBytes(new Uint8Array(0))).toBe(false);
  });
});
