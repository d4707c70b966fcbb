/** The LLM gateway surface: the RegistryService RPC entrypoint and provider exports. */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { get, register } from './client';

const tool = {
  title: 'get_weather',
  description: 'Current weather for a city',
  type: 'object',
  properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] } },
  required: ['city'],
};

describe('RegistryService (service binding)', () => {
  it('validates documents, JSON text and model output without HTTP', async () => {
    const id = await register('get_weather', JSON.stringify(tool), { schemaType: 'JSON' });
    const svc = exports.RegistryService;
    expect(await svc.validate({ subject: 'get_weather', document: { city: 'Oslo' } })).toEqual({ valid: true, errors: [] });
    const bad = (await svc.validate({ id, json: '{"unit":"kelvin"}' })) as { valid: boolean; errors: { keyword: string }[] };
    expect(bad.valid).toBe(false);
    expect(bad.errors.map((e) => e.keyword).sort()).toEqual(['enum', 'required']);
    const text = (await svc.validate({ subject: 'get_weather', version: 1, text: 'Calling: ```json\n{"city":"Paris","unit":"celsius"}\n```' })) as {
      valid: boolean;
      value: unknown;
    };
    expect(text).toMatchObject({ valid: true, value: { city: 'Paris', unit: 'celsius' } });
  });

  it('answers errors as data with Confluent codes', async () => {
    const svc = exports.RegistryService;
    expect(await svc.validate({ subject: 'missing', document: {} })).toEqual({
      error: { error_code: 40401, message: "Subject 'missing' not found." },
    });
    expect(await svc.getSchema(42)).toEqual({ error: { error_code: 40403, message: 'Schema 42 not found' } });
    expect(await svc.validate({ subject: 'missing', json: '{' })).toMatchObject({ error: { error_code: 40401 } });
  });

  it('answers malformed RPC input with 422 as data, never a crash', async () => {
    const svc = exports.RegistryService;
    for (const bad of [{}, { subject: 42 }, { subject: 's', version: 'newest' }, { id: 'x' }, { subject: 's', json: {} }]) {
      expect(await svc.validate(bad as never)).toMatchObject({ error: { error_code: 422 } });
    }
    expect(await svc.getSchema('1' as never)).toMatchObject({ error: { error_code: 422 } });
    expect(await svc.resolve(7 as never)).toMatchObject({ error: { error_code: 422 } });
  });

  it('resolves subjects and schemas', async () => {
    const id = await register('resolve-me', JSON.stringify(tool), { schemaType: 'JSON' });
    const svc = exports.RegistryService;
    expect(await svc.resolve('resolve-me')).toMatchObject({ subject: 'resolve-me', version: 1, id, schemaType: 'JSON' });
    expect(await svc.getSchema(id)).toMatchObject({ schemaType: 'JSON' });
  });
});

describe('GET /v1/subjects/{s}/versions/{v}/export', () => {
  it('renders an Anthropic tool with the subject name and the schema description', async () => {
    await register('get_weather', JSON.stringify(tool), { schemaType: 'JSON' });
    const r = await get('/v1/subjects/get_weather/versions/latest/export?target=anthropic-tool');
    expect(r.status).toBe(200);
    expect(r.body.target).toBe('anthropic-tool');
    expect(r.body.output).toMatchObject({ name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object' } });
    expect(Array.isArray(r.body.findings)).toBe(true);
  });

  it('lints and fixes for OpenAI strict mode', async () => {
    await register('strict', JSON.stringify(tool), { schemaType: 'JSON' });
    const lint = await get('/v1/subjects/strict/versions/1/export?target=openai-response-format');
    expect(lint.body.findings.some((f: { severity: string }) => f.severity === 'error')).toBe(true);
    const fixed = await get('/v1/subjects/strict/versions/1/export?target=openai-response-format&fix=true&name=weather');
    expect(fixed.body.output.json_schema.name).toBe('weather');
    expect(fixed.body.output.json_schema.strict).toBe(true);
    expect(fixed.body.output.json_schema.schema.additionalProperties).toBe(false);
    expect(fixed.body.output.json_schema.schema.required.sort()).toEqual(['city', 'unit']);
    expect(fixed.body.changes.length).toBeGreaterThan(0);
  });

  it('inlines referenced subjects under $defs', async () => {
    await register('address', JSON.stringify({ type: 'object', properties: { zip: { type: 'string' } } }), { schemaType: 'JSON' });
    const order = { type: 'object', properties: { ship: { $ref: 'address.json' } } };
    await register('order', JSON.stringify(order), { schemaType: 'JSON', references: [{ name: 'address.json', subject: 'address', version: 1 }] });
    const r = await get('/v1/subjects/order/versions/1/export?target=mcp-tool');
    expect(r.body.output.inputSchema.properties.ship).toEqual({ $ref: '#/$defs/address' });
    expect(r.body.output.inputSchema.$defs.address).toEqual({ type: 'object', properties: { zip: { type: 'string' } } });
  });

  it.each([
    ['/v1/subjects/get_weather/versions/1/export?target=nope', 422, 42223],
    ['/v1/subjects/get_weather/versions/1/export', 422, 42223],
    ['/v1/subjects/none/versions/1/export?target=mcp-tool', 404, 40401],
    ['/v1/subjects/avro/versions/1/export?target=mcp-tool', 422, 422],
  ])('%s -> %i %i', async (path, status, code) => {
    await register('get_weather', JSON.stringify(tool), { schemaType: 'JSON' });
    await register('avro', '"string"');
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body.error_code).toBe(code);
  });
});
