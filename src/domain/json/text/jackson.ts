/**
 * Serialize a tree the way Confluent's JsonSchema.canonicalString() does: Jackson's
 * `writeValueAsString(jsonNode)` with the mapper from io.confluent...json.jackson.Jackson
 * (compact, key order kept; USE_BIG_DECIMAL_FOR_FLOATS with exact BigDecimals, so a float is printed
 * by BigDecimal.toString(): "1.50" stays "1.50", "1e3" becomes "1E+3"; integers print plainly, "-0"
 * becomes "0"). normalize() re-reads that string with a TreeMap node factory: keys sorted by
 * String.compareTo (UTF-16 code units), which is what `sorted` does here.
 */
import type { JNode } from './ast';

export function jacksonString(n: JNode, sorted = false): string {
  const out: string[] = [];
  write(n, sorted, out);
  return out.join('');
}

function write(n: JNode, sorted: boolean, out: string[]): void {
  switch (n.t) {
    case 'obj': {
      out.push('{');
      const entries = [...n.entries];
      if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      entries.forEach(([k, v], i) => {
        if (i > 0) out.push(',');
        out.push(jacksonQuote(k), ':');
        write(v, sorted, out);
      });
      out.push('}');
      return;
    }
    case 'arr':
      out.push('[');
      n.items.forEach((v, i) => {
        if (i > 0) out.push(',');
        write(v, sorted, out);
      });
      out.push(']');
      return;
    case 'str':
      out.push(jacksonQuote(n.v));
      return;
    case 'num':
      out.push(n.int ? integerText(n.raw) : bigDecimalText(n.raw));
      return;
    case 'bool':
      out.push(n.v ? 'true' : 'false');
      return;
    case 'null':
      out.push('null');
  }
}

const HEX = '0123456789ABCDEF';

/** Jackson's string escaping: ", \\ and the short escapes; other C0 controls as \u00XX (upper-case hex). */
export function jacksonQuote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 34) esc = '\\"';
    else if (c === 92) esc = '\\\\';
    else if (c < 0x20) {
      esc = c === 8 ? '\\b' : c === 9 ? '\\t' : c === 10 ? '\\n' : c === 12 ? '\\f' : c === 13 ? '\\r' : '\\u00' + HEX[c >> 4] + HEX[c & 15];
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // a lone surrogate cannot be written as UTF-8: escape it (Jackson would fail to encode it)
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      const prev = s.charCodeAt(i - 1);
      if (c >= 0xdc00 && prev >= 0xd800 && prev <= 0xdbff) continue;
      esc = '\\u' + c.toString(16).toUpperCase();
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** Jackson reads integers into Int/Long/BigInteger nodes: printed as plain digits, so "-0" is "0". */
function integerText(raw: string): string {
  return raw === '-0' ? '0' : raw;
}

/** java.math.BigDecimal(String).toString() for a JSON float literal. */
export function bigDecimalText(raw: string): string {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(raw);
  if (!m) return raw;
  const frac = m.at(3) ?? '';
  const expText = m.at(4);
  const exp = expText === undefined ? 0 : parseInt(expText, 10);
  let coeff = (m[2] + frac).replace(/^0+/, '');
  if (coeff === '') coeff = '0';
  const negative = m[1] === '-' && coeff !== '0';
  const scale = frac.length - exp;
  const adjusted = -scale + (coeff.length - 1);
  let body: string;
  if (scale === 0) body = coeff;
  else if (scale > 0 && adjusted >= -6) {
    const pad = scale - coeff.length;
    body = pad >= 0 ? '0.' + '0'.repeat(pad) + coeff : coeff.slice(0, coeff.length - scale) + '.' + coeff.slice(coeff.length - scale);
  } else {
    body = coeff[0] + (coeff.length > 1 ? '.' + coeff.slice(1) : '');
    if (adjusted !== 0) body += `E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }
  return (negative ? '-' : '') + body;
}
