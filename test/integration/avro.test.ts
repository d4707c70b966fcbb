/** Avro specifics through the API: references, `?format=resolved`, normalization, the 8.x profile. */
import { describe, expect, it } from 'vitest';
import { get, post, register } from './client';

const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'shop', fields: [{ name: 'zip', type: 'string' }] });
const order = JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'ship', type: 'Address' }] });

describe('Avro through the API', () => {
  it('answers references by name, and inlined with ?format=resolved', async () => {
    await register('address', address);
    const id = await register('order', order, { references: [{ name: 'shop.Address', subject: 'address', version: 1 }] });
    const plain = await get(`/schemas/ids/${id}`);
    expect(JSON.parse(plain.body.schema).fields[0].type).toBe('Address');
    const resolved = await get(`/schemas/ids/${id}?format=resolved`);
    expect(JSON.parse(resolved.body.schema).fields[0].type).toMatchObject({ type: 'record', name: 'Address' });
    const version = await get('/subjects/order/versions/1?format=resolved');
    expect(JSON.parse(version.body.schema).fields[0].type.name).toBe('Address');
    // Unknown formats are ignored, as Confluent does.
    expect((await get(`/schemas/ids/${id}?format=nope`)).body.schema).toBe(plain.body.schema);
  });

  it('registers the same schema written differently under one id, and normalize=true unifies more', async () => {
    const a = await register('spell', '{"type": "string"}');
    expect(await register('spell', '"string"')).toBe(a);
    const r1 = JSON.stringify({ type: 'record', name: 'N', fields: [{ name: 'a', type: 'int' }] });
    const r2 = JSON.stringify({ fields: [{ type: 'int', name: 'a' }], name: 'N', type: 'record' });
    const id = await register('norm', r1);
    expect(await register('norm', r2)).toBe(id); // canonical form orders attributes as Avro prints them
    const lookup = await post('/subjects/norm?normalize=true', { schema: r2 });
    expect(lookup.body).toMatchObject({ subject: 'norm', version: 1, id });
  });

  it('explains FULL incompatibilities in both directions', async () => {
    await register('full', JSON.stringify({ type: 'record', name: 'F', fields: [{ name: 'a', type: 'int' }] }));
    const next = JSON.stringify({ type: 'record', name: 'F', fields: [{ name: 'a', type: 'string' }] });
    const r = await post('/compatibility/subjects/full/versions/1?verbose=true', { schema: next });
    expect(r.body.is_compatible).toBe(false);
    expect(r.body.messages.filter((m: string) => m.includes("errorType:'TYPE_MISMATCH'"))).toHaveLength(1);
  });
});
