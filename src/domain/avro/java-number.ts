/**
 * java.lang.Double.toString / Float.toString formatting, needed because Jackson prints
 * DoubleNode/FloatNode values with them and Confluent's canonical string is Jackson output.
 * Digits are the shortest that round-trip (JDK 19+ Double.toString, Raffaello Giulietti's
 * algorithm; JS Number#toExponential() gives the same shortest digits). Layout follows the
 * Java spec: plain notation when 1e-3 <= |v| < 1e7 (always at least one fractional digit),
 * otherwise "computerized scientific notation" d.dddE[-]n.
 */

function layout(negative: boolean, digits: string, exp: number): string {
  // value = 0.d1d2d3... * 10^(exp+1), i.e. d1.d2d3... * 10^exp
  const sign = negative ? '-' : '';
  if (exp >= -3 && exp < 7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${frac}E${exp}`;
}

function split(expForm: string): { digits: string; exp: number } {
  // expForm like "1.2345e+21" or "5e-324"
  const [mant, e] = expForm.split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
}

export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const { digits, exp } = split(Math.abs(v).toExponential());
  return layout(v < 0, digits, exp);
}

/** Float.toString of the float nearest to v: shortest digits that identify that float. */
export function javaFloatToString(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const a = Math.abs(f);
  let text = a.toExponential(8);
  for (let p = 0; p <= 8; p++) {
    const candidate = a.toExponential(p);
    if (Math.fround(Number(candidate)) === a) {
      text = candidate;
      break;
    }
  }
  const { digits, exp } = split(text);
  return layout(f < 0, digits, exp);
}

/**
 * java.lang.Double.parseDouble for the textual float/double defaults Avro converts
 * (Schema.parse: `new DoubleNode(Double.valueOf(text))`). Accepts what Java accepts in practice:
 * surrounding whitespace, a sign, NaN/Infinity, decimal literals with optional exponent and an
 * optional f/F/d/D suffix. Hexadecimal floating literals are not supported (rejected).
 */
export function parseJavaDouble(text: string): number {
  const t = text.trim();
  if (t === '') throw new Error(text === '' ? 'empty String' : `For input string: "${text}"`);
  const m = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(t);
  if (!m || (m[2] === 'NaN' || m[2] === 'Infinity' ? t.length !== m[1].length + m[2].length : false)) {
    throw new Error(`For input string: "${text}"`);
  }
  if (m[2] === 'NaN') return NaN;
  const v = m[2] === 'Infinity' ? Infinity : Number(m[2]);
  return m[1] === '-' ? -v : v;
}
