/**
 * The natural logarithm of the KL objective's sums, written with basic IEEE-754 operations only
 * (no Math.log), so that assembly/log.ts computes the same bits in WebAssembly: the KL sums then
 * run inside the kernels, where Math.log would cost a call out of WebAssembly per entry. Within
 * 1 ulp of Math.log (test/unit/linalg/log.test.ts measures it).
 *
 * Method: x = 2^e·m with m in [√2/2, √2], f = m - 1 (exact), s = f / (2 + f), so that
 * ln m = ln((1 + s) / (1 - s)) = 2s·(1 + s²/3 + s⁴/5 + ...); with |s| <= 0.1716 the series stops
 * at s¹⁸/19 (the next term is below 2^-55 of the sum). As 2s = f - s·f exactly, ln m is summed
 * as f - s·(f - 2s²·p) with p = 1/3 + s²/5 + ..., so that the rounding of s only touches the
 * smaller term. Then ln x = e·ln 2 + ln m, with ln 2 cut in two so that e·LN2_HI is exact.
 */

/** ln 2 with its last 21 mantissa bits cleared: e·LN2_HI is exact for every exponent e. */
const LN2_HI = 0.6931471803691238;
/** ln 2 - LN2_HI. */
const LN2_LO = 1.9082149292705877e-10;
/** Below it, x is subnormal and is scaled by 2^54 first. */
const MIN_NORMAL = 2.2250738585072014e-308;
const TWO54 = 18014398509481984;

const VIEW = new Float64Array(1);
const WORDS = new Uint32Array(VIEW.buffer);
/** Index of the word holding the sign, the exponent and the high mantissa bits. */
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;
/**
 * POWERS[1100 + n] = 2^n: x·2^(1023 - biased exponent), read at 2123 - biased, is x's mantissa in
 * [1, 2), exactly (faster than writing the exponent bits).
 */
const POWERS = Float64Array.from({ length: 2200 }, (_, i) => 2 ** (i - 1100));

/** ln x: NaN for x < 0 or NaN, -Infinity for ±0, Infinity for Infinity. */
export function naturalLog(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? Infinity : Number.NaN;
  let e = -1023;
  if (x < MIN_NORMAL) {
    x *= TWO54;
    e -= 54;
  }
  VIEW[0] = x;
  const biased = WORDS[HIGH] >>> 20;
  let m = x * POWERS[2123 - biased];
  e += biased;
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const p =
    1 / 3 + z * (1 / 5 + z * (1 / 7 + z * (1 / 9 + z * (1 / 11 + z * (1 / 13 + z * (1 / 15 + z * (1 / 17 + z * (1 / 19))))))));
  return e * LN2_HI + (e * LN2_LO + (f - s * (f - (z + z) * p)));
}
