/** Every error path of the wire layer answers a Confluent envelope with the right status and code. */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, get, post, register } from './client';

const schema = JSON.stringify({ type: 'record', name: 'E', fields: [{ name: 'a', type: 'string' }] });

describe('wire errors', () => {
  it.each([
    ['malformed JSON', 'POST', '/subjects/e/versions', '{"schema":', {}, 400, 400],
    ['unsupported content type', 'POST', '/subjects/e/versions', JSON.stringify({ schema }), { 'content-type': 'text/plain' }, 415, 415],
    ['schema of the wrong JSON type', 'POST', '/subjects/e/versions', JSON.stringify({ schema: 1 }), {}, 422, 422],
    ['body that is not an object', 'POST', '/subjects/e/versions', '[]', {}, 422, 422],
    ['empty schema', 'POST', '/subjects/e/versions', JSON.stringify({ schema: '' }), {}, 422, 42201],
    ['unknown schema type', 'POST', '/subjects/e/versions', JSON.stringify({ schema, schemaType: 'XML' }), {}, 422, 42201],
    ['invalid Avro', 'POST', '/subjects/e/versions', JSON.stringify({ schema: '{"type":"record"}' }), {}, 422, 42201],
    ['subject with a control character', 'POST', '/subjects/a%07b/versions', JSON.stringify({ schema }), {}, 422, 42208],
    ['reserved subject name', 'POST', '/subjects/__GLOBAL/versions', JSON.stringify({ schema }), {}, 422, 42208],
    [
      'reference to a missing subject',
      'POST',
      '/subjects/e/versions',
      JSON.stringify({ schema, references: [{ name: 'x', subject: 'nope', version: 1 }] }),
      {},
      422,
      42201,
    ],
    [
      'reference into another context',
      'POST',
      '/subjects/e/versions',
      JSON.stringify({ schema, references: [{ name: 'x', subject: ':.other:s', version: 1 }] }),
      {},
      422,
      42201,
    ],
    ['invalid version', 'GET', '/subjects/e/versions/0', undefined, {}, 422, 42202],
    ['invalid compatibility level', 'PUT', '/config', JSON.stringify({ compatibility: 'SIDEWAYS' }), {}, 422, 42203],
    ['invalid mode', 'PUT', '/mode', JSON.stringify({ mode: 'SOMETIMES' }), {}, 422, 42204],
    ['invalid compatibilityPolicy', 'PUT', '/config', JSON.stringify({ compatibilityPolicy: 'LOOSE' }), {}, 422, 422],
    ['unknown path', 'GET', '/nope', undefined, {}, 404, 404],
    ['known path, wrong method', 'PUT', '/subjects', JSON.stringify({}), {}, 405, 405],
    ['non-integer schema id', 'GET', '/schemas/ids/abc', undefined, {}, 404, 404],
    ['context name with a colon', 'GET', '/contexts/a:b/subjects', undefined, {}, 400, 400],
    ['malformed %-escape in a context path', 'GET', '/contexts/%ZZ/subjects', undefined, {}, 400, 400],
    ['guid that is not a UUID', 'GET', `/schemas/guids/${'g'.repeat(600)}`, undefined, {}, 404, 40403],
  ])('%s', async (_name, method, path, body, headers, status, code) => {
    const r = await call(method, path, body, headers);
    expect(r.status).toBe(status);
    expect(r.body.error_code).toBe(code);
    expect(typeof r.body.message).toBe('string');
    expect(Object.keys(r.body).sort()).toEqual(['error_code', 'message']);
    expect(r.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
  });

  it('rejects a body over the size limit with 413', async () => {
    const r = await post('/subjects/big/versions', { schema: `"${'x'.repeat(1024 * 1024)}"` });
    expect(r.status).toBe(413);
    expect(r.body.error_code).toBe(413);
  });

  describe('a body framed by its Content-Length', () => {
    const framed = (path: string, body: BodyInit, length: number) =>
      exports.default.fetch(
        new Request(`http://registry.test${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', 'content-length': String(length) },
          body,
        }),
      );

    it('is decoded as UTF-8, bad bytes as U+FFFD', async () => {
      const schema = JSON.stringify({ type: 'record', name: 'Framed', doc: 'café crème', fields: [] });
      const text = new TextEncoder().encode(JSON.stringify({ schema }));
      // A lone 0xFF inside the doc string: not UTF-8, decoded as U+FFFD as TextDecoder would.
      const at = text.indexOf(0x20); // the space of "café crème"
      const bytes = Uint8Array.from(text);
      bytes[at] = 0xff;
      const res = await framed('/subjects/framed/versions', bytes, bytes.byteLength);
      expect(res.status).toBe(200);
      const { id } = await res.json<{ id: number }>();
      expect(JSON.parse((await get(`/schemas/ids/${id}`)).body.schema).doc).toBe('café\uFFFDcrème');
    });

    it('counts what a stream holds when it holds more than it declares', async () => {
      // Only a caller in the same process (a binding) can hand over such a stream; the bound still holds.
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      let left = 32; // 2 MiB declared as 100 bytes
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (left-- > 0) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const res = await framed('/subjects/framed-long/versions', body, 100);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error_code: 413, message: 'Request body exceeds 1048576 bytes' });
    });
  });

  describe('a body sent without a length (chunked)', () => {
    /** A POST whose body streams `chunks` without a Content-Length; `pulled` counts the bytes the Worker took. */
    function streamed(path: string, chunks: () => Uint8Array | undefined, headers: Record<string, string> = {}) {
      const sent = { pulled: 0 };
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks();
          if (!chunk) {
            controller.close();
            return;
          }
          sent.pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const request = new Request(`http://registry.test${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...headers },
        body,
      });
      return { request, sent };
    }

    it.each([
      ['no Content-Length', {}],
      // Transfer-Encoding wins over Content-Length (RFC 9112 §6.3): the length does not bound the body.
      ['a Content-Length beside Transfer-Encoding: chunked', { 'content-length': '100', 'transfer-encoding': 'chunked' }],
    ])('with %s, is refused with 413 once it passes the bound, without reading the rest', async (_name, headers: Record<string, string>) => {
      const chunk = new Uint8Array(64 * 1024).fill(0x20); // spaces: valid JSON padding
      let left = 128; // 8 MiB in all, eight times the 1 MiB bound
      const { request, sent } = streamed('/subjects/chunked/versions', () => (left-- > 0 ? chunk : undefined), headers);
      expect(request.headers.get('content-length')).toBe(headers['content-length'] ?? null);
      const res = await exports.default.fetch(request);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error_code: 413, message: 'Request body exceeds 1048576 bytes' });
      // The bound plus what the runtime's pipe buffers ahead of the reader, not the 8 MiB sent.
      expect(sent.pulled).toBeLessThan(2 * 1024 * 1024);
      expect((await get('/subjects/chunked/versions')).status).toBe(404);
    });

    it('is read whole when it stays under the bound, however it is split', async () => {
      // One byte per chunk: the two bytes of each "é" arrive in different chunks.
      const text = JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Chunked', doc: 'café crème', fields: [] }) });
      const bytes = new TextEncoder().encode(text);
      let at = 0;
      const { request } = streamed('/subjects/chunked-small/versions', () => (at < bytes.length ? bytes.subarray(at, ++at) : undefined));
      const res = await exports.default.fetch(request);
      expect(res.status).toBe(200);
      const { id } = await res.json<{ id: number }>();
      expect(JSON.parse((await get(`/schemas/ids/${id}`)).body.schema).doc).toBe('café crème');
    });
  });

  it('explains an incompatible registration with Confluent verbose messages', async () => {
    await register('inc', schema);
    const next = JSON.stringify({
      type: 'record',
      name: 'E',
      fields: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int' },
      ],
    });
    const r = await post('/subjects/inc/versions', { schema: next });
    expect(r.status).toBe(409);
    expect(r.body.error_code).toBe(409);
    expect(r.body.message).toContain('Schema being registered is incompatible with an earlier schema for subject "inc", details: [');
    expect(r.body.message).toContain("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    expect(r.body.message).toContain('{oldSchemaVersion: 1}');
    const v = await post('/compatibility/subjects/inc/versions/latest?verbose=true', { schema: next });
    expect(v.body.is_compatible).toBe(false);
    expect(v.body.messages).toContain("{validateFields: 'false', compatibility: 'BACKWARD'}");
  });

  it('reports an invalid schema as a message under verbose compatibility checks, and 42201 otherwise', async () => {
    await register('inv', schema);
    expect((await post('/compatibility/subjects/inv/versions/latest', { schema: '{"type":"nope"}' })).body.error_code).toBe(42201);
    const r = await post('/compatibility/subjects/inv/versions/latest?verbose=true', { schema: '{"type":"nope"}' });
    expect(r.status).toBe(200);
    expect(r.body.is_compatible).toBe(false);
    expect(r.body.messages).toHaveLength(1);
  });

  it('never answers null fields', async () => {
    await register('nulls', schema);
    for (const path of ['/subjects/nulls/versions/1', '/schemas/ids/1', '/schemas?subjectPrefix=nulls']) {
      const text = JSON.stringify((await get(path)).body);
      expect(text).not.toMatch(/:null[,}\]]/);
    }
  });
});

describe('paths', () => {
  it('treats a trailing slash as the same resource', async () => {
    await register('slash', schema);
    expect((await get('/subjects/')).body).toEqual(['slash']);
    expect((await get('/subjects/slash/versions/')).body).toEqual([1]);
    expect((await get('/schemas/ids/1/')).status).toBe(200);
  });

  it('accepts subjects with URL-encoded slashes and spaces', async () => {
    await register('team/a b', schema);
    expect((await get('/subjects/team%2Fa%20b/versions')).body).toEqual([1]);
    expect((await get('/subjects')).body).toContain('team/a b');
  });
});

describe('content negotiation', () => {
  it('answers 406 when the client accepts none of the produced types', async () => {
    const r = await get('/subjects', { accept: 'text/html' });
    expect(r.status).toBe(406);
    expect(r.body).toEqual({ error_code: 406, message: 'HTTP 406 Not Acceptable' });
  });

  it.each([
    [undefined, 'application/vnd.schemaregistry.v1+json'],
    ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry.v1+json'],
    ['application/json', 'application/json'],
    ['application/vnd.schemaregistry+json', 'application/vnd.schemaregistry+json'],
    ['application/json, */*;q=0.1', 'application/json'],
    ['application/json;q=0.5, application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry.v1+json'],
    ['*/*', 'application/vnd.schemaregistry.v1+json'],
  ])('Accept %s -> %s', async (accept, type) => {
    const r = await get('/subjects', accept ? { accept } : {});
    expect(r.headers.get('content-type')).toBe(type);
    const e = await get('/subjects/none/versions', accept ? { accept } : {});
    expect(e.headers.get('content-type')).toBe(type);
  });
});

describe('lookup order', () => {
  it('parses before it looks: an invalid schema is 42201 even under an unknown subject', async () => {
    const r = await post('/subjects/unknown', { schema: '{"type":"nope"}' });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
    expect((await post('/subjects/unknown', { schema })).body.error_code).toBe(40401);
  });
});
