// The natural logarithm of the KL sums: the twin of src/linalg/log.ts naturalLog (the method is
// described there), the same operations in the same order, so the same bits in WebAssembly and
// in JavaScript. The exponent and the mantissa come from the bits here, where JavaScript scales
// by a power of two: both give the same exact m.

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const MIN_NORMAL: f64 = 2.2250738585072014e-308;
const TWO54: f64 = 18014398509481984;
const SQRT2: f64 = 1.4142135623730951;

/** ln x: NaN for x < 0 or NaN, -Infinity for ±0, Infinity for Infinity. */
// @ts-ignore: decorator
@inline export function naturalLog(x: f64): f64 {
  if (!(x > 0) || x == Infinity) return x == 0 ? -Infinity : x == Infinity ? Infinity : NaN;
  let e: i32 = -1023;
  if (x < MIN_NORMAL) {
    x *= TWO54;
    e -= 54;
  }
  const bits = reinterpret<u64>(x);
  e += <i32>(bits >> 52);
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const p: f64 =
    1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13 + z * (1.0 / 15 + z * (1.0 / 17 + z * (1.0 / 19))))))));
  const ef = <f64>e;
  return ef * LN2_HI + (ef * LN2_LO + (f - s * (f - (z + z) * p)));
}

/** Floor of W·H before the logarithm (KL_FLOOR of src/nmf/objective.ts). */
export const KL_FLOOR: f64 = 1e-12;
