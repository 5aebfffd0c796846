/**
 * A string -> id hash table that can look up a slice `s[start, end)` of a text without creating the
 * string: the vectorizer's hot loop hashes each token while it scans it and only allocates a string
 * for a term it has never seen. Ids are 0, 1, 2, ... in insertion order.
 */

/** FNV-1a offset basis: the hash of the empty string before {@link finishHash}. */
export const hashSeed = 0x811c9dc5 | 0;

/** Adds one UTF-16 code unit to a running FNV-1a hash. */
export function addToHash(hash: number, codeUnit: number): number {
  return Math.imul(hash ^ codeUnit, 0x01000193);
}

/** Final avalanche (murmur3's fmix32), so that the low bits used for the slot are well mixed. */
export function finishHash(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The finished hash of a whole string, equal to that of the same characters scanned in a text. */
export function hashString(s: string): number {
  let h = hashSeed;
  for (let i = 0; i < s.length; i++) h = addToHash(h, s.charCodeAt(i));
  return finishHash(h);
}

/** Open-addressing (linear probing) table of distinct strings. */
export class TermTable {
  /** Term of each id. */
  readonly terms: string[] = [];
  /** Pairs (id + 1, finished hash) per slot, id + 1 = 0 for an empty slot; the number of slots is a
   * power of two and at most half of them are used. The hash beside the id saves a memory access. */
  private slots: Int32Array;
  /** Number of slots - 1. */
  private mask: number;
  /** 2 * number of slots - 1 (wraps a pair index). */
  private pairMask: number;

  constructor(expectedSize = 1 << 12) {
    let capacity = 16;
    while (capacity < 2 * expectedSize) capacity *= 2;
    this.slots = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    this.pairMask = 2 * capacity - 1;
  }

  /** Number of terms. */
  get size(): number {
    return this.terms.length;
  }

  /** Id of `s[start, end)` whose finished hash is `hash`, or -1. */
  findRange(s: string, start: number, end: number, hash: number): number {
    const slot = this.probe(s, start, end, hash);
    const entry = this.slots[slot];
    return entry === 0 ? -1 : entry - 1;
  }

  /** Id of `s[start, end)` (finished hash `hash`), adding `s.slice(start, end)` if it is new. */
  findOrInsertRange(s: string, start: number, end: number, hash: number): number {
    const slot = this.probe(s, start, end, hash);
    const entry = this.slots[slot];
    if (entry !== 0) return entry - 1;
    return this.insertAt(slot, start === 0 && end === s.length ? s : s.slice(start, end), hash);
  }

  /** Index (even) of the slot holding `s[start, end)`, or of the empty slot where it would go. */
  private probe(s: string, start: number, end: number, hash: number): number {
    const { slots, mask, terms } = this;
    const length = end - start;
    let slot = (hash & mask) << 1;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) return slot;
      if (slots[slot + 1] === hash) {
        const term = terms[entry - 1];
        if (term.length === length) {
          let k = 0;
          while (k < length && term.charCodeAt(k) === s.charCodeAt(start + k)) k++;
          if (k === length) return slot;
        }
      }
      slot = (slot + 2) & this.pairMask;
    }
  }

  /** Id of a whole string, or -1. */
  find(term: string): number {
    return this.findRange(term, 0, term.length, hashString(term));
  }

  /** Id of a whole string, adding it if it is new. */
  findOrInsert(term: string): number {
    return this.findOrInsertRange(term, 0, term.length, hashString(term));
  }

  private insertAt(slot: number, term: string, hash: number): number {
    const id = this.terms.length;
    this.terms.push(term);
    this.slots[slot] = id + 1;
    this.slots[slot + 1] = hash;
    if (4 * this.terms.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const capacity = old.length; // twice the old number of slots
    const slots = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    const pairMask = 2 * capacity - 1;
    for (let p = 0; p < old.length; p += 2) {
      if (old[p] === 0) continue;
      let slot = (old[p + 1] & mask) << 1;
      while (slots[slot] !== 0) slot = (slot + 2) & pairMask;
      slots[slot] = old[p];
      slots[slot + 1] = old[p + 1];
    }
    this.slots = slots;
    this.mask = mask;
    this.pairMask = pairMask;
  }
}
