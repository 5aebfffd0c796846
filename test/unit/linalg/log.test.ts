/**
 * naturalLog (src/linalg/log.ts): within 1 ulp of Math.log across the whole range of doubles,
 * exact at the special values, and the same bits as its WebAssembly twin (assembly/log.ts), which
 * the KL sums of the kernels use.
 */
import { describe, expect, it } from "vitest";
import { naturalLog } from "../../../src/linalg/log.js";
import { createWasmHeap } from "../../../src/wasm/heap.js";
import { makeTestRandom } from "./helpers.js";

const VIEW = new Float64Array(1);
const BITS = new BigInt64Array(VIEW.buffer);

function bitsOf(x: number): bigint {
  VIEW[0] = x;
  return BITS[0];
}

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  const d = bitsOf(a) - bitsOf(b);
  return Number(d < 0n ? -d : d);
}

/** Arguments over every binade, near 1 (where ln x is small), near √2 (the reduction's cut) and subnormal. */
function samples(): number[] {
  const rand = makeTestRandom(2024);
  const out: number[] = [];
  for (let i = 0; i < 100_000; i++) out.push(Math.exp((rand() - 0.5) * 1416));
  for (let i = 0; i < 50_000; i++) out.push(1 + (rand() - 0.5) * 2 ** -(1 + Math.floor(rand() * 50)));
  for (let i = 0; i < 20_000; i++) out.push(Math.SQRT2 * (1 + (rand() - 0.5) * 1e-6) * 2 ** Math.floor((rand() - 0.5) * 60));
  for (let i = 0; i < 20_000; i++) out.push(rand() * 2.2250738585072014e-308);
  out.push(Number.MIN_VALUE, Number.MAX_VALUE, 2.2250738585072014e-308, 1, 2, 0.5, Math.E, Math.SQRT2, Math.SQRT1_2, 1e-12, 1e12);
  return out;
}

describe("naturalLog", () => {
  const xs = samples();

  it("is within 1 ulp of Math.log, and equal to it for most arguments", () => {
    let worst = 0;
    let differing = 0;
    for (const x of xs) {
      const u = ulps(naturalLog(x), Math.log(x));
      if (u > 0) differing++;
      if (u > worst) worst = u;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(differing / xs.length).toBeLessThan(0.1);
  });

  it("is exact where the logarithm is", () => {
    expect(naturalLog(1)).toBe(0);
    expect(naturalLog(2)).toBe(Math.LN2);
    expect(naturalLog(0.5)).toBe(-Math.LN2);
    expect(naturalLog(1024)).toBe(10 * Math.LN2);
    expect(naturalLog(0)).toBe(-Infinity);
    expect(naturalLog(-0)).toBe(-Infinity);
    expect(naturalLog(Infinity)).toBe(Infinity);
    expect(naturalLog(-1)).toBeNaN();
    expect(naturalLog(Number.NaN)).toBeNaN();
  });

  it("gives the same bits as its WebAssembly twin", () => {
    const heap = createWasmHeap(1);
    expect(heap).not.toBeNull();
    const wasmLog = heap!.kernels.naturalLog;
    let first = -1;
    for (let i = 0; i < xs.length && first < 0; i++) if (bitsOf(wasmLog(xs[i])) !== bitsOf(naturalLog(xs[i]))) first = i;
    expect(first, first >= 0 ? `ln ${xs[first]}: ${wasmLog(xs[first])} vs ${naturalLog(xs[first])}` : "").toBe(-1);
    for (const x of [0, -0, -1, Infinity, Number.NaN]) expect(Object.is(wasmLog(x), naturalLog(x))).toBe(true);
  });
});
