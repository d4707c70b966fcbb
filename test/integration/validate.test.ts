/** JSON Schema through the registry, and /v1/validate for JSON, NDJSON and raw model output. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, get, post, put, register } from './client';
import { clearSchemaMemory } from '../../src/services/schema-cache';

const weather = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'get_weather',
  description: 'Current weather for a city',
  type: 'object',
  properties: {
    city: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1 },
  },
  required: ['city', 'unit'],
  additionalProperties: false,
};

const registerJson = (subject: string, schema: object) => register(subject, JSON.stringify(schema), { schemaType: 'JSON' });
const validateRaw = (path: string, body: string, type: string) => call('POST', path, body, { 'content-type': type });

describe('JSON Schema subjects', () => {
  it('registers, shows schemaType JSON, and dedupes the same schema written differently', async () => {
    const id = await registerJson('weather', weather);
    const v = await get('/subjects/weather/versions/1');
    expect(v.body).toMatchObject({ subject: 'weather', version: 1, id, schemaType: 'JSON' });
    const spaced = JSON.stringify(weather, null, 2);
    expect(await register('weather', spaced, { schemaType: 'JSON' })).toBe(id);
    expect((await get('/subjects/weather/versions')).body).toEqual([1]);
  });

  it('rejects an invalid JSON Schema with 42201', async () => {
    const r = await post('/subjects/bad-json/versions', {
      schemaType: 'JSON',
      schema: JSON.stringify({ type: 'object', properties: { a: { type: 'strin' } } }),
    });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
  });

  it('refuses an incompatible change under BACKWARD and explains it', async () => {
    await registerJson('closed', weather);
    const narrowed = { ...weather, properties: { ...weather.properties, days: { type: 'string' } } };
    const r = await post('/subjects/closed/versions', { schemaType: 'JSON', schema: JSON.stringify(narrowed) });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('TYPE_CHANGED');
  });

  it('switches to LENIENT through config.compatibilityPolicy', async () => {
    expect((await put('/config/policy', { compatibilityPolicy: 'LENIENT' })).body).toEqual({ compatibilityPolicy: 'LENIENT' });
    expect((await get('/config/policy')).body).toEqual({ compatibilityPolicy: 'LENIENT' });
  });
});

describe('/v1/validate', () => {
  it('validates one JSON document, by subject version and by id', async () => {
    const id = await registerJson('tool', weather);
    const ok = await post('/v1/validate/subjects/tool/versions/latest', { city: 'Oslo', unit: 'celsius' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ valid: true, errors: [] });
    const bad = await post(`/v1/validate/ids/${id}`, { city: 'Oslo', unit: 'kelvin', extra: 1 });
    expect(bad.body.valid).toBe(false);
    for (const e of bad.body.errors) expect(Object.keys(e).sort()).toEqual(['instancePath', 'keyword', 'message', 'schemaPath']);
    expect(bad.body.errors.map((e: { keyword: string }) => e.keyword).sort()).toEqual(['additionalProperties', 'enum']);
    expect(bad.body.errors.find((e: { keyword: string }) => e.keyword === 'enum').instancePath).toBe('/unit');
  });

  it('validates an NDJSON batch line by line', async () => {
    await registerJson('batch', weather);
    const body =
      [{ city: 'a', unit: 'celsius' }, { city: 1, unit: 'celsius' }, { unit: 'fahrenheit' }].map((d) => JSON.stringify(d)).join('\n') + '\n';
    const r = await validateRaw('/v1/validate/subjects/batch/versions/1', body, 'application/x-ndjson');
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { valid: boolean }) => x.valid)).toEqual([true, false, false]);
    expect(r.body.results[1].errors[0]).toMatchObject({ instancePath: '/city', keyword: 'type' });
    expect(r.body.results[2].errors[0]).toMatchObject({ keyword: 'required' });
  });

  it('extracts JSON from model text and answers a repair instruction', async () => {
    await registerJson('llm', weather);
    const good = await validateRaw(
      '/v1/validate/subjects/llm/versions/latest',
      'Sure! Here it is:\n```json\n{"city":"Rome","unit":"celsius"}\n```\nAnything else?',
      'text/plain',
    );
    expect(good.body).toEqual({ valid: true, value: { city: 'Rome', unit: 'celsius' }, errors: [] });
    const wrong = await validateRaw(
      '/v1/validate/subjects/llm/versions/latest',
      'The call is {"city":"Rome","unit":"kelvin","days":"three"} as requested.',
      'text/plain',
    );
    expect(wrong.body.valid).toBe(false);
    expect(wrong.body.value).toEqual({ city: 'Rome', unit: 'kelvin', days: 'three' });
    expect(wrong.body.repair).toMatch(/^The JSON does not match the required schema/);
    expect(wrong.body.repair).toContain('/unit');
    expect(wrong.body.repair).toContain('/days');
    const none = await validateRaw('/v1/validate/subjects/llm/versions/latest', 'I cannot help with that.', 'text/plain');
    expect(none.body.valid).toBe(false);
    expect(none.body.value).toBeUndefined();
    expect(none.body.repair).toMatch(/No JSON value was found/);
  });

  it.each([
    ['a body that is not JSON', 'application/json', '{"city":', 422, 42221],
    ['a document nested too deep', 'application/json', '['.repeat(200) + ']'.repeat(200), 422, 42222],
    ['a batch line that is not JSON', 'application/x-ndjson', '{"city":"a","unit":"celsius"}\nnope\n', 422, 42221],
    ['an unsupported content type', 'image/png', 'x', 415, 415],
    ['model text nested too deep', 'text/plain', 'here: ' + '['.repeat(300), 422, 42222],
  ])('rejects %s', async (_name, type, body, status, code) => {
    await registerJson('limits', weather);
    const r = await validateRaw('/v1/validate/subjects/limits/versions/1', body, type);
    expect(r.status).toBe(status);
    expect(r.body.error_code).toBe(code);
  });

  it('rejects a document over the size limit with 413', async () => {
    await registerJson('big', weather);
    const r = await validateRaw(
      '/v1/validate/subjects/big/versions/1',
      JSON.stringify({ city: 'x'.repeat(1024 * 1024), unit: 'celsius' }),
      'application/json',
    );
    expect(r.status).toBe(413);
    expect(r.body.error_code).toBe(413);
  });

  it('answers Confluent not-found codes and refuses Avro subjects', async () => {
    expect((await post('/v1/validate/subjects/nope/versions/1', {})).body.error_code).toBe(40401);
    expect((await post('/v1/validate/ids/999', {})).body.error_code).toBe(40403);
    await registerJson('one', weather);
    expect((await post('/v1/validate/subjects/one/versions/7', {})).body.error_code).toBe(40402);
    await register('avro', '"string"');
    const r = await post('/v1/validate/subjects/avro/versions/1', 'x');
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(422);
  });

  it('validates Protobuf subjects against the first or a named message', async () => {
    const proto = 'syntax = "proto3";\npackage demo;\nmessage Call { string name = 1; int32 count = 2; }\nmessage Other { bool flag = 1; }\n';
    await register('proto', proto, { schemaType: 'PROTOBUF' });
    expect((await post('/v1/validate/subjects/proto/versions/1', { name: 'x', count: 2 })).body.valid).toBe(true);
    expect((await post('/v1/validate/subjects/proto/versions/1', { name: 'x', count: 'two' })).body.valid).toBe(false);
    expect((await post('/v1/validate/subjects/proto/versions/1?message=demo.Other', { flag: true })).body.valid).toBe(true);
    expect((await post('/v1/validate/subjects/proto/versions/1?message=demo.Other', { name: 'x' })).body.valid).toBe(false);
  });
});

describe('warm validation reads no storage', () => {
  it('keeps validating by id and by subject after every storage layer is emptied', async () => {
    const id = await registerJson('warm-tool', weather);
    const doc = { city: 'Oslo', unit: 'celsius' };
    expect((await post(`/v1/validate/ids/${id}`, doc)).body.valid).toBe(true);
    expect((await post('/v1/validate/subjects/warm-tool/versions/latest', doc)).body.valid).toBe(true);
    await env.DB.exec('DELETE FROM versions');
    await env.DB.exec('DELETE FROM schemas');
    for (const { name } of (await env.SCHEMA_KV.list()).keys) await env.SCHEMA_KV.delete(name);
    expect((await get(`/schemas/ids/${id}`)).status).toBe(200); // the Cache API still holds the document...
    await (await caches.open('schemas')).delete(`https://schema-cache.internal/v2/0/ctx/./id/${id}`);
    clearSchemaMemory(); // the isolate's copy of the document goes too
    expect((await get(`/schemas/ids/${id}`)).status).toBe(404); // ...and now nothing does
    expect((await post(`/v1/validate/ids/${id}`, doc)).body).toEqual({ valid: true, errors: [] });
    expect((await post('/v1/validate/subjects/warm-tool/versions/latest', { city: 'Oslo' })).body.valid).toBe(false);
  });
});
