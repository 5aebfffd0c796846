/**
 * The one JSON writer of every result: keys in the order the report objects were built, 2-space
 * indent, arrays of scalars and small flat objects kept on one line, and every number written by
 * {@link formatNumber}.
 * Byte-identical output for identical inputs is the contract that `hash` and CI checks rely on.
 */

/** Significant digits kept by {@link formatNumber}. */
export const SIGNIFICANT_DIGITS = 6;

/**
 * Formats a number for JSON: the value rounded to 6 significant digits, written as the shortest
 * string that round-trips (so 0.1 + 0.2 prints `0.3`, 5370.408123 prints `5370.41`). Whole
 * numbers up to 2^53 (counts such as `nonzeros`) are written exactly. `-0` prints `0`.
 * Non-finite values have no JSON form and are a bug in the caller: they throw.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`cannot write a non-finite number (${value}) to JSON`);
  }
  if (value === 0) return "0"; // also -0
  if (Number.isSafeInteger(value)) return String(value);
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return rounded === 0 ? "0" : String(rounded);
}

/**
 * Formats a number at full precision (shortest round-trip of the float64 itself): for model files,
 * where the values must come back bit for bit.
 */
export function formatNumberExact(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`cannot write a non-finite number (${value}) to JSON`);
  }
  return value === 0 ? "0" : String(value);
}

/** A value the writer accepts: what JSON.parse could return, plus typed arrays of numbers. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | Float64Array
  | Int32Array
  | { readonly [key: string]: JsonValue | undefined };

export interface StringifyOptions {
  /** Number formatter; default {@link formatNumber} (6 significant digits). */
  number?: (value: number) => string;
  /** Indent width; 0 writes everything on one line (NDJSON). Default 2. */
  indent?: number;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

/** Objects of at most this many keys, all scalar, are written on one line (`{"term": "x", "weight": 1}`). */
export const INLINE_OBJECT_KEYS = 4;

function isSmallFlatObject(value: object): boolean {
  const values = Object.values(value).filter((v) => v !== undefined);
  return values.length <= INLINE_OBJECT_KEYS && values.every(isScalar);
}

/** Pieces of text {@link stringifyJson} gathers before joining them into one chunk. */
const PIECES_PER_CHUNK = 4096;

/**
 * Serialises `value` deterministically. Object keys whose value is `undefined` are left out (as
 * JSON.stringify does). Arrays whose elements are all scalars (and typed arrays) stay on one line.
 */
export function stringifyJson(value: JsonValue, options: StringifyOptions = {}): string {
  const num = options.number ?? formatNumber;
  const indent = options.indent ?? 2;
  // Small pieces are joined into chunks as they accumulate: millions of live pieces (200,000
  // documents) cost several times the memory of the text they make.
  const chunks: string[] = [];
  const parts: string[] = [];
  const collapse = (): void => {
    if (parts.length < PIECES_PER_CHUNK) return;
    chunks.push(parts.join(""));
    parts.length = 0;
  };

  const write = (v: JsonValue, depth: number): void => {
    if (v === null) {
      parts.push("null");
    } else if (typeof v === "number") {
      parts.push(num(v));
    } else if (typeof v === "boolean") {
      parts.push(v ? "true" : "false");
    } else if (typeof v === "string") {
      parts.push(JSON.stringify(v));
    } else if (v instanceof Float64Array || v instanceof Int32Array) {
      parts.push("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(indent > 0 ? ", " : ",");
        parts.push(num(v[i]));
      }
      parts.push("]");
    } else if (Array.isArray(v)) {
      const arr = v as readonly JsonValue[];
      if (arr.length === 0) {
        parts.push("[]");
      } else if (indent === 0 || arr.every(isScalar)) {
        parts.push("[");
        arr.forEach((item, i) => {
          if (i > 0) parts.push(indent > 0 ? ", " : ",");
          write(item, depth + 1);
        });
        parts.push("]");
      } else {
        const pad = "\n" + " ".repeat(indent * (depth + 1));
        parts.push("[");
        arr.forEach((item, i) => {
          parts.push(i > 0 ? "," + pad : pad);
          write(item, depth + 1);
          collapse();
        });
        parts.push("\n" + " ".repeat(indent * depth) + "]");
      }
    } else {
      const obj = v as { readonly [key: string]: JsonValue | undefined };
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      if (keys.length === 0) {
        parts.push("{}");
        return;
      }
      const inline = indent === 0 || isSmallFlatObject(obj);
      const pad = inline ? "" : "\n" + " ".repeat(indent * (depth + 1));
      const sep = indent > 0 ? ": " : ":";
      const comma = inline && indent > 0 ? ", " : ",";
      parts.push("{");
      keys.forEach((key, i) => {
        parts.push(i > 0 ? comma + pad : pad);
        parts.push(JSON.stringify(key), sep);
        write(obj[key] as JsonValue, depth + 1);
        collapse();
      });
      parts.push(inline ? "}" : "\n" + " ".repeat(indent * depth) + "}");
    }
  };

  write(value, 0);
  chunks.push(parts.join(""));
  return chunks.length === 1 ? chunks[0] : chunks.join("");
}
