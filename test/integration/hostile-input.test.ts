/**
 * Nothing a client sends can crash a request: every endpoint answers hostile bodies, parameters
 * and names with a 4xx envelope, never a 500 (and never a stack trace).
 */
import { describe, expect, it } from 'vitest';
import { call, register } from './client';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const bodies: unknown[] = [
  '',
  'null',
  'true',
  '"string"',
  '[]',
  '{"schema":null}',
  '{"schema":{}}',
  '{"schema":"{"}',
  '{"schema":"\\"nope\\""}',
  `{"schema":${JSON.stringify(deep(5000))}}`,
  deep(5000),
  '{"schema":"\\"string\\"","references":[{"name":1}]}',
  '{"schema":"\\"string\\"","references":"x"}',
  '{"schema":"\\"string\\"","schemaType":{}}',
  '{"schema":"\\"string\\"","id":"x","version":-5}',
  '{"compatibility":42}',
  '{"mode":null}',
  '{"schema":"syntax = \\"proto3\\"; message {","schemaType":"PROTOBUF"}',
  '{"schema":"{\\"$ref\\":\\"#\\"}","schemaType":"JSON"}',
  '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"R\\",\\"fields\\":[{\\"name\\":\\"a\\",\\"type\\":\\"R\\"}]}"}',
  '\u0000\u0001\ufffe',
];
const paths = [
  ['POST', '/subjects/h/versions'],
  ['POST', '/subjects/h'],
  ['POST', '/compatibility/subjects/h/versions'],
  ['POST', '/compatibility/subjects/h/versions/latest'],
  ['PUT', '/config'],
  ['PUT', '/config/h'],
  ['PUT', '/mode/h'],
  ['POST', '/v1/validate/subjects/h/versions/latest'],
  ['POST', '/v1/validate/ids/1'],
  ['POST', '/v1/admin/restore'],
] as const;

describe('hostile input', () => {
  it('answers every hostile body on every write or check endpoint with a 4xx envelope', async () => {
    await register('h', JSON.stringify({ type: 'object' }), { schemaType: 'JSON' });
    for (const [method, path] of paths) {
      for (const body of bodies) {
        for (const type of ['application/json', 'application/x-ndjson', 'text/plain']) {
          const r = await call(method, path, body, { 'content-type': type });
          const where = `${method} ${path} ${type} ${String(body).slice(0, 60)} -> ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
          expect(r.status, where).toBeLessThan(500);
          if (r.status >= 400) {
            expect(typeof r.body?.error_code, where).toBe('number');
            expect(JSON.stringify(r.body), where).not.toMatch(/ at .*\.(ts|js):\d+/);
          }
        }
      }
    }
  });

  it('answers hostile names and parameters with a 4xx', async () => {
    const names = ['%00', '%ZZ', '..', ':.:', ':.bad ctx:s', ':.' + 'x'.repeat(300) + ':s', 'a'.repeat(5000), '%F0%9F%92%A9', ':*:'];
    const templates = [
      '/subjects/{n}/versions',
      '/subjects/{n}/versions/latest',
      '/subjects/{n}/versions/1/referencedby',
      '/config/{n}',
      '/mode/{n}',
      '/schemas/ids/{n}',
      '/schemas/guids/{n}',
      '/contexts/{n}/subjects',
    ];
    const queries = ['', '?deleted=maybe', '?limit=-99999999999&offset=abc', '?subjectPrefix=%00', '?format=%FF', '?subject=:.x:'];
    for (const t of templates) {
      for (const n of names) {
        for (const q of queries) {
          const r = await call('GET', t.replace('{n}', n) + q);
          expect(r.status, `${t} ${n.slice(0, 40)} ${q} -> ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).toBeLessThan(500);
        }
      }
    }
  });
});
