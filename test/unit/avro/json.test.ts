import { describe, expect, it } from 'vitest';
import { JNum, JsonSyntaxError, parseJson, quote, writeJson } from '../../../src/domain/avro/json';
import { javaDoubleToString, javaFloatToString, parseJavaDouble } from '../../../src/domain/avro/java-number';

const LIMITS = { maxDepth: 50 };
const roundTrip = (text: string) => writeJson(parseJson(text, LIMITS).value!);

describe('Java Double.toString', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [100, '100.0'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1234567, '1234567.0'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [12345678, '1.2345678E7'],
    [1e21, '1.0E21'],
    [1.2345e-10, '1.2345E-10'],
    [0.1, '0.1'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%s -> %s', (v, out) => {
    expect(javaDoubleToString(v)).toBe(out);
  });
});

describe('Java Float.toString', () => {
  it.each([
    [0.1, '0.1'],
    [1, '1.0'],
    [3.3, '3.3'],
    [16777217, '1.6777216E7'],
    [1e-5, '1.0E-5'],
    [-0.5, '-0.5'],
  ])('%s -> %s', (v, out) => {
    expect(javaFloatToString(v)).toBe(out);
  });
});

describe('Java Double.parseDouble (textual float/double defaults)', () => {
  it.each([
    ['1.5', 1.5],
    [' 2 ', 2],
    ['-3e2', -300],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['1.5f', 1.5],
    ['.5', 0.5],
  ])('%j -> %s', (t, v) => {
    expect(parseJavaDouble(t)).toBe(v);
  });
  it.each([
    ['abc', 'For input string: "abc"'],
    ['', 'empty String'],
    ['1.2.3', 'For input string: "1.2.3"'],
    ['NaNx', 'For input string: "NaNx"'],
  ])('%j is rejected', (t, msg) => {
    expect(() => parseJavaDouble(t)).toThrow(msg);
  });
});

describe('JSON reading and Jackson-style writing', () => {
  it.each([
    ['{"a":1,"b":1.0,"c":1e3,"d":-0,"e":12345678901234567890}', '{"a":1,"b":1.0,"c":1000.0,"d":0,"e":12345678901234567890}'],
    ['{"a":1,"a":2,"b":3}', '{"a":2,"b":3}'],
    ['/* c */ {"a" : [ true , false , null ] } // end', '{"a":[true,false,null]}'],
    ['"\\u00e9\\n\\t\\u0001\\/"', '"é\\n\\t\\u0001/"'],
    ['[1.5E-7, 0.000123]', '[1.5E-7,1.23E-4]'],
  ])('%s', (input, out) => {
    expect(roundTrip(input)).toBe(out);
  });

  it('keeps integral and floating numbers apart', () => {
    const v = parseJson('[1, 1.0, 2147483648, 9223372036854775808]', LIMITS).value as JNum[];
    expect(v.map((n) => n.kind)).toEqual(['int', 'double', 'int', 'int']);
    expect(v.map((n) => [n.fitsInt(), n.fitsLong()])).toEqual([
      [true, true],
      [false, false],
      [false, true],
      [false, false],
    ]);
  });

  it('reports empty input and trailing content', () => {
    expect(parseJson('   ', LIMITS).value).toBeUndefined();
    expect(parseJson('"a" x', LIMITS).trailing).toBe('x');
  });

  it.each([
    ['{"a":}', 'expected a valid value'],
    ['{"a" 1}', 'was expecting a colon'],
    ['{a:1}', 'was expecting double-quote to start field name'],
    ['[1,]', 'expected a valid value'],
    ['[1 2]', 'was expecting comma to separate Array entries'],
    ['"abc', 'was expecting closing quote'],
    ['tru', "Unrecognized token 'tru'"],
    ['01', 'invalid numeric value'],
    ['"a\\x"', "Unrecognized character escape 'x'"],
    ['"a\u0001"', 'Illegal unquoted character'],
    ['/* open', 'Unexpected end-of-input in a comment'],
    ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', 'nesting depth'],
  ])('rejects %s', (input, msg) => {
    expect(() => parseJson(input, LIMITS)).toThrow(JsonSyntaxError);
    expect(() => parseJson(input, LIMITS)).toThrow(msg);
  });

  it('escapes like Jackson (upper-case hex, short escapes, nothing else)', () => {
    expect(quote('a"b\\c\b\f\r\u001f\u007fé')).toBe('"a\\"b\\\\c\\b\\f\\r\\u001F\u007fé"');
  });

  it('sorts keys recursively when asked (TreeMap order)', () => {
    expect(writeJson(parseJson('{"b":{"z":1,"a":2},"B":[{"y":1,"x":2}]}', LIMITS).value!, true)).toBe('{"B":[{"x":2,"y":1}],"b":{"a":2,"z":1}}');
  });
});
