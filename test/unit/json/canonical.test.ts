import { describe, expect, it } from 'vitest';
import { parseJsonSchema } from '../../../src/domain/json/parse';
import { bigDecimalText, jacksonQuote } from '../../../src/domain/json/text/jackson';
import { parseJsonText } from '../../../src/domain/json/text/parse';

const LIMITS = { maxChars: 1000, maxDepth: 5 };

describe('canonical string = Confluent JsonSchema.canonicalString() (Jackson, key order kept)', () => {
  it.each([
    [
      'whitespace removed, order kept',
      '{ "type" : "object",\n "properties": { "b": {}, "a": {} } }',
      '{"type":"object","properties":{"b":{},"a":{}}}',
    ],
    ['integer-like keys keep their place (JSON.parse would move them first)', '{"b":1,"1":2}', '{"b":1,"1":2}'],
    ['floats keep trailing zeros (exact BigDecimal)', '{"minimum":1.50}', '{"minimum":1.50}'],
    ['exponent written as BigDecimal.toString', '{"maximum":1e3}', '{"maximum":1E+3}'],
    ['small float in scientific notation', '{"minimum":0.0000001}', '{"minimum":1E-7}'],
    ['-0 integer becomes 0', '{"const":-0}', '{"const":0}'],
    ['control characters as upper-case \\u escapes', '{"title":"a\\u001fb"}', '{"title":"a\\u001Fb"}'],
    ['slash unescaped', '{"$id":"http:\\/\\/x"}', '{"$id":"http://x"}'],
    ['unicode kept raw', '{"title":"é\\u00e9"}', '{"title":"éé"}'],
    ['duplicate key: last value at first position', '{"type":"string","title":"t","type":"integer"}', '{"type":"integer","title":"t"}'],
    ['boolean schema', 'true', 'true'],
  ])('%s', (_name, text, canonical) => {
    expect(parseJsonSchema(text, []).canonical).toBe(canonical);
  });
});

describe('normalized() = Confluent normalize(): canonical re-read with sorted keys', () => {
  it.each([
    [
      'keys sorted recursively',
      '{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer","description":"x"}}}',
      '{"properties":{"a":{"description":"x","type":"integer"},"b":{"type":"string"}},"type":"object"}',
    ],
    ['arrays keep their order', '{"enum":["b","a"],"required":["z","y"]}', '{"enum":["b","a"],"required":["z","y"]}'],
    ['code-unit order: upper case before lower case, $ first', '{"b":1,"B":2,"$id":"x","_":3}', '{"$id":"x","B":2,"_":3,"b":1}'],
    ['numbers as in canonical', '{"multipleOf":0.10}', '{"multipleOf":0.10}'],
  ])('%s', (_name, text, normalized) => {
    expect(parseJsonSchema(text, []).normalized()).toBe(normalized);
  });

  it('two spellings that differ only in key order normalize equal but keep distinct canonical strings', () => {
    const a = parseJsonSchema('{"type":"string","maxLength":3}', []);
    const b = parseJsonSchema('{"maxLength":3,"type":"string"}', []);
    expect(a.canonical).not.toBe(b.canonical);
    expect(a.normalized()).toBe(b.normalized());
  });
});

describe('BigDecimal.toString of JSON float literals', () => {
  it.each([
    ['1.0', '1.0'],
    ['1.50', '1.50'],
    ['0.1', '0.1'],
    ['-2.5', '-2.5'],
    ['1e3', '1E+3'],
    ['1.5e3', '1.5E+3'],
    ['12e1', '1.2E+2'],
    ['1E0', '1'],
    ['0.1e1', '1'],
    ['123e-2', '1.23'],
    ['0.000001', '0.000001'],
    ['0.0000001', '1E-7'],
    ['0.00', '0.00'],
    ['-0.0', '0.0'],
    ['0e5', '0E+5'],
    ['100.0e-1', '10.00'],
    ['1.23E-10', '1.23E-10'],
  ])('%s -> %s', (raw, text) => {
    expect(bigDecimalText(raw)).toBe(text);
  });
});

describe('Jackson string quoting', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['short escapes', '\b\t\n\f\r', '"\\b\\t\\n\\f\\r"'],
    ['other controls upper-case hex', '\u0000\u001f', '"\\u0000\\u001F"'],
    ['DEL raw', '\u007f', '"\u007f"'],
    ['surrogate pair raw', '😀', '"😀"'],
    ['lone surrogate escaped', '\ud800', '"\\uD800"'],
    ['U+2028 raw', '\u2028', '"\u2028"'],
  ])('%s', (_n, s, quoted) => {
    expect(jacksonQuote(s)).toBe(quoted);
  });
});

describe('bounded JSON text parser: rejects with position', () => {
  it.each([
    ['trailing content', '{} x', /unexpected content after the JSON document at line 1, column 4/],
    ['NaN', '{"a":NaN}', /NaN and Infinity are not valid JSON numbers/],
    ['Infinity', '[Infinity]', /NaN and Infinity/],
    ['leading zero', '[01]', /invalid number/],
    ['bare minus', '[-]', /invalid number/],
    ['trailing comma', '{"a":1,}', /expected a property name/],
    ['single quotes', "{'a':1}", /expected a property name/],
    ['unterminated string', '"abc', /unterminated string/],
    ['raw control char', '"a\u0001"', /unescaped control character/],
    ['bad escape', '"\\x"', /invalid escape/],
    ['bad unicode escape', '"\\u12G4"', /invalid \\u escape/],
    ['too deep', '[[[[[[1]]]]]]', /nesting deeper than 5/],
    ['too long', 'x'.repeat(1001), /limit is 1000/],
    ['empty', '', /unexpected end of input/],
    ['line and column', '{\n  "a": tru }', /expected 'true' at line 2, column 8/],
  ])('%s', (_n, text, message) => {
    expect(() => parseJsonText(text, LIMITS)).toThrow(message);
  });
});
