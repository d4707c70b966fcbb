/**
 * Confluent's ContextFilter, as rewriteContextPath ports it: one row per case, the expected
 * rewritten path and query (decoded). Rows marked Confluent follow ContextFilterTest.java
 * (core/src/test/.../rest/filters, v8.1.x); the others are our /v1 routes and edge cases.
 */
import { describe, expect, it } from 'vitest';
import { rewriteContextPath } from '../../src/http/context-paths';

const rewrite = (path: string, method = 'GET') => {
  const out = rewriteContextPath(new URL(`http://r${path}`), method);
  return decodeURIComponent(out.pathname) + decodeURIComponent(out.search);
};

describe('rewriteContextPath', () => {
  it.each([
    // Confluent: subjects, versions, compatibility
    ['/contexts/.test-ctx/subjects/test-subject/versions', '/subjects/:.test-ctx:test-subject/versions'],
    ['/contexts/test-ctx/subjects/test-subject/versions', '/subjects/:.test-ctx:test-subject/versions'],
    ['/contexts/:.test-ctx:/subjects/s/versions/1/referencedby', '/subjects/:.test-ctx:s/versions/1/referencedby'],
    ['/contexts/.t/subjects/:.other:s/versions', '/subjects/:.other:s/versions'],
    ['/contexts/.t/subjects/:*:s', '/subjects/:*:s'],
    ['/contexts/.t/compatibility/subjects/s/versions/latest', '/compatibility/subjects/:.t:s/versions/latest'],
    // the default context: `.`, `:.:`, and `/contexts/./` which URL parsing folds away
    ['/contexts/:.:/subjects/s/versions', '/subjects/s/versions'],
    ['/contexts/./subjects/s/versions', '/subjects/s/versions'],
    ['/contexts/%2E/subjects/s/versions', '/subjects/s/versions'],
    // listings: the context as subjectPrefix
    ['/contexts/.t/subjects', '/subjects?subjectPrefix=:.t:'],
    ['/contexts/.t/subjects/', '/subjects?subjectPrefix=:.t:'],
    ['/contexts/.t/subjects?subjectPrefix=ab&deleted=true', '/subjects?deleted=true&subjectPrefix=:.t:ab'],
    ['/contexts/.t/subjects?subjectPrefix=:*:', '/subjects?subjectPrefix=:*:'],
    ['/contexts/.t/schemas', '/schemas?subjectPrefix=:.t:'],
    ['/contexts/:.:/subjects', '/subjects'],
    // ids: the context as ?subject=
    ['/contexts/.t/schemas/ids/7', '/schemas/ids/7?subject=:.t:'],
    ['/contexts/.t/schemas/ids/7/versions?subject=x', '/schemas/ids/7/versions?subject=:.t:x'],
    ['/contexts/.t/schemas/ids/7?subject=:.u:x', '/schemas/ids/7?subject=:.u:x'],
    ['/contexts/.t/schemas/types', '/schemas/types'],
    // config and mode: a subject, or the context itself; the default context's is the global one
    ['/contexts/.t/config', '/config/:.t:'],
    ['/contexts/.t/config/s', '/config/:.t:s'],
    ['/contexts/.t/mode', '/mode/:.t:'],
    ['/contexts/.t/mode/s', '/mode/:.t:s'],
    ['/contexts/:.:/config', '/config'],
    ['/contexts/./mode/s', '/mode/s'],
    // `/contexts/./x` reaches us as `/contexts/x` (URL parsing removes the dot segment)
    ['/contexts/./subjects', '/subjects'],
    ['/contexts/./schemas?subjectPrefix=a', '/schemas?subjectPrefix=a'],
    ['/contexts/./config', '/config'],
    // our /v1 routes
    ['/contexts/.t/v1/subjects/s/versions/1/export?target=openai-chat-tool', '/v1/subjects/:.t:s/versions/1/export?target=openai-chat-tool'],
    ['/contexts/.t/v1/validate/subjects/s/versions/latest', '/v1/validate/subjects/:.t:s/versions/latest'],
    ['/contexts/.t/v1/validate/ids/3', '/v1/validate/ids/3?subject=:.t:'],
    // not rewritten: the contexts resource itself, and registry-wide routes (they then 404)
    ['/contexts', '/contexts'],
    ['/contexts/.t', '/contexts/.t'],
    ['/contexts/.t/', '/contexts/.t/'],
    ['/contexts/.t/v1/admin/snapshot', '/contexts/.t/v1/admin/snapshot'],
    ['/contexts/.t/nothing', '/contexts/.t/nothing'],
    // encoded characters: decoded once, re-encoded once
    ['/contexts/.t/subjects/a%2Fb%20c/versions', '/subjects/:.t:a/b c/versions'],
    ['/contexts/.t/subjects/%3A.u%3As/versions', '/subjects/:.u:s/versions'],
  ])('%s -> %s', (from, to) => {
    expect(rewrite(from)).toBe(to);
  });

  it('keeps an encoded slash inside one segment', () => {
    expect(rewriteContextPath(new URL('http://r/contexts/.t/subjects/a%2Fb/versions')).pathname).toBe('/subjects/%3A.t%3Aa%2Fb/versions');
  });

  it('leaves a lone context name to DELETE /contexts/{ctx}, even one named like a resource', () => {
    expect(rewrite('/contexts/subjects', 'DELETE')).toBe('/contexts/subjects');
    expect(rewrite('/contexts/subjects', 'GET')).toBe('/subjects');
  });

  it('names the context of an association write (Confluent: POST/PUT only)', () => {
    expect(rewrite('/contexts/.t/associations', 'POST')).toBe('/associations?context=:.t:');
    expect(rewrite('/contexts/.t/associations/resources/r1', 'PUT')).toBe('/associations/resources/r1?context=:.t:');
    expect(rewrite('/contexts/.t/associations/resources/r1', 'GET')).toBe('/associations/resources/r1');
  });

  it.each(['/contexts/a:b/subjects', '/contexts/.a%3Ab/subjects/s/versions', '/contexts/%20/subjects'])('%s is a 400', (path) => {
    expect(() => rewrite(path)).toThrow(expect.objectContaining({ code: 400 }));
  });
});
