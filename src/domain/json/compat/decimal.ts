/**
 * Exact divisibility of two JSON numbers as decimals, the way java.math.BigDecimal sees them
 * (`new BigDecimal(number.toString())`), without binary floating-point error: 10 is a multiple of
 * 0.5, 0.3 is a multiple of 0.1. Used for `multipleOf` where Confluent's released code would divide
 * by a truncated zero (see diff.ts).
 */

interface Decimal {
  /** |value| = digits × 10^-scale */
  readonly digits: bigint;
  readonly scale: number;
}

/** The decimal the shortest round-trip text of a finite number denotes (sign dropped). */
function toDecimal(x: number): Decimal | null {
  if (!Number.isFinite(x)) return null;
  const m = /^-?(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) return null;
  const frac = m.at(2) ?? '';
  const expText = m.at(3);
  const exp = expText === undefined ? 0 : Number(expText);
  // |exp| <= 324 for a double, so the powers of ten below stay a few hundred digits long.
  let scale = frac.length - exp;
  let digits = BigInt(m[1] + frac);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** True when `value` is an integral multiple of `divisor` (false for a zero or odd divisor). */
export function isDecimalMultiple(value: number, divisor: number): boolean {
  const v = toDecimal(value);
  const d = toDecimal(divisor);
  if (v === null || d === null || d.digits === 0n) return false;
  const scale = Math.max(v.scale, d.scale);
  const vi = v.digits * 10n ** BigInt(scale - v.scale);
  const di = d.digits * 10n ** BigInt(scale - d.scale);
  return vi % di === 0n;
}
