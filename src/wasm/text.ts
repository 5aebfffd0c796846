/**
 * The text module (dist/wasm/text.wasm, built from assembly/text.ts): the default analyzer's
 * counting loop, used by src/text/wasm-counter.ts. Unlike the kernels it has its own memory, not
 * shared: one instance counts one corpus on one thread and is dropped with its memory.
 */
import { readFileSync } from "node:fs";
import { wasmAllowed, wasmFileUrl } from "./heap.js";

/** The module's exports (pointers are byte offsets into `memory`; see assembly/text.ts). */
export interface TextExports {
  memory: WebAssembly.Memory;
  init(expectedTerms: number, expectedEntries: number): void;
  textBuffer(bytes: number): number;
  internText(length: number): number;
  countText(length: number, skipBelow: number, dropNumbers: number, keepEntries: number): number;
  termCount(): number;
  termArena(): number;
  termBytes(): number;
  documentFrequencies(): number;
  totalCounts(): number;
  entryTermIds(): number;
  entryTermCounts(): number;
  reserve(bytes: number): number;
  keepTerms(first: number, minCount: number, maxCount: number): number;
  sortKept(n: number): number;
  keepMostFrequent(n: number, maxFeatures: number, byDocuments: number): number;
  keptIds(): number;
  writeKeptTerms(n: number): number;
  keptTermBytes(): number;
  buildCsr(nRows: number, rowStart: number, columnOf: number, nCols: number, columnCounts: number): void;
  csrIndptrArray(): number;
  csrIndicesArray(): number;
  csrDataArray(): number;
  cscStartArray(): number;
  weightCsr(nRows: number, idf: number, binary: number, norm: number): void;
  cscRowsArray(): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when it is missing, not valid here, or `NMF_TOPICS_WASM=0`. Compiled once per thread. */
function textModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (wasmAllowed()) {
      try {
        compiled = new WebAssembly.Module(readFileSync(wasmFileUrl("text.wasm")));
      } catch {
        compiled = null;
      }
    }
  }
  return compiled;
}

/** Whether {@link instantiateTextModule} can be called. */
export function textModuleAvailable(): boolean {
  return textModule() !== null;
}

/**
 * A fresh instance with its own memory. `classify` gives the class bits of a non-ASCII code point;
 * `abort` is called when the memory cannot grow.
 */
export function instantiateTextModule(classify: (codePoint: number) => number, abort: () => never): TextExports {
  const module = textModule();
  if (module === null) throw new Error("the WebAssembly text module is not available");
  return new WebAssembly.Instance(module, { env: { classify, abort } }).exports as unknown as TextExports;
}
