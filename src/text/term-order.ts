/**
 * Sorting terms by UTF-16 code unit (the vocabulary order, as `Array.prototype.sort()` without a
 * comparator), fast: the 56,123 terms of 20 Newsgroups took 20 ms with `sort()` and 13 ms more to
 * find each sorted term's id again, against 10 ms here. Each term gets a numeric key from its first
 * five code units that never orders two terms wrongly; one native sort of float64 keys does most of
 * the work, and only terms with equal keys are compared as strings.
 */

/** Base of the prefix key: 0 ends the term, 1-41 are classes of code units in increasing order. */
const keyBase = 42;
/** Code units encoded per key: keyBase^5 < 2^27, and key * 2^26 + position < 2^53. */
const keyLength = 5;
/** Multiplier of the key in a packed (key, position) float64: positions below 2^26 fit exactly. */
const positionRange = 2 ** 26;

/**
 * Class of a code unit, non-decreasing in the code unit: each of '0'-'9', '_', '`' and 'a'-'z' has its
 * own class (the characters of lowercased default tokens), the ranges between them share one, so
 * after a shared class the key must stop (the next code unit cannot decide the order).
 */
function classOf(c: number): number {
  if (c < 0x30) return 1;
  if (c <= 0x39) return c - 0x30 + 2; // 2-11
  if (c < 0x5f) return 12;
  if (c <= 0x60) return c - 0x5f + 13; // '_' 13, '`' 14
  if (c <= 0x7a) return c - 0x61 + 15; // 15-40
  return 41;
}

/** True for the classes that hold more than one code unit. */
function isSharedClass(k: number): boolean {
  return k === 1 || k === 12 || k === 41;
}

/**
 * Key of the first code units of `term`: key(a) < key(b) implies a < b (code-unit order), and equal
 * keys decide nothing. Up to the first shared class, code units are encoded one by one.
 */
function prefixKey(term: string): number {
  let key = 0;
  let i = 0;
  for (; i < keyLength && i < term.length; i++) {
    const k = classOf(term.charCodeAt(i));
    key = key * keyBase + k;
    if (isSharedClass(k)) {
      i++;
      break;
    }
  }
  for (; i < keyLength; i++) key *= keyBase;
  return key;
}

/**
 * The ids, sorted by their terms in UTF-16 code-unit order. The terms of the ids must be distinct.
 * Example: ids [0, 1, 2] of ["b", "a", "ab"] -> [1, 2, 0].
 */
export function sortIdsByTerm(ids: readonly number[], terms: readonly string[]): Int32Array {
  const n = ids.length;
  if (n >= positionRange) return Int32Array.from(ids).sort((a, b) => (terms[a] < terms[b] ? -1 : 1));
  const packed = new Float64Array(n);
  for (let p = 0; p < n; p++) packed[p] = prefixKey(terms[ids[p]]) * positionRange + p;
  packed.sort();
  const sorted = new Int32Array(n);
  for (let p = 0; p < n; p++) sorted[p] = ids[packed[p] % positionRange];
  // Within each run of equal keys (a few terms sharing five characters), insertion sort by term.
  for (let p = 1; p < n; p++) {
    const key = Math.floor(packed[p] / positionRange);
    if (Math.floor(packed[p - 1] / positionRange) !== key) continue;
    const id = sorted[p];
    const term = terms[id];
    let q = p;
    while (q > 0 && Math.floor(packed[q - 1] / positionRange) === key && terms[sorted[q - 1]] > term) {
      sorted[q] = sorted[q - 1];
      q--;
    }
    sorted[q] = id;
  }
  return sorted;
}
