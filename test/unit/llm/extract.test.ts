import { describe, expect, it } from 'vitest';
import { ErrorCode, RegistryError } from '../../../src/domain/errors';
import { extractJson, extractJsonCandidates, findJsonCandidates, type ExtractLimits } from '../../../src/domain/llm/extract';

const limits: ExtractLimits = { maxBytes: 64 * 1024, maxDepth: 32 };

describe('extractJson: where the JSON is', () => {
  it.each([
    ['whole object', '{"a":1}', { a: 1 }, 'whole', 1],
    ['whole array with surrounding space', '  \n[1,2]\n ', [1, 2], 'whole', 1],
    ['whole scalar number', '42', 42, 'whole', 1],
    ['whole scalar string', '"hi"', 'hi', 'whole', 1],
    ['whole null', 'null', null, 'whole', 1],
    ['BOM before the JSON', '\ufeff{"a":1}', { a: 1 }, 'whole', 1],
    ['json fence', 'Here you go:\n```json\n{"city":"Oslo"}\n```\nThanks', { city: 'Oslo' }, 'fence', 1],
    ['bare fence', '```\n[true]\n```', [true], 'fence', 1],
    ['fence with other language tag', '```javascript\n{"x":1}\n```', { x: 1 }, 'fence', 1],
    ['unterminated fence (cut-off answer)', 'Sure:\n```json\n{"x":1}\n', { x: 1 }, 'fence', 1],
    ['fence with a comment line before the JSON', '```json\n// result\n{"x":2}\n```', { x: 2 }, 'fence', 1],
    ['two fences: both, in order', '```json\n{"n":1}\n```\nor\n```json\n{"n":2}\n```', { n: 1 }, 'fence', 2],
    ['fence first even when prose JSON comes earlier', 'e.g. {"n":0}\n```json\n{"n":1}\n```', { n: 1 }, 'fence', 2],
    ['leading prose', 'The answer is {"ok":true}', { ok: true }, 'embedded', 1],
    ['trailing prose', '{"ok":true} -- hope this helps!', { ok: true }, 'embedded', 1],
    ['prose on both sides of an array', 'List: [1, 2, 3]. Done.', [1, 2, 3], 'embedded', 1],
    ['braces inside strings do not confuse the scanner', 'x {"s":"a}b{c\\"}"} y', { s: 'a}b{c"}' }, 'embedded', 1],
    ['non-JSON braces before the JSON are skipped', 'Use {name} here: {"name":"Ada"}', { name: 'Ada' }, 'embedded', 1],
    ['bracket tag then object', '[note] {"a":[1]}', { a: [1] }, 'embedded', 1],
    ['several prose candidates', 'first {"a":1} then {"b":2}', { a: 1 }, 'embedded', 2],
    ['apostrophes in prose around JSON', 'Here\'s it: {"a":1}, isn\'t it?', { a: 1 }, 'embedded', 1],
  ])('%s', (_name, text, value, source, count) => {
    const r = extractJson(text, limits);
    expect(r).toEqual({ found: true, value, source, candidates: count });
  });
});

describe('extractJsonCandidates: all candidates in preference order', () => {
  it.each([
    ['fences then prose', 'a {"p":1}\n```json\n{"f":1}\n```\nb {"p":2}', [{ f: 1 }, { p: 1 }, { p: 2 }]],
    ['nested candidate is not rescanned', 'x {"o":{"i":1}} y', [{ o: { i: 1 } }]],
    ['whole text wins alone', '[{"a":1},{"b":2}]', [[{ a: 1 }, { b: 2 }]]],
    ['nothing', 'no json here', []],
  ])('%s', (_name, text, expected) => {
    expect(extractJsonCandidates(text, limits)).toEqual(expected);
  });

  it('reports offsets of each candidate', () => {
    const text = 'ab {"x":1} cd';
    const [c] = findJsonCandidates(text, limits).candidates;
    expect(text.slice(c.start, c.end)).toBe('{"x":1}');
  });

  it('caps the number of candidates', () => {
    const text = Array.from({ length: 50 }, (_, i) => `{"i":${i}}`).join(' and ');
    expect(extractJsonCandidates(text, { ...limits, maxCandidates: 3 })).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
  });
});

describe('extractJson: nothing found', () => {
  it.each([
    ['empty', '', 'the output is empty'],
    ['only whitespace', ' \n\t ', 'the output is empty'],
    ['prose only', 'I cannot help with that.', 'no JSON object or array found in the output'],
    ['invalid JSON object', 'here: {name: "x"}', 'found 1 JSON-like span but none is valid JSON'],
    ['two invalid spans', "{'a':1} and {'b':2}", 'found 2 JSON-like spans but none is valid JSON'],
    ['unbalanced', 'start {"a": [1, 2} end', 'no JSON object or array found in the output'],
    ['string broken by a line break', '{"a": "x\ny"}', 'no JSON object or array found in the output'],
    ['empty fence', '```json\n\n```', 'no JSON object or array found in the output'],
  ])('%s', (_name, text, reason) => {
    const r = extractJson(text, limits);
    expect(r.found).toBe(false);
    if (!r.found) expect(r.reason.startsWith(reason)).toBe(true);
  });
});

function thrown(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RegistryError) return e;
    throw e;
  }
  throw new Error('expected a RegistryError');
}

describe('extractJson: limits', () => {
  it.each([
    ['one byte over', 'x'.repeat(101), 100],
    ['multi-byte characters counted as UTF-8', 'é'.repeat(51), 100],
    ['emoji (4 bytes each)', '😀'.repeat(26), 100],
  ])('too large: %s', (_name, text, maxBytes) => {
    const e = thrown(() => extractJson(text, { maxBytes, maxDepth: 10 }));
    expect(e.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect(e.message).toBe(`Model output is larger than ${maxBytes} bytes; JSON extraction refused.`);
  });

  it.each([
    ['whole text', '['.repeat(11) + ']'.repeat(11)],
    ['in a fence', '```json\n' + '{"a":'.repeat(11) + '1' + '}'.repeat(11) + '\n```'],
    ['in prose', 'see ' + '['.repeat(20) + ' unbalanced'],
  ])('too deep: %s', (_name, text) => {
    const e = thrown(() => extractJson(text, { maxBytes: 10_000, maxDepth: 10 }));
    expect(e.code).toBe(ErrorCode.DOCUMENT_TOO_DEEP);
    expect(e.message).toBe('JSON in the model output is nested deeper than 10 levels.');
  });

  it('exactly maxDepth levels is accepted', () => {
    const text = '['.repeat(10) + ']'.repeat(10);
    expect(extractJson(text, { maxBytes: 1000, maxDepth: 10 }).found).toBe(true);
  });

  it('exactly maxBytes is accepted', () => {
    expect(extractJson('"' + 'a'.repeat(98) + '"', { maxBytes: 100, maxDepth: 2 }).found).toBe(true);
  });
});

describe('extractJson: hostile input stays bounded', () => {
  const big = { maxBytes: 2_000_000, maxDepth: 64 };
  it.each([
    // The first '{' opens a string that never ends, so its scan runs to the end of the text;
    // every later '{' is a start position of its own: capped by maxStarts and the scan budget.
    ['one endless string, then many starts', '{"' + '{] '.repeat(300_000), 'none'],
    ['a long unterminated string', '{"a":"' + 'x'.repeat(1_000_000), 'none'],
    ['many short invalid objects', '{a} '.repeat(200_000), 'none'],
    ['many backtick runs', '``` '.repeat(200_000), 'none'],
    ['many mismatched brackets', '{]'.repeat(500_000), 'none'],
    // Alternating quotes put every second '{' outside a string: the nesting grows and the scan
    // stops at maxDepth instead of running on.
    ['quote-alternating braces', '{"x '.repeat(200_000), 'too deep'],
    ['an endless array prefix', '[1,'.repeat(200_000), 'too deep'],
  ])('%s', (_name, text, outcome) => {
    if (outcome === 'none') expect(extractJson(text, big).found).toBe(false);
    else expect(thrown(() => extractJson(text, big)).code).toBe(ErrorCode.DOCUMENT_TOO_DEEP);
  });

  it('a valid object after many invalid starts is found within the start cap', () => {
    const text = '{x} '.repeat(10) + '{"ok":1}';
    expect(extractJson(text, limits)).toMatchObject({ found: true, value: { ok: 1 } });
  });

  it('gives up after maxStarts start positions', () => {
    const text = '{x} '.repeat(10) + '{"ok":1}';
    const r = extractJson(text, { ...limits, maxStarts: 5 });
    expect(r).toEqual({ found: false, reason: expect.stringContaining('found 5 JSON-like spans') });
  });

  it('reports the scan limit when nothing looked like JSON', () => {
    const r = extractJson('{]'.repeat(100), { ...limits, maxStarts: 3 });
    expect(r).toEqual({ found: false, reason: 'no valid JSON found before the scan limit was reached' });
  });
});
