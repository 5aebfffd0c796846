/**
 * The project's only source of randomness: xoshiro256** (Blackman & Vigna, 2018) seeded by
 * splitmix64, as its authors recommend. The 64-bit state is kept in 32-bit halves so that
 * every step is plain integer arithmetic (no BigInt in the hot path); the same seed gives
 * the same stream on every machine.
 */
import type { ParallelExecutor, ParallelKernel } from "./executor.js";
import { naturalLog } from "./log.js";

/** A seeded stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits: `(x >>> 11) * 2^-53` of the next 64-bit output. */
  nextFloat(): number;
  /** Standard normal N(0, 1) by Marsaglia's polar method; the second value of each pair is cached. */
  nextNormal(): number;
  /** Uniform integer in [0, n) for an integer 1 <= n <= 2^32, as `floor(nextFloat() * n)` (bias < n / 2^53). */
  nextInt(n: number): number;
  /**
   * `out[i] = nextNormal()` for every i, in order: the same values and the same state afterwards
   * as the calls, at a fraction of their cost in a cold process. With `executor` (out must be
   * visible to its threads) the uniform draws may run as WebAssembly; the result is the same.
   */
  fillNormal(out: Float64Array, executor?: ParallelExecutor): void;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;
const MASK_64 = (1n << 64n) - 1n;

/**
 * Expands a seed into the four 64-bit words of the xoshiro256** state with splitmix64
 * (`z += 0x9e3779b97f4a7c15; z = (z ^ z>>30) * 0xbf58476d1ce4e5b9; z = (z ^ z>>27) * 0x94d049bb133111eb; z ^ z>>31`).
 */
function expandSeed(seed: number): Uint32Array {
  let z = BigInt(seed) & MASK_64;
  const state = new Uint32Array(8);
  for (let w = 0; w < 4; w++) {
    z = (z + 0x9e3779b97f4a7c15n) & MASK_64;
    let x = z;
    x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    x = x ^ (x >> 31n);
    state[2 * w] = Number(x >> 32n); // high half
    state[2 * w + 1] = Number(x & 0xffffffffn); // low half
  }
  return state;
}

/**
 * xoshiro256** with its four 64-bit words held as (high, low) int32 pairs (int32 fields stay
 * unboxed small integers in V8, which makes a step a few nanoseconds).
 */
class Xoshiro256StarStar implements Rng {
  private s0h: number; private s0l: number; private s1h: number; private s1l: number;
  private s2h: number; private s2l: number; private s3h: number; private s3l: number;
  private cachedNormal = 0;
  private haveCachedNormal = false;
  /** One (u, v) pair of the polar method, drawn by {@link polarPairsInto} for nextNormal. */
  private readonly pair = new Float64Array(2);

  constructor(state: Uint32Array) {
    this.s0h = state[0] | 0; this.s0l = state[1] | 0;
    this.s1h = state[2] | 0; this.s1l = state[3] | 0;
    this.s2h = state[4] | 0; this.s2l = state[5] | 0;
    this.s3h = state[6] | 0; this.s3l = state[7] | 0;
  }

  /** Advances the state and returns the top 53 bits of the 64-bit output as a double in [0, 2^53). */
  private next53(): number {
    const s1h = this.s1h;
    const s1l = this.s1l;
    // r = s1 * 5 = (s1 << 2) + s1
    let lo = (s1l << 2) + s1l;
    let hi = ((s1h << 2) | (s1l >>> 30)) + s1h + ((lo >>> 0) < (s1l >>> 0) ? 1 : 0);
    lo |= 0;
    hi |= 0;
    // r = rotl(r, 7)
    const rHi = (hi << 7) | (lo >>> 25);
    const rLo = (lo << 7) | (hi >>> 25);
    // out = r * 9 = (r << 3) + r
    const oLo = ((rLo << 3) + rLo) | 0;
    const oHi = (((rHi << 3) | (rLo >>> 29)) + rHi + ((oLo >>> 0) < (rLo >>> 0) ? 1 : 0)) | 0;

    // t = s1 << 17
    const tHi = (s1h << 17) | (s1l >>> 15);
    const tLo = s1l << 17;
    const s2h = this.s2h ^ this.s0h;
    const s2l = this.s2l ^ this.s0l;
    const s3h = this.s3h ^ s1h;
    const s3l = this.s3l ^ s1l;
    this.s1h = s1h ^ s2h;
    this.s1l = s1l ^ s2l;
    this.s0h = this.s0h ^ s3h;
    this.s0l = this.s0l ^ s3l;
    this.s2h = s2h ^ tHi;
    this.s2l = s2l ^ tLo;
    // s3 = rotl(s3, 45): swap the halves (rotate by 32), then rotate by 13.
    this.s3h = (s3l << 13) | (s3h >>> 19);
    this.s3l = (s3h << 13) | (s3l >>> 19);
    return (oHi >>> 0) * TWO_POW_21 + (oLo >>> 11);
  }

  nextFloat(): number {
    return this.next53() * TWO_POW_MINUS_53;
  }

  nextNormal(): number {
    if (this.haveCachedNormal) {
      this.haveCachedNormal = false;
      return this.cachedNormal;
    }
    const pair = this.pair;
    this.polarPairsInto(pair, 1);
    const u = pair[0];
    const v = pair[1];
    const s = u * u + v * v;
    const m = Math.sqrt((-2 * naturalLog(s)) / s);
    this.cachedNormal = v * m;
    this.haveCachedNormal = true;
    return u * m;
  }

  /**
   * {@link Rng.fillNormal}: the accepted (u, v) pairs of the polar method, scaled by
   * `sqrt(-2·ln(s) / s)` (as WebAssembly on `executor` when it has it), then, for an odd count,
   * one nextNormal (which caches its second value, as the calls would). The logarithm is
   * {@link naturalLog}, whose WebAssembly twin gives the same bits.
   */
  fillNormal(out: Float64Array, executor?: ParallelExecutor): void {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.haveCachedNormal) {
      this.haveCachedNormal = false;
      out[i++] = this.cachedNormal;
    }
    const pairs = (n - i) >> 1;
    if (pairs > 0) {
      const uv = out.subarray(i, i + 2 * pairs);
      if (executor !== undefined) {
        const state = executor.createInt32Array(8);
        this.writeState(state);
        executor.runChunks(polarPairsKernel, { state, out: uv, count: pairs }, 1, 0);
        this.readState(state);
      } else {
        this.polarPairsInto(uv, pairs);
        scalePolarPairs(uv, pairs);
      }
      i += 2 * pairs;
    }
    if (i < n) out[i] = this.nextNormal();
  }

  /**
   * `count` accepted pairs of nextNormal's polar method, unscaled, into out (u then v): the
   * JavaScript twin of assembly/init.ts polarPairs.
   */
  polarPairsInto(out: Float64Array, count: number): void {
    for (let p = 0; p < 2 * count; p += 2) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * this.nextFloat() - 1;
        v = 2 * this.nextFloat() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      out[p] = u;
      out[p + 1] = v;
    }
  }

  /** The state as four little-endian 64-bit words: `out[2w]` the low half of word w, `out[2w + 1]` the high. */
  writeState(out: Int32Array): void {
    out[0] = this.s0l; out[1] = this.s0h; out[2] = this.s1l; out[3] = this.s1h;
    out[4] = this.s2l; out[5] = this.s2h; out[6] = this.s3l; out[7] = this.s3h;
  }

  /** Sets the state written by {@link writeState} (and advanced since). */
  readState(state: Int32Array): void {
    this.s0l = state[0] | 0; this.s0h = state[1] | 0; this.s1l = state[2] | 0; this.s1h = state[3] | 0;
    this.s2l = state[4] | 0; this.s2h = state[5] | 0; this.s3l = state[6] | 0; this.s3h = state[7] | 0;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`nextInt needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    return Math.floor(this.nextFloat() * n);
  }
}

/**
 * `(u, v) <- (u·m, v·m)` with `m = sqrt(-2·ln(s) / s)`, `s = u² + v²`, for each accepted pair of
 * `uv` (nextNormal's last step; s is recomputed with the same operations, so it has the same bits).
 */
function scalePolarPairs(uv: Float64Array, pairs: number): void {
  for (let p = 0; p < 2 * pairs; p += 2) {
    const u = uv[p];
    const v = uv[p + 1];
    const s = u * u + v * v;
    const m = Math.sqrt((-2 * naturalLog(s)) / s);
    uv[p] = u * m;
    uv[p + 1] = v * m;
  }
}

/** Task of {@link polarPairsKernel}: `count` scaled pairs into `out` from the generator state `state` (8 int32, updated). */
export interface PolarPairsTask {
  state: Int32Array;
  out: Float64Array;
  count: number;
}

/**
 * Chunk 0 (the only one) draws and scales the task's pairs: as WebAssembly (assembly/init.ts
 * polarPairs) when the executor passes its kernels, else with a generator set to the task's state.
 */
export const polarPairsKernel: ParallelKernel<PolarPairsTask> = {
  name: "linalg.polarPairs",
  run(task, _chunk, native) {
    if (native !== null) {
      native.polarPairs(task.state.byteOffset, task.out.byteOffset, task.count);
      return;
    }
    const generator = new Xoshiro256StarStar(new Uint32Array(8));
    generator.readState(task.state);
    generator.polarPairsInto(task.out, task.count);
    generator.writeState(task.state);
    scalePolarPairs(task.out, task.count);
  },
};

/**
 * Creates the seeded generator.
 *
 * @param seed a non-negative safe integer (other values are rejected: the CLI validates `--seed`).
 * @returns an {@link Rng}; the same seed always gives the same sequence.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
  return new Xoshiro256StarStar(expandSeed(seed));
}
