/** JSON equality for const/enum/uniqueItems: numbers by value (1 == 1.0), objects by key set. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aa = Array.isArray(a);
  if (aa !== Array.isArray(b)) return false;
  if (aa) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) {
    if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  return true;
}

/** Length in Unicode code points (JSON Schema counts characters, not UTF-16 units). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** `value` is a multiple of `divisor`, exact for decimal literals (0.0075 is a multiple of 0.0001). */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (Number.isInteger(value) && Number.isInteger(divisor)) return value % divisor === 0;
  const q = value / divisor;
  if (!Number.isFinite(q)) return false;
  if (Number.isInteger(q)) return true;
  // scale both to integers by the number of decimals of the longer literal
  const dec = Math.max(decimals(value), decimals(divisor));
  if (dec > 20) return Math.abs(q - Math.round(q)) < 1e-9;
  const f = 10 ** dec;
  const a = Math.round(value * f);
  const b = Math.round(divisor * f);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b === 0) return Math.abs(q - Math.round(q)) < 1e-9;
  return a % b === 0;
}

function decimals(x: number): number {
  const s = String(x);
  const e = s.indexOf('e');
  if (e >= 0) {
    const exp = Number(s.slice(e + 1));
    const mant = s.slice(0, e);
    const dot = mant.indexOf('.');
    const frac = dot < 0 ? 0 : mant.length - dot - 1;
    return Math.max(0, frac - exp);
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
