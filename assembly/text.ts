// WebAssembly version of the vectorizer's counting loop for the default analyzer (scikit-learn's
// token pattern `(?u)\b\w\w+\b`, unigrams, no stemming): src/text/tokenize.ts scanTermIdsInto with
// its TermTable, and the counting loop of src/text/vectorizer.ts. Built on its own (`npm run
// build:wasm` -> dist/wasm/text.wasm) with its own memory: the caller writes each text as UTF-8
// into the text buffer and calls `countText`; the terms, their counts and each document's
// (term id, count) entries stay here until the caller reads them once, at the end.
//
// Why: the JavaScript scanner is fast once V8 has optimised it, but a short corpus (BBC: 2,225
// texts) is half counted by then; WebAssembly runs compiled from the first text. Word bytes are
// found 16 at a time (a bitmap of them, then its runs), so that a token costs no branch per byte;
// only the non-ASCII code points are classified one by one.
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

/** Cached class of each BMP code point (64 KiB): 0, or KNOWN | WORD? | DIGIT?. */
let bmpClass: usize = 0;

/** The text buffer (TEXT_PADDING bytes more than textCapacity) and the bitmap of its word bytes. */
let text: usize = 0;
let textCapacity: i32 = 0;
let bitmap: usize = 0;

/**
 * Open addressing, linear probing, 8 bytes per slot: the term's hash and id + 1 (0 = empty slot),
 * the key itself in the term's record. At most half the slots are used. The table stays small
 * (BBC: 512 KiB; 16-byte slots holding the key measured no faster, for twice the memory), and the
 * records of frequent terms, which come first, stay in the caches.
 */
let slots: usize = 0;
let slotMask: u32 = 0;

/** Bytes of every term, in id order, each followed by a '\n' (no term contains one). */
let arena: usize = 0;
let arenaLength: i32 = 0;
let arenaCapacity: i32 = 0;

let nTerms: i32 = 0;
let termCapacity: i32 = 0;
/**
 * Per term, 32 bytes: its first 8 bytes as a u64 (little-endian, zero beyond its length), its byte
 * length, its arena offset, the last document it occurred in, and its entry there.
 */
let termRecords: usize = 0;
const RECORD_KEY = 0;
const RECORD_LENGTH = 8;
const RECORD_OFFSET = 12;
const RECORD_LAST_DOC = 16;
const RECORD_ENTRY = 20;

// @ts-ignore: decorator
@inline function recordOf(id: i32): usize {
  return termRecords + (<usize>id << 5);
}
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

/** Bytes at and above this offset were never handed out: still the zeros of memory.grow. */
let untouched: usize = 0;

/**
 * A zero-filled block of `bytes`, 16-byte aligned. Only memory handed out before (freed blocks
 * reused) is cleared: clearing fresh memory would touch every page of every block, and on the
 * reference machine each first touch of a 4 KiB page costs 1.6 us (a presized array of entries
 * that a corpus fills halfway would cost twice what it needs).
 */
function allocate(bytes: usize): usize {
  const block = heap.alloc(bytes);
  if (block < untouched) memory.fill(block, 0, min(bytes, untouched - block));
  untouched = max(untouched, block + bytes);
  return block;
}

/** The largest block asked for: a 32-bit memory could not hold a larger one with the rest. */
const MAX_BLOCK: u64 = 0xc0000000;

/**
 * `count << shift` bytes, checked: aborts (as when the memory cannot grow) past {@link MAX_BLOCK},
 * where the size would wrap around 32 bits and allocate a block too small.
 */
function bytesOf(count: i32, shift: i32): usize {
  const bytes = <u64><u32>count << <u64>shift;
  if (count < 0 || bytes > MAX_BLOCK) abort();
  return <usize>bytes;
}

/** The first `capacity · 2^n` that is at least `needed`; aborts past 2^30 (doubling would wrap). */
function grownCapacity(capacity: i32, needed: i32): i32 {
  if (needed < 0 || needed > 1 << 30) abort();
  while (capacity < needed) capacity <<= 1;
  return capacity;
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
  bmpClass = allocate(0x10000);
  const capacity = grownCapacity(16, 2 * expectedTerms);
  slots = allocate(bytesOf(capacity, 3));
  slotMask = <u32>capacity - 1;
  termCapacity = max(expectedTerms, 16);
  termRecords = allocate(bytesOf(termCapacity, 5));
  docFreq = allocate(bytesOf(termCapacity, 2));
  totalCount = allocate(bytesOf(termCapacity, 3));
  arenaCapacity = max(8 * expectedTerms, 64);
  arena = allocate(bytesOf(arenaCapacity, 0) + 8);
  entryCapacity = max(expectedEntries, 16);
  entryIds = allocate(bytesOf(entryCapacity, 2));
  entryCounts = allocate(bytesOf(entryCapacity, 2));
  allocateText(1 << 16);
}

function allocateText(capacity: i32): void {
  textCapacity = capacity;
  text = allocate(bytesOf(capacity, 0) + TEXT_PADDING);
  bitmap = allocate((<usize>capacity + TEXT_PADDING) >> 3);
}

/** The text buffer with room for `bytes` bytes (moved when it grows: ask before every write). */
export function textBuffer(bytes: i32): usize {
  if (bytes > textCapacity) {
    heap.free(bitmap);
    heap.free(text);
    allocateText(grownCapacity(textCapacity, bytes));
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
  const hash = hashBytes(start, length);
  let slot = hash & slotMask;
  for (;;) {
    const s = slots + (<usize>slot << 3);
    const entry = load<i32>(s, 4);
    if (entry == 0) return insertAt(s, hash, key, start, length);
    if (load<u32>(s) == hash) {
      const r = recordOf(entry - 1);
      if (load<u64>(r, RECORD_KEY) == key && load<i32>(r, RECORD_LENGTH) == length) {
        if (length <= 8 || sameBytes(arena + <usize>load<i32>(r, RECORD_OFFSET) + 8, start + 8, length - 8)) return entry - 1;
      }
    }
    slot = (slot + 1) & slotMask;
  }
  return -1; // unreachable: the table is never full
}

function insertAt(s: usize, hash: u32, key: u64, start: usize, length: i32): i32 {
  const id = nTerms++;
  if (arenaLength + length + 1 > arenaCapacity) {
    const capacity = grownCapacity(arenaCapacity, arenaLength + length + 1);
    arena = grow(arena, <usize>arenaLength, bytesOf(capacity, 0) + 8);
    arenaCapacity = capacity;
  }
  memory.copy(arena + <usize>arenaLength, start, length);
  store<u8>(arena + <usize>(arenaLength + length), 0x0a);
  const r = recordOf(id);
  store<u64>(r, key, RECORD_KEY);
  store<i32>(r, length, RECORD_LENGTH);
  store<i32>(r, arenaLength, RECORD_OFFSET);
  store<i32>(r, -1, RECORD_LAST_DOC);
  arenaLength += length + 1;
  store<u32>(s, hash);
  store<i32>(s, id + 1, 4);
  if (nTerms * 2 > <i32>slotMask + 1) rehash();
  return id;
}

function rehash(): void {
  const oldSlots = slots;
  const oldCount = slotMask + 1;
  const capacity = oldCount * 2;
  slots = allocate(bytesOf(<i32>capacity, 3));
  slotMask = capacity - 1;
  for (let i: u32 = 0; i < oldCount; i++) {
    const o = oldSlots + (<usize>i << 3);
    if (load<i32>(o, 4) == 0) continue;
    let slot = load<u32>(o) & slotMask;
    while (load<i32>(slots + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & slotMask;
    store<u64>(slots + (<usize>slot << 3), load<u64>(o));
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
    const capacity = grownCapacity(termCapacity, nTerms + most);
    const old = <usize>termCapacity;
    termRecords = grow(termRecords, old << 5, bytesOf(capacity, 5));
    docFreq = grow(docFreq, old << 2, bytesOf(capacity, 2));
    totalCount = grow(totalCount, old << 3, bytesOf(capacity, 3));
    termCapacity = capacity;
  }
  if (nnz + most > entryCapacity) {
    const capacity = grownCapacity(entryCapacity, nnz + most);
    entryIds = grow(entryIds, <usize>nnz << 2, bytesOf(capacity, 2));
    entryCounts = grow(entryCounts, <usize>nnz << 2, bytesOf(capacity, 2));
    entryCapacity = capacity;
  }
}

/** Counts one occurrence of term `id` in document `d`: a new entry at its first occurrence. */
// @ts-ignore: decorator
@inline function countToken(id: i32, d: i32): void {
  const r = recordOf(id);
  if (load<i32>(r, RECORD_LAST_DOC) != d) {
    store<i32>(r, d, RECORD_LAST_DOC);
    store<i32>(r, nnz, RECORD_ENTRY);
    storeI32(entryIds, nnz, id);
    storeI32(entryCounts, nnz, 1);
    nnz++;
  } else {
    const at = entryCounts + (<usize>load<i32>(r, RECORD_ENTRY) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
}

/** The code point of the well-formed UTF-8 sequence at `p` (lead byte `c`), and its width in `decodedWidth`. */
let decodedWidth: i32 = 0;

// @ts-ignore: decorator
@inline function decodeAt(p: usize, c: u32): i32 {
  if (c < 0x80) {
    decodedWidth = 1;
    return <i32>c;
  }
  if (c < 0xe0) {
    decodedWidth = 2;
    return ((c & 0x1f) << 6) | (<i32>load<u8>(p, 1) & 0x3f);
  }
  if (c < 0xf0) {
    decodedWidth = 3;
    return ((c & 0x0f) << 12) | ((<i32>load<u8>(p, 1) & 0x3f) << 6) | (<i32>load<u8>(p, 2) & 0x3f);
  }
  decodedWidth = 4;
  return ((c & 0x07) << 18) | ((<i32>load<u8>(p, 1) & 0x3f) << 12) | ((<i32>load<u8>(p, 2) & 0x3f) << 6) | (<i32>load<u8>(p, 3) & 0x3f);
}

/** Whether the token of `length` bytes at `start` is made only of decimal digits (\p{Nd}). */
function allDecimalDigits(start: usize, length: i32): bool {
  const end = start + <usize>length;
  let p = start;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c < 0x80) {
      if (c - 0x30 > 9) return false;
      p++;
      continue;
    }
    if ((classOf(decodeAt(p, c)) & DIGIT) == 0) return false;
    p += <usize>decodedWidth;
  }
  return true;
}

/** Whether the token of `length` bytes at `start` has at least two code points. */
// @ts-ignore: decorator
@inline function twoCodePoints(start: usize, length: i32): bool {
  if (length < 2) return false;
  if (length > 4) return true;
  // Two to four bytes: one code point only when the first is a lead byte of that width.
  const c = <u32>load<u8>(start);
  return c < 0xc0 || (c < 0xe0 ? length > 2 : c < 0xf0 ? length > 3 : false);
}

/**
 * Marks in `word` (bit i: byte `block + i`) the bytes of the word code points that start in this
 * 64-byte block at the lead bytes `leads`; returns the bits of their bytes that fall in the next
 * block (a code point's continuation bytes after the block's end).
 */
function markNonAscii(block: usize, leads: u64): u64 {
  let carry: u64 = 0;
  let marks: u64 = 0;
  while (leads != 0) {
    const i = <i32>ctz(leads);
    leads &= leads - 1;
    const p = block + <usize>i;
    const codePoint = decodeAt(p, <u32>load<u8>(p));
    if ((classOf(codePoint) & WORD) == 0) continue;
    const bits: u64 = (<u64>1 << <u64>decodedWidth) - 1;
    marks |= bits << <u64>i;
    if (i + decodedWidth > 64) carry |= bits >> <u64>(64 - i);
  }
  markedWord = marks;
  return carry;
}

/** Second result of {@link markNonAscii}: the marks within the block. */
let markedWord: u64 = 0;

/**
 * Lowercases the ASCII letters of the `length` bytes in place, marks the bytes of their word code
 * points in the bitmap (ASCII word bytes [0-9_a-z] 16 at a time; a block with non-ASCII bytes also
 * has its code points classified one by one), then counts every run of marked bytes that holds at
 * least two code points.
 */
function countRuns(length: i32, skipBelow: i32, dropNumbers: bool, d: i32): void {
  const blocks = (length + 63) >> 6;
  const upperA = i8x16.splat(0x41);
  const lowerA = i8x16.splat(0x61);
  const zero = i8x16.splat(0x30);
  const letters = i8x16.splat(26);
  const digits = i8x16.splat(10);
  const underscore = i8x16.splat(0x5f);
  const caseBit = i8x16.splat(0x20);
  const topTwo = i8x16.splat(<i8>0xc0);
  const continuation = i8x16.splat(<i8>0x80);
  let carry: u64 = 0;
  for (let b = 0; b < blocks; b++) {
    const p = text + (<usize>b << 6);
    let word: u64 = carry;
    let high: u64 = 0;
    let follow: u64 = 0;
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
      high |= <u64>i8x16.bitmask(v) << (<u64>q << 4);
      follow |= <u64>i8x16.bitmask(i8x16.eq(v128.and(v, topTwo), continuation)) << (<u64>q << 4);
    }
    carry = 0;
    if (high != 0) {
      carry = markNonAscii(p, high & ~follow);
      word |= markedWord;
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
    const tokenStart = text + <usize>start;
    if (!twoCodePoints(tokenStart, tokenLength)) continue;
    if (dropNumbers && allDecimalDigits(tokenStart, tokenLength)) continue;
    const id = findOrInsert(tokenStart, tokenLength);
    if (id >= skipBelow) countToken(id, d);
  }
}

/**
 * Counts one document, the `length` bytes of UTF-8 text in the text buffer, lowercased by the
 * caller except (maybe) its ASCII letters, which are lowercased here. Every
 * token's term id (new terms added), skipping ids below `skipBelow` (the stop words, interned
 * first) and, with `dropNumbers`, tokens made only of decimal digits. Adds each term's count in the
 * document to its total count, and 1 to its document frequency. With `keepEntries`, keeps the
 * document's distinct terms as (id, count) entries in order of first occurrence. Returns the number
 * of entries kept so far.
 */
export function countText(length: i32, skipBelow: i32, dropNumbers: bool, keepEntries: bool): i32 {
  reserveFor(length);
  memory.fill(text + <usize>length, 0, TEXT_PADDING);
  const d = nDocs++;
  const first = nnz;
  countRuns(length, skipBelow, dropNumbers, d);
  for (let e = first; e < nnz; e++) {
    const id = loadI32(entryIds, e);
    storeI32(docFreq, id, loadI32(docFreq, id) + 1);
    const at = totalCount + (<usize>id << 3);
    store<f64>(at, load<f64>(at) + <f64>loadI32(entryCounts, e));
  }
  if (!keepEntries) nnz = first;
  return nnz;
}

// ---------------------------------------------------------------------------------------------
// After counting: the kept terms sorted by their bytes (VocabularyCounter.resolve with
// sortIdsByTerm), and the document-term matrix of the entries (vectorizer.ts buildSortedCsr).

/** The ids of the kept terms ({@link keepTerms}), then in vocabulary order ({@link sortKept}). */
let kept: usize = 0;
/** The kept terms' bytes in vocabulary order, each followed by '\n' ({@link writeKeptTerms}). */
let keptBytes: usize = 0;
let csrIndptr: usize = 0;
let cscStart: usize = 0;
let cscRowsOut: usize = 0;
let csrIndices: usize = 0;
let csrData: usize = 0;

/** A fresh block of `bytes` for the caller's arrays (valid until the instance is dropped). */
export function reserve(bytes: i32): usize {
  return allocate(bytesOf(bytes, 0));
}

/** Keeps the ids >= `first` whose document frequency is in [minCount, maxCount]; returns how many. */
export function keepTerms(first: i32, minCount: f64, maxCount: f64): i32 {
  kept = allocate(bytesOf(max(nTerms, 1), 2));
  let n = 0;
  for (let id = first; id < nTerms; id++) {
    const df = <f64>loadI32(docFreq, id);
    if (df >= minCount && df <= maxCount) storeI32(kept, n++, id);
  }
  return n;
}

/** The first 8 bytes of term `id` as a big-endian u64 (zero beyond its length): orders like the bytes. */
// @ts-ignore: decorator
@inline function sortKey(id: i32, length: i32): u64 {
  return bswap<u64>(load<u64>(recordOf(id), RECORD_KEY));
}

/** Byte length of term `id` (its arena offset to the next term's, less the separator). */
// @ts-ignore: decorator
@inline function termLength(id: i32): i32 {
  return load<i32>(recordOf(id), RECORD_LENGTH);
}

/** Whether term a sorts before term b, comparing their bytes from byte 8 on (the first 8 are equal). */
function tailBefore(a: i32, b: i32): bool {
  const la = termLength(a);
  const lb = termLength(b);
  const pa = arena + <usize>load<i32>(recordOf(a), RECORD_OFFSET);
  const pb = arena + <usize>load<i32>(recordOf(b), RECORD_OFFSET);
  const n = min(la, lb);
  for (let i = 8; i < n; i++) {
    const x = load<u8>(pa + <usize>i);
    const y = load<u8>(pb + <usize>i);
    if (x != y) return x < y;
  }
  return la < lb;
}

/**
 * Sorts the `n` kept ids by their terms' bytes, which is the vocabulary order (UTF-16 code units)
 * when no term has a code point above U+FFFF: returns false, sorting nothing, when one has (the
 * caller then sorts the strings). An LSD radix sort of (8-byte key, id) records by key, one byte
 * per pass (passes where every key has the same byte are skipped), then an insertion sort of each
 * run of equal keys by the rest of the bytes.
 */
export function sortKept(n: i32): bool {
  const records = allocate(bytesOf(n, 4));
  const spare = allocate(bytesOf(n, 4));
  for (let i = 0; i < n; i++) {
    const id = loadI32(kept, i);
    const length = termLength(id);
    const start = arena + <usize>load<i32>(recordOf(id), RECORD_OFFSET);
    for (let b = 0; b < length; b++) if (load<u8>(start + <usize>b) >= 0xf0) return false;
    const r = records + (<usize>i << 4);
    store<u64>(r, sortKey(id, length));
    store<i32>(r, id, 8);
  }
  radixSortRecords(records, spare, n);
  for (let i = 0; i < n; i++) storeI32(kept, i, load<i32>(records + (<usize>i << 4), 8));
  // Equal keys: terms of 8 bytes or more sharing their first 8 (no term holds a zero byte).
  for (let i = 1; i < n; i++) {
    const key = load<u64>(records + (<usize>i << 4));
    if (load<u64>(records + (<usize>(i - 1) << 4)) != key) continue;
    const id = loadI32(kept, i);
    let j = i;
    while (j > 0 && load<u64>(records + (<usize>(j - 1) << 4)) == key && tailBefore(id, loadI32(kept, j - 1))) {
      storeI32(kept, j, loadI32(kept, j - 1));
      j--;
    }
    storeI32(kept, j, id);
  }
  return true;
}

/**
 * Of the `n` kept ids in term order ({@link sortKept}), keeps the `maxFeatures` most frequent
 * (total count, or document frequency with `byDocuments`), ties by term, still in term order
 * (VocabularyCounter.resolve's maxFeatures rule); returns how many are kept. A stable LSD radix
 * sort of (frequency descending, position) records, one byte per pass, keeps the term order
 * within equal frequencies.
 */
export function keepMostFrequent(n: i32, maxFeatures: i32, byDocuments: bool): i32 {
  if (n <= maxFeatures) return n;
  const records = allocate(bytesOf(n, 4));
  const spare = allocate(bytesOf(n, 4));
  for (let i = 0; i < n; i++) {
    const id = loadI32(kept, i);
    const frequency: u64 = byDocuments ? <u64>loadI32(docFreq, id) : <u64>load<f64>(totalCount + (<usize>id << 3));
    const r = records + (<usize>i << 4);
    store<u64>(r, ~frequency); // ascending order of ~frequency: frequency descending
    store<i32>(r, i, 8);
  }
  radixSortRecords(records, spare, n);
  const chosen = allocate(<usize>n);
  for (let i = 0; i < maxFeatures; i++) store<u8>(chosen + <usize>load<i32>(records + (<usize>i << 4), 8), 1);
  let m = 0;
  for (let i = 0; i < n; i++) if (load<u8>(chosen + <usize>i) != 0) storeI32(kept, m++, loadI32(kept, i));
  return m;
}

/**
 * Sorts `n` 16-byte records (u64 key, then a payload) by key, stably: LSD radix, one byte per
 * pass, passes where every key has the same byte skipped. The result is in `records` (`spare` is
 * scratch of the same size; the two are swapped as needed and the sorted ones copied back).
 */
function radixSortRecords(records: usize, spare: usize, n: i32): void {
  const original = records;
  const counts = allocate(256 << 2);
  for (let shift: u64 = 0; shift < 64; shift += 8) {
    memory.fill(counts, 0, 256 << 2);
    for (let i = 0; i < n; i++) {
      const digit = <i32>((load<u64>(records + (<usize>i << 4)) >> shift) & 0xff);
      storeI32(counts, digit, loadI32(counts, digit) + 1);
    }
    if (n > 0 && loadI32(counts, <i32>((load<u64>(records) >> shift) & 0xff)) == n) continue;
    let sum = 0;
    for (let digit = 0; digit < 256; digit++) {
      const c = loadI32(counts, digit);
      storeI32(counts, digit, sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const r = records + (<usize>i << 4);
      const digit = <i32>((load<u64>(r) >> shift) & 0xff);
      const q = loadI32(counts, digit);
      storeI32(counts, digit, q + 1);
      memory.copy(spare + (<usize>q << 4), r, 16);
    }
    const swap = records;
    records = spare;
    spare = swap;
  }
  if (records != original) memory.copy(original, records, <usize>n << 4);
}

/** The kept ids, in vocabulary order after {@link sortKept}. */
export function keptIds(): usize {
  return kept;
}

/** Writes the `n` kept terms in order, each followed by '\n', and returns their byte length ({@link keptTermBytes}). */
export function writeKeptTerms(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; i++) total += termLength(loadI32(kept, i)) + 1;
  keptBytes = allocate(<usize>total);
  let at = keptBytes;
  for (let i = 0; i < n; i++) {
    const id = loadI32(kept, i);
    const length = termLength(id) + 1;
    memory.copy(at, arena + <usize>load<i32>(recordOf(id), RECORD_OFFSET), length);
    at += <usize>length;
  }
  return total;
}

export function keptTermBytes(): usize {
  return keptBytes;
}

/**
 * The CSR matrix (indptr i32, indices i32, data f64: the counts) of the entries of rows
 * [0, nRows), row r in [rowStart[r], rowStart[r + 1]), term id t in column columnOf[t] (-1:
 * dropped), with columnCounts[c] entries in column c: columns ascending within each row, by two
 * counting sorts (rows -> columns -> rows), as buildSortedCsr.
 */
export function buildCsr(nRows: i32, rowStart: usize, columnOf: usize, nCols: i32, columnCounts: usize): void {
  const colStart = allocate(bytesOf(nCols + 1, 2));
  for (let c = 0; c < nCols; c++) storeI32(colStart, c + 1, loadI32(colStart, c) + loadI32(columnCounts, c));
  const nnzKept = loadI32(colStart, nCols);
  const rowCount = allocate(bytesOf(nRows + 1, 2));
  const cscRows = allocate(bytesOf(max(nnzKept, 1), 2));
  const cscCounts = allocate(bytesOf(max(nnzKept, 1), 2));
  const next = allocate(bytesOf(max(nCols, 1), 2));
  memory.copy(next, colStart, <usize>nCols << 2);
  for (let r = 0; r < nRows; r++) {
    const end = loadI32(rowStart, r + 1);
    let inRow = 0;
    for (let e = loadI32(rowStart, r); e < end; e++) {
      const c = loadI32(columnOf, loadI32(entryIds, e));
      if (c >= 0) {
        const p = loadI32(next, c);
        storeI32(next, c, p + 1);
        storeI32(cscRows, p, r);
        storeI32(cscCounts, p, loadI32(entryCounts, e));
        inRow++;
      }
    }
    storeI32(rowCount, r + 1, inRow);
  }
  for (let r = 0; r < nRows; r++) storeI32(rowCount, r + 1, loadI32(rowCount, r + 1) + loadI32(rowCount, r));
  csrIndptr = rowCount;
  cscStart = colStart;
  cscRowsOut = cscRows;
  csrIndices = allocate(bytesOf(max(nnzKept, 1), 2));
  csrData = allocate(bytesOf(max(nnzKept, 1), 3));
  const rowNext = allocate(bytesOf(max(nRows, 1), 2));
  memory.copy(rowNext, rowCount, <usize>nRows << 2);
  for (let c = 0; c < nCols; c++) {
    const end = loadI32(colStart, c + 1);
    for (let p = loadI32(colStart, c); p < end; p++) {
      const r = loadI32(cscRows, p);
      const q = loadI32(rowNext, r);
      storeI32(rowNext, r, q + 1);
      storeI32(csrIndices, q, c);
      store<f64>(csrData + (<usize>q << 3), <f64>loadI32(cscCounts, p));
    }
  }
}

/**
 * Weights the counts of {@link buildCsr} in place, as applyWeightingInPlace (vectorizer.ts) does
 * without sublinear tf, with the same operations in the same order (so the same bits): w = count
 * (1 when `binary`), times idf[column] when `idf` is not 0; then each row divided by the square
 * root of its sum of squares (`norm` 2), or by its sum (`norm` 1: the values are positive), rows
 * summing to 0 left as they are; `norm` 0: none.
 */
export function weightCsr(nRows: i32, idf: usize, binary: bool, norm: i32): void {
  const nnz = loadI32(csrIndptr, nRows);
  for (let p = 0; p < nnz; p++) {
    const at = csrData + (<usize>p << 3);
    let w = binary ? 1.0 : load<f64>(at);
    if (idf != 0) w *= load<f64>(idf + (<usize>loadI32(csrIndices, p) << 3));
    store<f64>(at, w);
  }
  if (norm == 0) return;
  for (let r = 0; r < nRows; r++) {
    const start = loadI32(csrIndptr, r);
    const end = loadI32(csrIndptr, r + 1);
    let sum = 0.0;
    if (norm == 2) {
      for (let p = start; p < end; p++) {
        const w = load<f64>(csrData + (<usize>p << 3));
        sum += w * w;
      }
    } else {
      for (let p = start; p < end; p++) sum += Math.abs(load<f64>(csrData + (<usize>p << 3)));
    }
    if (sum == 0) continue;
    const divisor = norm == 2 ? Math.sqrt(sum) : sum;
    for (let p = start; p < end; p++) {
      const at = csrData + (<usize>p << 3);
      store<f64>(at, load<f64>(at) / divisor);
    }
  }
}

/** The arrays of {@link buildCsr}: the matrix, and the rows of each column (ascending). */
export function cscStartArray(): usize {
  return cscStart;
}

export function cscRowsArray(): usize {
  return cscRowsOut;
}

export function csrIndptrArray(): usize {
  return csrIndptr;
}

export function csrIndicesArray(): usize {
  return csrIndices;
}

export function csrDataArray(): usize {
  return csrData;
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
