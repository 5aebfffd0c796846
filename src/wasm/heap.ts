/**
 * The WebAssembly side of the executor: the compiled kernels (dist/wasm/kernels.wasm, built from
 * assembly/kernels.ts by `npm run build`) and a shared WebAssembly memory from which an executor
 * allocates every array its kernels touch, so that the kernels can read them in place (a pointer
 * is `array.byteOffset`). Threads instantiate the same module on the same memory, each with its
 * own scratch area.
 *
 * Allocation is a bump pointer, 64-byte aligned, released in bulk by {@link WasmHeap.scope}: a fit
 * allocates as it goes and gives everything back when it returns. The memory grows on demand up
 * to 4 GiB (wasm32); past that, or where WebAssembly SIMD is missing, allocation returns null and
 * the executor falls back to ordinary shared arrays and the JavaScript kernels (the same bits,
 * slower). `NMF_TOPICS_WASM=0` turns the kernels off (to compare speeds).
 */
import { readFileSync } from "node:fs";
import type { NativeKernels } from "../linalg/native.js";

/**
 * Bytes of scratch per thread: HALS needs 4k·8 (k <= 2048), multiplyBySmall 8 per output column,
 * the Newton sweep 12 per (entry, topic) pair of a row plus 12k, or with a dense other factor
 * (k + 1)·8 per entry of a row. Longer rows run in JavaScript; with 1 MiB that is none of BBC's
 * (the dense block of its most frequent terms, 2,100 documents, needs 100 KB for k = 5).
 */
export const SCRATCH_BYTES = 1024 * 1024;
const PAGE = 65536;
const MAX_PAGES = 65536;
const ALIGN = 64;
/**
 * Bytes kept readable after the last array: a kernel's last 128-bit lane may read one value past
 * the end of a matrix into an output it never stores (see assembly/kernels.ts gatherLanes).
 */
const TAIL = 16;

/** A compiled module next to this file once built (dist/wasm/NAME); from src/ under vitest, the built one. */
export function wasmFileUrl(fileName: string): URL {
  return import.meta.url.endsWith(".ts")
    ? new URL(`../../dist/wasm/${fileName}`, import.meta.url)
    : new URL(`./${fileName}`, import.meta.url);
}

/** False when `NMF_TOPICS_WASM=0` turns every WebAssembly path off (to compare speeds and results). */
export function wasmAllowed(): boolean {
  return process.env.NMF_TOPICS_WASM !== "0";
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The kernels' compiled module, or null when it is missing, when this runtime lacks WebAssembly
 * SIMD or shared memory, or when `NMF_TOPICS_WASM=0`. Compiled once per thread.
 */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (wasmAllowed() && typeof SharedArrayBuffer === "function") {
      try {
        compiled = new WebAssembly.Module(readFileSync(wasmFileUrl("kernels.wasm")));
      } catch {
        compiled = null;
      }
    }
  }
  return compiled;
}

/** Instantiates the kernels on `memory` for one thread whose scratch starts at byte `scratch`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory, scratch: number): NativeKernels {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<NativeKernels, "scratch" | "scratchBytes">;
  return {
    scratch,
    scratchBytes: SCRATCH_BYTES,
    csrTimesDenseRows: exports.csrTimesDenseRows,
    halsSweepRows: exports.halsSweepRows,
    gramUpperRows: exports.gramUpperRows,
    multiplyBySmallRows: exports.multiplyBySmallRows,
    newtonSweepRows: exports.newtonSweepRows,
    newtonSweepRowsDense: exports.newtonSweepRowsDense,
    objectivePartsRows: exports.objectivePartsRows,
    klSums: exports.klSums,
    naturalLog: exports.naturalLog,
    termLayout: exports.termLayout,
    polarPairs: exports.polarPairs,
    flipSigns: exports.flipSigns,
    nndsvdFactors: exports.nndsvdFactors,
    topicSums: exports.topicSums,
    permuteTopicFactors: exports.permuteTopicFactors,
    svdTall: exports.svdTall,
  };
}

/** A shared WebAssembly memory with a bump allocator, and the calling thread's kernels on it. */
export interface WasmHeap {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** The calling thread's kernels (scratch slot 0). */
  readonly kernels: NativeKernels;
  /** Byte offset of thread slot `i`'s scratch (slot 0: the calling thread). */
  scratchOf(slot: number): number;
  /** A zero-filled array in the memory, or null when the memory cannot grow enough. */
  allocFloat64(length: number): Float64Array | null;
  allocInt32(length: number): Int32Array | null;
  /** Whether `array` is a view of this memory (so kernels can take its byteOffset). */
  owns(array: ArrayBufferView): boolean;
  /** Runs `body`; everything allocated during it is released when it returns. */
  scope<R>(body: () => R): R;
}

/**
 * A heap with scratch for `threads` threads, or null when the kernels are unavailable (see
 * {@link kernelModule}) or the memory cannot be created.
 */
export function createWasmHeap(threads: number): WasmHeap | null {
  const module = kernelModule();
  if (module === null) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
  // Every SharedArrayBuffer object the memory has handed out (a new one after each growth).
  const buffers = new Set<ArrayBufferLike>();
  let top = ALIGN; // offset 0 stays unused: no array starts at the null pointer
  let highWater = top; // bytes at and above it were never handed out: still zero
  const alloc = (bytes: number): number | null => {
    const start = Math.ceil(top / ALIGN) * ALIGN;
    const end = start + bytes;
    const size = memory.buffer.byteLength;
    if (end + TAIL > size) {
      const pages = size / PAGE;
      const needed = Math.ceil((end + TAIL - size) / PAGE);
      // Grow by at least half again, so that a fit's many allocations grow the memory rarely.
      const wanted = Math.min(MAX_PAGES - pages, Math.max(needed, pages >> 1));
      if (needed > wanted) return null;
      try {
        memory.grow(wanted);
      } catch {
        try {
          memory.grow(needed);
        } catch {
          return null;
        }
      }
    }
    top = end;
    return start;
  };
  const view = <A extends Float64Array | Int32Array>(make: (buffer: ArrayBufferLike, offset: number) => A, bytes: number): A | null => {
    const offset = alloc(bytes);
    if (offset === null) return null;
    const buffer = memory.buffer;
    buffers.add(buffer);
    const array = make(buffer, offset);
    // Released memory is reused: clear what an earlier array may have written.
    if (offset < highWater) array.fill(0, 0, Math.ceil((Math.min(highWater, offset + bytes) - offset) / array.BYTES_PER_ELEMENT));
    highWater = Math.max(highWater, offset + bytes);
    return array;
  };
  const scratchBase = alloc(threads * SCRATCH_BYTES);
  if (scratchBase === null) return null;
  const scratchOf = (slot: number): number => scratchBase + slot * SCRATCH_BYTES;
  return {
    module,
    memory,
    kernels: instantiateKernels(module, memory, scratchOf(0)),
    scratchOf,
    allocFloat64: (length) => view((b, o) => new Float64Array(b, o, length), length * 8),
    allocInt32: (length) => view((b, o) => new Int32Array(b, o, length), length * 4),
    owns: (array) => buffers.has(array.buffer),
    scope<R>(body: () => R): R {
      const mark = top;
      try {
        return body();
      } finally {
        top = mark;
      }
    },
  };
}
