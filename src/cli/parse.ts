/**
 * Value parsers for flags. Each returns a commander argParser that throws commander's
 * InvalidArgumentError, so the message names the flag and what it accepts, and the exit code is 2.
 */
import { InvalidArgumentError } from "commander";

/** Parses a whole number in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) throw new InvalidArgumentError(`expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}.`);
    const n = Number(trimmed);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}.`);
    return n;
  };
}

/** Parses a finite number in [min, max] (`exclusiveMin`: > min). */
export function real(min: number, max = Infinity, exclusiveMin = false): (value: string) => number {
  const range = `${exclusiveMin ? ">" : ">="} ${min}${max < Infinity ? ` and <= ${max}` : ""}`;
  return (value) => {
    const trimmed = value.trim();
    const n = trimmed === "" ? NaN : Number(trimmed);
    if (!Number.isFinite(n) || (exclusiveMin ? n <= min : n < min) || n > max) {
      throw new InvalidArgumentError(`expected a number ${range}.`);
    }
    return n;
  };
}

/** Parses one of a fixed set of words. */
export function choice<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${values.join(", ")}.`);
    }
    return value as T;
  };
}

/** `--ngram-range MIN,MAX` with 1 <= MIN <= MAX <= 9. */
export function ngramRange(value: string): [number, number] {
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!m || lo < 1 || hi < lo || hi > 9) {
    throw new InvalidArgumentError("expected MIN,MAX with 1 <= MIN <= MAX <= 9, e.g. 1,2.");
  }
  return [lo, hi];
}

/**
 * `--min-df` / `--max-df`: a whole number is a count of documents, a number with a fraction part
 * (or 0 < x <= 1 for --max-df) is a share. The text pipeline applies scikit-learn's rule to the
 * returned number (integer >= 1 = count for min_df, integer > 1 = count for max_df).
 */
export function documentFrequency(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError("expected a document count (whole number >= 1) or a share of documents (0 to 1).");
  }
  if (!Number.isInteger(n) && n > 1) {
    throw new InvalidArgumentError("expected a document count (whole number >= 1) or a share of documents (0 to 1).");
  }
  return n;
}

/** `--alpha-h`: a number >= 0 or "same" (the value of --alpha-w). */
export function alphaH(value: string): number | "same" {
  if (value === "same") return "same";
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0 or "same".');
  return n;
}

/**
 * `-k` of `sweep`: a list `5,10,15`, a range `4..12`, or a mix (`2,4..6`). Sorted, de-duplicated,
 * every k >= 1.
 */
export function topicList(value: string): number[] {
  const ks = new Set<number>();
  for (const part of value.split(",")) {
    const p = part.trim();
    const range = /^(\d+)\.\.(\d+)$/.exec(p);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo < 1 || hi < lo || hi - lo > 1000) throw new InvalidArgumentError("expected a range LOW..HIGH with 1 <= LOW <= HIGH.");
      for (let k = lo; k <= hi; k++) ks.add(k);
    } else if (/^\d+$/.test(p) && Number(p) >= 1) {
      ks.add(Number(p));
    } else {
      throw new InvalidArgumentError("expected whole numbers >= 1 separated by commas, or a range such as 4..12.");
    }
  }
  return [...ks].sort((a, b) => a - b);
}
