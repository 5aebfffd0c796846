import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/linalg/random.js";

const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

/** Straightforward BigInt xoshiro256** (the oracle). */
function referenceXoshiro(state: bigint[]): () => bigint {
  const s = state.slice();
  return () => {
    const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s[1] << 17n) & MASK;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  };
}

/** splitmix64 outputs from a seed (the oracle of the seeding). */
function referenceSplitmix(seed: bigint, count: number): bigint[] {
  let x = seed;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

describe("reference generators (check the oracles themselves)", () => {
  it("splitmix64(0) gives the published first outputs", () => {
    expect(referenceSplitmix(0n, 3)).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  });
  it("xoshiro256** from state {1, 2, 3, 4} gives the published first outputs", () => {
    const next = referenceXoshiro([1n, 2n, 3n, 4n]);
    expect([next(), next(), next(), next()]).toEqual([11520n, 0n, 1509978240n, 1215971899390074240n]);
  });
});

describe("createRng", () => {
  it.each([0, 1, 42, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER])(
    "nextFloat equals (xoshiro256** output >> 11) * 2^-53 for seed %s",
    (seed) => {
      const ref = referenceXoshiro(referenceSplitmix(BigInt(seed), 4));
      const rng = createRng(seed);
      for (let i = 0; i < 2000; i++) {
        const expected = Number(ref() >> 11n) / 2 ** 53;
        expect(rng.nextFloat()).toBe(expected);
      }
    },
  );

  it("same seed gives the same stream; another seed another one", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 100 }, () => a.nextNormal());
    const ys = Array.from({ length: 100 }, () => b.nextNormal());
    const zs = Array.from({ length: 100 }, () => c.nextNormal());
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
  });

  it.each([0, 1, 2, 9, 1000])("fillNormal of %i values equals as many nextNormal calls, with or without a cached value", (n) => {
    for (const cachedFirst of [false, true]) {
      const a = createRng(31);
      const b = createRng(31);
      if (cachedFirst) expect(a.nextNormal()).toBe(b.nextNormal()); // the pair's second value is now cached
      const filled = new Float64Array(n);
      a.fillNormal(filled);
      const called = Float64Array.from({ length: n }, () => b.nextNormal());
      expect(Array.from(filled)).toEqual(Array.from(called));
      // Same state afterwards, including a cached value left by an odd count.
      expect([a.nextNormal(), a.nextNormal(), a.nextFloat()]).toEqual([b.nextNormal(), b.nextNormal(), b.nextFloat()]);
    }
  });

  it("nextNormal has mean 0 and variance 1 (1e5 draws, 5-sigma bounds)", () => {
    const rng = createRng(123);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.nextNormal();
      s += v;
      s2 += v * v;
      s4 += v ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.15); // kurtosis of a normal
  });

  it("nextFloat stays in [0, 1) and nextInt(n) covers 0..n-1 uniformly", () => {
    const rng = createRng(5);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      counts[rng.nextInt(7)]++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
  });

  it("rejects seeds that are not non-negative safe integers", () => {
    expect(() => createRng(-1)).toThrow(RangeError);
    expect(() => createRng(1.5)).toThrow(RangeError);
  });
});
