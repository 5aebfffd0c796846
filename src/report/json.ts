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
 *
 * The result is always `String(Number(value.toPrecision(6)))`; {@link formatSixDigits} computes it
 * without the two string conversions for nearly every value (a report writes hundreds of thousands).
 */
export function formatNumber(value: number): string {
  if (value === 0) return "0"; // also -0
  if (!Number.isFinite(value)) {
    throw new Error(`cannot write a non-finite number (${value}) to JSON`);
  }
  if (Number.isSafeInteger(value)) return String(value);
  return formatSixDigits(value);
}

/** The definition of {@link formatNumber} for a finite, non-zero, non-integer value: the slow, exact path. */
function formatByToPrecision(value: number): string {
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return rounded === 0 ? "0" : String(rounded);
}

/** 10^0 .. 10^22: the powers of ten that are exact doubles. */
const EXACT_POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/** "0" .. "999", and "000" .. "999": {@link formatSixDigits} writes its digits from these (`String` was its slowest step). */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i));
const PADDED_THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** "", "0", ..., "000000": the zeros {@link formatSixDigits} pads with, without building them each time. */
const ZEROS = ["", "0", "00", "000", "0000", "00000", "000000"];

/** A double seen as two 32-bit words, to read its binary exponent; `HIGH_WORD` is the index of the sign/exponent word. */
const exponentScratch = new Float64Array(1);
const exponentWords = new Int32Array(exponentScratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * `String(Number(value.toPrecision(6)))` for a finite, non-zero value, by arithmetic:
 *
 * 1. With `s` such that `y = |value| * 10^s` lies in [1e5, 1e6), toPrecision(6) keeps the integer
 *    `n` nearest to the exact `y`. `y` is one correctly rounded product or quotient by an exact
 *    power of ten (|s| <= 22), so it is within 2^-33 of the exact value: when its fraction is not
 *    within 1e-8 of one half, `n` is `floor(y)` or `floor(y) + 1` without doubt. Near a tie (and
 *    for |s| > 22, subnormals, or an estimate of s that missed) the exact path decides instead.
 * 2. The rounded number is the decimal `n * 10^-s`, at most 6 significant digits, and
 *    `Number(...)` gives the double nearest to it. Two decimals of at most 15 digits never share a
 *    double, so the shortest round-trip string of that double (what `String` writes) has exactly
 *    the digits of `n` without its trailing zeros: they are written here, placed as ECMAScript's
 *    Number::toString places them (plain from 1e-6 up to 1e21, exponent form outside).
 *
 * A test compares it with the definition on millions of values, ties and near-ties included.
 */
function formatSixDigits(value: number): string {
  const a = value < 0 ? -value : value;
  exponentScratch[0] = a;
  const binaryExponent = ((exponentWords[HIGH_WORD] >>> 20) & 0x7ff) - 1023;
  // floor(log10(a)) is this estimate or one more.
  let s = 5 - Math.floor(binaryExponent * 0.3010299956639812);
  if (s < -21 || s > 22) return formatByToPrecision(value);
  let y = s >= 0 ? a * EXACT_POWERS_OF_TEN[s] : a / EXACT_POWERS_OF_TEN[-s];
  if (y >= 1e6) {
    s--;
    y = s >= 0 ? a * EXACT_POWERS_OF_TEN[s] : a / EXACT_POWERS_OF_TEN[-s];
  }
  if (!(y >= 1e5 && y < 1e6)) return formatByToPrecision(value);
  const floor = Math.floor(y);
  const fraction = y - floor; // exact (Sterbenz)
  if (fraction > 0.49999999 && fraction < 0.50000001) return formatByToPrecision(value);
  let digits = (fraction > 0.5 ? floor + 1 : floor) | 0;
  // value ~ digits * 10^exponent once the trailing zeros are dropped
  let exponent = -s;
  while (digits % 10 === 0) {
    digits = (digits / 10) | 0;
    exponent++;
  }
  const ds = digits < 1000 ? THREE_DIGITS[digits] : THREE_DIGITS[(digits / 1000) | 0] + PADDED_THREE_DIGITS[digits % 1000];
  const k = ds.length;
  const point = k + exponent; // Number::toString's n: the value is 0.ds * 10^point
  let text: string;
  if (point <= 0 && point > -6) text = "0." + ZEROS[-point] + ds;
  else if (point > 0 && point < k) text = ds.slice(0, point) + "." + ds.slice(point);
  else if (point >= k && point <= 21) text = ds + (point - k < ZEROS.length ? ZEROS[point - k] : "0".repeat(point - k));
  else {
    const e = point - 1;
    text = (k === 1 ? ds : ds[0] + "." + ds.slice(1)) + (e < 0 ? "e-" + String(-e) : "e+" + String(e));
  }
  return value < 0 ? "-" + text : text;
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

/** Whether the keys of `obj` that are not `undefined` are at most {@link INLINE_OBJECT_KEYS}, all scalar. */
function isSmallFlatObject(obj: { readonly [key: string]: unknown }, keys: readonly string[]): boolean {
  if (keys.length > INLINE_OBJECT_KEYS) return false;
  for (let i = 0; i < keys.length; i++) {
    const value = obj[keys[i]];
    if (value !== null && typeof value === "object") return false; // not isScalar
  }
  return true;
}

/** Whether every value of `obj` at `keys` is a scalar or a typed array (written on one line whatever the indent). */
function allLeaves(obj: { readonly [key: string]: unknown }, keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    const value = obj[keys[i]];
    if (value !== null && typeof value === "object" && !(value instanceof Float64Array || value instanceof Int32Array)) return false;
  }
  return true;
}

/** The keys of `obj` whose value is not `undefined`, in order (what JSON.stringify writes). */
function definedKeys(obj: { readonly [key: string]: unknown }): string[] {
  const keys = Object.keys(obj);
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (obj[keys[i]] !== undefined) keys[n++] = keys[i];
  keys.length = n;
  return keys;
}

/**
 * One line of numbers, `[a, b, c]` (`[a,b,c]` unindented): built as one string, as a report's rows
 * of W are most of its text and a piece per number made the joins the slow part.
 */
function numberRow(v: Float64Array | Int32Array, num: (value: number) => string, separator: string): string {
  if (v.length === 0) return "[]";
  let line = "[" + num(v[0]);
  for (let i = 1; i < v.length; i++) line += separator + num(v[i]);
  return line + "]";
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
  const separator = indent > 0 ? ", " : ",";
  const colon = indent > 0 ? ": " : ":";
  // Small pieces are joined into chunks as they accumulate: millions of live pieces (200,000
  // documents) cost several times the memory of the text they make.
  const chunks: string[] = [];
  const parts: string[] = [];
  const collapse = (): void => {
    if (parts.length < PIECES_PER_CHUNK) return;
    chunks.push(parts.join(""));
    parts.length = 0;
  };
  /** "\n" and the indent of each depth, built once. */
  const pads: string[] = [];
  const padOf = (depth: number): string => (pads[depth] ??= "\n" + " ".repeat(indent * depth));
  /** `"key": ` of each key, built once (a report repeats the same few keys thousands of times). */
  const keyTexts = new Map<string, string>();
  const keyText = (key: string): string => {
    let text = keyTexts.get(key);
    if (text === undefined) keyTexts.set(key, (text = JSON.stringify(key) + colon));
    return text;
  };

  /** The text of a value that is not an array or a plain object (see {@link isLeaf}). */
  const leafText = (v: JsonValue): string => {
    if (v === null) return "null";
    if (typeof v === "number") return num(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "string") return JSON.stringify(v);
    return numberRow(v as Float64Array | Int32Array, num, separator);
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
      parts.push(numberRow(v, num, separator));
    } else if (Array.isArray(v)) {
      const arr = v as readonly JsonValue[];
      if (arr.length === 0) {
        parts.push("[]");
      } else if (indent === 0 || arr.every(isScalar)) {
        parts.push("[");
        for (let i = 0; i < arr.length; i++) {
          if (i > 0) parts.push(separator);
          write(arr[i], depth + 1);
        }
        parts.push("]");
      } else {
        const pad = padOf(depth + 1);
        parts.push("[");
        for (let i = 0; i < arr.length; i++) {
          parts.push(i > 0 ? "," + pad : pad);
          write(arr[i], depth + 1);
          collapse();
        }
        parts.push(padOf(depth) + "]");
      }
    } else {
      const obj = v as { readonly [key: string]: JsonValue | undefined };
      const keys = definedKeys(obj);
      if (keys.length === 0) {
        parts.push("{}");
        return;
      }
      const inline = indent === 0 || isSmallFlatObject(obj, keys);
      const pad = inline ? "" : padOf(depth + 1);
      const first = "{" + pad;
      const next = (inline && indent > 0 ? ", " : ",") + pad;
      if (allLeaves(obj, keys)) {
        // One piece for the whole object (a report's document rows): the same text, without a
        // call and a piece per value.
        let text = first + keyText(keys[0]) + leafText(obj[keys[0]] as JsonValue);
        for (let i = 1; i < keys.length; i++) text += next + keyText(keys[i]) + leafText(obj[keys[i]] as JsonValue);
        parts.push(inline ? text + "}" : text + padOf(depth) + "}");
        collapse();
        return;
      }
      for (let i = 0; i < keys.length; i++) {
        parts.push((i > 0 ? next : first) + keyText(keys[i]));
        write(obj[keys[i]] as JsonValue, depth + 1);
        collapse();
      }
      parts.push(inline ? "}" : padOf(depth) + "}");
    }
  };

  write(value, 0);
  chunks.push(parts.join(""));
  return chunks.length === 1 ? chunks[0] : chunks.join("");
}
