// WebAssembly version of the vectorizer's counting loop for the default analyzer (scikit-learn's
// token pattern `(?u)\b\w\w+\b`, unigrams, no stemming): src/text/tokenize.ts scanTermIdsInto with
// its TermTable, and the counting loop of src/text/vectorizer.ts. Built on its own (`npm run
// build:wasm` -> dist/wasm/text.wasm) with its own memory: the caller writes each text as UTF-8
// into the text buffer and calls `countText`; the terms, their counts and each document's
// (term id, count) entries stay here until the caller reads them once, at the end.
//
// Why: the JavaScript scanner is fast once V8 has optimised it, but a short corpus (BBC: 2,225
// texts) is half counted by then; WebAssembly runs compiled from the first text. An ASCII text is
// lowercased here and its word characters are found 16 bytes at a time (a bitmap of them, then
// its runs), so that a token costs no branch per byte.
//
// Every decision is the JavaScript one: a token is a maximal run of word code points at least two
// code points long; the word class and the decimal-digit class of non-ASCII code points come from
// the caller's `classify` (Python's `\w` and `\p{Nd}`, see src/text/unicode-word.ts), cached for
// the Basic Multilingual Plane. Term ids are given in order of first occurrence, as TermTable does,
// so both paths build the same vocabulary and the same entries.

/** Bit 1 of `classify`: a word code point (Python's `\w`). Bit 2: a decimal digit (\p{Nd}). */
const WORD: u32 = 1;
const DIGIT: u32 = 2;
/** Marks a cached class in `bmpClass` (0 = not asked yet). */
const KNOWN: u32 = 4;

/** Zero bytes kept after the text (a 64-byte block of the bitmap, and 8-byte key loads, may read them). */
const TEXT_PADDING = 128;

@external("env", "classify")
declare function classify(codePoint: i32): i32;

/** Per byte < 128: 1 for [0-9A-Za-z_], else 0. */
let asciiWord: usize = 0;
/** Cached class of each BMP code point (64 KiB): 0, or KNOWN | WORD? | DIGIT?. */
let bmpClass: usize = 0;

/** The text buffer (TEXT_PADDING bytes more than textCapacity) and the bitmap of its word bytes. */
let text: usize = 0;
let textCapacity: i32 = 0;
let bitmap: usize = 0;

/**
 * Open addressing, linear probing, 16 bytes per slot: the term's first 8 bytes (little-endian, zero
 * beyond its length), id + 1 (0 = empty slot), byte length. At most half the slots are used.
 */
let slots: usize = 0;
let slotMask: u32 = 0;

/** Bytes of every term, in id order, each followed by a '\n' (no term contains one). */
let arena: usize = 0;
let arenaLength: i32 = 0;
let arenaCapacity: i32 = 0;

let nTerms: i32 = 0;
let termCapacity: i32 = 0;
/** Per term: arena offset (i32). */
let termOffset: usize = 0;
/** Per term: the last document it occurred in and its entry there (2 x i32). */
let termState: usize = 0;
let docFreq: usize = 0;
let totalCount: usize = 0;

let entryIds: usize = 0;
let entryCounts: usize = 0;
let nnz: i32 = 0;
let entryCapacity: i32 = 0;

let nDocs: i32 = 0;

// @ts-ignore: decorator
@inline function loadI32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function storeI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/** A zero-filled block of `bytes`, 16-byte aligned. */
function allocate(bytes: usize): usize {
  const block = heap.alloc(bytes);
  memory.fill(block, 0, bytes);
  return block;
}

/** `old` (oldBytes used) moved to a block of newBytes, the rest zero. */
function grow(old: usize, oldBytes: usize, newBytes: usize): usize {
  const block = allocate(newBytes);
  memory.copy(block, old, oldBytes);
  heap.free(old);
  return block;
}

/**
 * Sets up an empty table with room for `expectedTerms` terms and `expectedEntries` entries (more
 * is grown as needed). Call once, before anything else.
 */
export function init(expectedTerms: i32, expectedEntries: i32): void {
  asciiWord = allocate(128);
  for (let c = 0x30; c <= 0x39; c++) store<u8>(asciiWord + c, 1);
  for (let c = 0x41; c <= 0x5a; c++) store<u8>(asciiWord + c, 1);
  for (let c = 0x61; c <= 0x7a; c++) store<u8>(asciiWord + c, 1);
  store<u8>(asciiWord + 0x5f, 1);
  bmpClass = allocate(0x10000);
  let capacity: u32 = 16;
  while (capacity < <u32>(2 * expectedTerms)) capacity <<= 1;
  slots = allocate(<usize>capacity << 4);
  slotMask = capacity - 1;
  termCapacity = max(expectedTerms, 16);
  termOffset = allocate(<usize>termCapacity << 2);
  termState = allocate(<usize>termCapacity << 3);
  memory.fill(termState, 0xff, <usize>termCapacity << 3);
  docFreq = allocate(<usize>termCapacity << 2);
  totalCount = allocate(<usize>termCapacity << 3);
  arenaCapacity = max(8 * expectedTerms, 64);
  arena = allocate(<usize>arenaCapacity + 8);
  entryCapacity = max(expectedEntries, 16);
  entryIds = allocate(<usize>entryCapacity << 2);
  entryCounts = allocate(<usize>entryCapacity << 2);
  allocateText(1 << 16);
}

function allocateText(capacity: i32): void {
  textCapacity = capacity;
  text = allocate(<usize>capacity + TEXT_PADDING);
  bitmap = allocate((<usize>capacity + TEXT_PADDING) >> 3);
}

/** The text buffer with room for `bytes` bytes (moved when it grows: ask before every write). */
export function textBuffer(bytes: i32): usize {
  if (bytes > textCapacity) {
    heap.free(bitmap);
    heap.free(text);
    let capacity = textCapacity;
    while (capacity < bytes) capacity *= 2;
    allocateText(capacity);
  }
  return text;
}

/** The low `length` bytes of a little-endian u64 (all of it from 8 on). */
// @ts-ignore: decorator
@inline function lowBytes(word: u64, length: i32): u64 {
  return length >= 8 ? word : word & ((<u64>1 << (<u64>length << 3)) - 1);
}

/** 32 well-mixed bits of a 64-bit value (a multiply, then the high half folded in). */
// @ts-ignore: decorator
@inline function mix(h: u64): u32 {
  h *= 0x9e3779b97f4a7c15;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9;
  return <u32>(h ^ (h >> 32));
}

/** Hash of the `length` bytes at `start` (at least 8 readable bytes past the end). */
// @ts-ignore: decorator
@inline function hashBytes(start: usize, length: i32): u32 {
  let h: u64 = <u64>length;
  let i = 0;
  for (; i + 8 < length; i += 8) h = (h ^ load<u64>(start + <usize>i)) * 0xff51afd7ed558ccd;
  return mix(h ^ lowBytes(load<u64>(start + <usize>i), length - i));
}

/** Whether the `length` bytes at a and b are equal. */
function sameBytes(a: usize, b: usize, length: i32): bool {
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  }
  for (; i < length; i++) {
    if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  }
  return true;
}

/** Id of the `length` bytes at `start`, added as a new term if unseen. */
// @ts-ignore: decorator
@inline function findOrInsert(start: usize, length: i32): i32 {
  const key = lowBytes(load<u64>(start), length);
  let slot = hashBytes(start, length) & slotMask;
  for (;;) {
    const s = slots + (<usize>slot << 4);
    const entry = load<i32>(s, 8);
    if (entry == 0) return insertAt(s, key, start, length);
    if (load<u64>(s) == key && load<i32>(s, 12) == length) {
      if (length <= 8 || sameBytes(arena + <usize>loadI32(termOffset, entry - 1) + 8, start + 8, length - 8)) return entry - 1;
    }
    slot = (slot + 1) & slotMask;
  }
  return -1; // unreachable: the table is never full
}

function insertAt(s: usize, key: u64, start: usize, length: i32): i32 {
  const id = nTerms++;
  if (arenaLength + length + 1 > arenaCapacity) {
    let capacity = arenaCapacity;
    while (capacity < arenaLength + length + 1) capacity *= 2;
    arena = grow(arena, <usize>arenaLength, <usize>capacity + 8);
    arenaCapacity = capacity;
  }
  memory.copy(arena + <usize>arenaLength, start, length);
  store<u8>(arena + <usize>(arenaLength + length), 0x0a);
  storeI32(termOffset, id, arenaLength);
  arenaLength += length + 1;
  store<u64>(s, key);
  store<i32>(s, id + 1, 8);
  store<i32>(s, length, 12);
  if (nTerms * 2 > <i32>slotMask + 1) rehash();
  return id;
}

function rehash(): void {
  const oldSlots = slots;
  const oldCount = slotMask + 1;
  const capacity = oldCount * 2;
  slots = allocate(<usize>capacity << 4);
  slotMask = capacity - 1;
  for (let i: u32 = 0; i < oldCount; i++) {
    const o = oldSlots + (<usize>i << 4);
    const entry = load<i32>(o, 8);
    if (entry == 0) continue;
    let slot = hashBytes(arena + <usize>loadI32(termOffset, entry - 1), load<i32>(o, 12)) & slotMask;
    while (load<i32>(slots + (<usize>slot << 4), 8) != 0) slot = (slot + 1) & slotMask;
    memory.copy(slots + (<usize>slot << 4), o, 16);
  }
  heap.free(oldSlots);
}

/** Id of the `length` bytes in the text buffer as one term (a stop word), added if new. */
export function internText(length: i32): i32 {
  memory.fill(text + <usize>length, 0, 8);
  return findOrInsert(text, length);
}

/** Class bits of a non-ASCII code point (cached for the BMP). */
// @ts-ignore: decorator
@inline function classOf(codePoint: i32): u32 {
  if (codePoint < 0x10000) {
    const cached = <u32>load<u8>(bmpClass + <usize>codePoint);
    if (cached != 0) return cached;
    const computed = <u32>classify(codePoint) | KNOWN;
    store<u8>(bmpClass + <usize>codePoint, <u8>computed);
    return computed;
  }
  return <u32>classify(codePoint);
}

/** Room for the terms and entries one text of `length` bytes can add (a token takes >= 3 bytes with its separator). */
function reserveFor(length: i32): void {
  const most = length / 3 + 2;
  if (nTerms + most > termCapacity) {
    let capacity = termCapacity;
    while (capacity < nTerms + most) capacity *= 2;
    const old = <usize>termCapacity;
    termOffset = grow(termOffset, old << 2, <usize>capacity << 2);
    termState = grow(termState, old << 3, <usize>capacity << 3);
    memory.fill(termState + (old << 3), 0xff, (<usize>capacity - old) << 3);
    docFreq = grow(docFreq, old << 2, <usize>capacity << 2);
    totalCount = grow(totalCount, old << 3, <usize>capacity << 3);
    termCapacity = capacity;
  }
  if (nnz + most > entryCapacity) {
    let capacity = entryCapacity;
    while (capacity < nnz + most) capacity *= 2;
    entryIds = grow(entryIds, <usize>nnz << 2, <usize>capacity << 2);
    entryCounts = grow(entryCounts, <usize>nnz << 2, <usize>capacity << 2);
    entryCapacity = capacity;
  }
}

/** Counts one occurrence of term `id` in document `d`: a new entry at its first occurrence. */
// @ts-ignore: decorator
@inline function countToken(id: i32, d: i32): void {
  const state = termState + (<usize>id << 3);
  if (load<i32>(state) != d) {
    store<i32>(state, d);
    store<i32>(state, nnz, 4);
    storeI32(entryIds, nnz, id);
    storeI32(entryCounts, nnz, 1);
    nnz++;
  } else {
    const at = entryCounts + (<usize>load<i32>(state, 4) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
}

/** Whether the `length` bytes at `start` are all ASCII digits. */
function allDigits(start: usize, length: i32): bool {
  for (let i = 0; i < length; i++) {
    if (<u32>load<u8>(start + <usize>i) - 0x30 > 9) return false;
  }
  return true;
}

/**
 * The ASCII path: lowercases the `length` bytes in place, marks their word bytes ([0-9_a-z]) in
 * the bitmap 16 at a time, then counts every run of at least two marked bytes.
 */
function countAscii(length: i32, skipBelow: i32, dropNumbers: bool, d: i32): void {
  const blocks = (length + 63) >> 6;
  const upperA = i8x16.splat(0x41);
  const lowerA = i8x16.splat(0x61);
  const zero = i8x16.splat(0x30);
  const letters = i8x16.splat(26);
  const digits = i8x16.splat(10);
  const underscore = i8x16.splat(0x5f);
  const caseBit = i8x16.splat(0x20);
  for (let b = 0; b < blocks; b++) {
    const p = text + (<usize>b << 6);
    let word: u64 = 0;
    for (let q = 0; q < 4; q++) {
      let v = v128.load(p + (<usize>q << 4));
      const upper = i8x16.lt_u(i8x16.sub(v, upperA), letters);
      v = v128.or(v, v128.and(upper, caseBit));
      v128.store(p + (<usize>q << 4), v);
      const isWord = v128.or(
        v128.or(i8x16.lt_u(i8x16.sub(v, lowerA), letters), i8x16.lt_u(i8x16.sub(v, zero), digits)),
        i8x16.eq(v, underscore),
      );
      word |= <u64>i8x16.bitmask(isWord) << (<u64>q << 4);
    }
    store<u64>(bitmap + (<usize>b << 3), word);
  }
  // Two zero words after the last block: every run ends inside the bitmap.
  store<u64>(bitmap + (<usize>blocks << 3), 0);
  store<u64>(bitmap + (<usize>(blocks + 1) << 3), 0);
  let w = 0;
  let bits = load<u64>(bitmap);
  for (;;) {
    while (bits == 0) {
      if (++w >= blocks) return;
      bits = load<u64>(bitmap + (<usize>w << 3));
    }
    const start = (w << 6) + <i32>ctz(bits);
    // The run's end: the first zero bit at or after its start.
    let ends = ~load<u64>(bitmap + (<usize>w << 3)) & (<u64>-1 << (<u64>start & 63));
    while (ends == 0) {
      ++w;
      ends = ~load<u64>(bitmap + (<usize>w << 3));
    }
    const end = (w << 6) + <i32>ctz(ends);
    // Marked bits at or after the end, in the word holding it.
    bits = load<u64>(bitmap + (<usize>w << 3)) & (<u64>-1 << (<u64>end & 63));
    const tokenLength = end - start;
    if (tokenLength < 2) continue;
    if (dropNumbers && allDigits(text + <usize>start, tokenLength)) continue;
    const id = findOrInsert(text + <usize>start, tokenLength);
    if (id >= skipBelow) countToken(id, d);
  }
}

/** The general path, for text with non-ASCII bytes (lowercased by the caller): a byte-by-byte scan. */
function countUnicode(length: i32, skipBelow: i32, dropNumbers: bool, d: i32): void {
  const word = asciiWord;
  let p = text;
  const end = text + <usize>length;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (c < 0x80 && load<u8>(word + <usize>c) == 0) {
      p++;
      continue;
    }
    const start = p;
    let codePoints = 0;
    let digitsOnly = true;
    for (;;) {
      if (c < 0x80) {
        if (load<u8>(word + <usize>c) == 0) break;
        if (c - 0x30 > 9) digitsOnly = false;
        p++;
      } else {
        // Encoded by the caller from a JavaScript string, so well-formed: lone surrogates arrive
        // as U+FFFD, which is not a word character (nor is a lone surrogate in JavaScript).
        let codePoint: i32;
        let width: i32;
        if (c < 0xe0) {
          codePoint = ((c & 0x1f) << 6) | (<i32>load<u8>(p, 1) & 0x3f);
          width = 2;
        } else if (c < 0xf0) {
          codePoint = ((c & 0x0f) << 12) | ((<i32>load<u8>(p, 1) & 0x3f) << 6) | (<i32>load<u8>(p, 2) & 0x3f);
          width = 3;
        } else {
          codePoint =
            ((c & 0x07) << 18) | ((<i32>load<u8>(p, 1) & 0x3f) << 12) | ((<i32>load<u8>(p, 2) & 0x3f) << 6) | (<i32>load<u8>(p, 3) & 0x3f);
          width = 4;
        }
        const cls = classOf(codePoint);
        if ((cls & WORD) == 0) {
          if (codePoints == 0) p += <usize>width; // a non-word character between tokens
          break;
        }
        if ((cls & DIGIT) == 0) digitsOnly = false;
        p += <usize>width;
      }
      codePoints++;
      if (p >= end) break;
      c = <u32>load<u8>(p);
    }
    if (codePoints < 2) continue;
    if (dropNumbers && digitsOnly) continue;
    const id = findOrInsert(start, <i32>(p - start));
    if (id >= skipBelow) countToken(id, d);
  }
}

/**
 * Counts one document, the `length` bytes of UTF-8 text in the text buffer: `ascii` text (every
 * byte < 0x80) as it is, lowercased here; other text already lowercased by the caller. Every
 * token's term id (new terms added), skipping ids below `skipBelow` (the stop words, interned
 * first) and, with `dropNumbers`, tokens made only of decimal digits. Adds each term's count in the
 * document to its total count, and 1 to its document frequency. With `keepEntries`, keeps the
 * document's distinct terms as (id, count) entries in order of first occurrence. Returns the number
 * of entries kept so far.
 */
export function countText(length: i32, ascii: bool, skipBelow: i32, dropNumbers: bool, keepEntries: bool): i32 {
  reserveFor(length);
  memory.fill(text + <usize>length, 0, TEXT_PADDING);
  const d = nDocs++;
  const first = nnz;
  if (ascii) countAscii(length, skipBelow, dropNumbers, d);
  else countUnicode(length, skipBelow, dropNumbers, d);
  for (let e = first; e < nnz; e++) {
    const id = loadI32(entryIds, e);
    storeI32(docFreq, id, loadI32(docFreq, id) + 1);
    const at = totalCount + (<usize>id << 3);
    store<f64>(at, load<f64>(at) + <f64>loadI32(entryCounts, e));
  }
  if (!keepEntries) nnz = first;
  return nnz;
}

/** Number of distinct terms (stop words included). */
export function termCount(): i32 {
  return nTerms;
}

/** Where the terms' bytes start, each followed by '\n', in id order ({@link termBytes} of them). */
export function termArena(): usize {
  return arena;
}

export function termBytes(): i32 {
  return arenaLength;
}

/** Document frequency (i32) and total count (f64) of every term, by id. */
export function documentFrequencies(): usize {
  return docFreq;
}

export function totalCounts(): usize {
  return totalCount;
}

/** The documents' (term id, count) entries, in document order ({@link countText}'s result of them). */
export function entryTermIds(): usize {
  return entryIds;
}

export function entryTermCounts(): usize {
  return entryCounts;
}
