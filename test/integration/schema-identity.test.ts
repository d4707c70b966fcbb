/**
 * A schema's identity (services/schemas.ts prepareSchema): the SHA-256 of its type, stored text,
 * references, metadata and rule set, which decides whether a registration is one already made and
 * which id it shares. A plain schema's hash (no references, metadata or rule set) is kept with its
 * cached parse, canonical and normalized apart: a fleet restarting sends the same text again and
 * again. What is kept must be exactly what computing gives, and never stand for a schema whose
 * references, metadata or rules take part in its identity. The digest of what a candidate was
 * parsed from (the compatibility verdicts' key, services/verdicts.ts) is kept the same way.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareSchema, type SchemaInput } from '../../src/services/schemas';
import { RegistryReader } from '../../src/storage/registry-reader';
import { post, register } from './client';

const prepare = (input: SchemaInput, normalize = false) => prepareSchema(new RegistryReader(env.DB), '.', input, normalize);

/** An Avro record whose own properties are out of order: normalization sorts them, the canonical form keeps them. */
const record = (name: string, space = '') => `{"type":"record",${space}"name":"${name}","zeta":1,"alpha":2,"fields":[{"name":"f","type":"string"}]}`;

/** SHA-256 digests taken while `run` runs. */
async function digestsDuring(run: () => Promise<unknown>): Promise<number> {
  const digest = vi.spyOn(crypto.subtle, 'digest');
  try {
    await run();
    return digest.mock.calls.filter(([algorithm]) => algorithm === 'SHA-256').length;
  } finally {
    digest.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the identity of a plain schema', () => {
  it('is computed once per form and then kept, the same as computing it again', async () => {
    const first = await prepare({ schema: record('Kept') });
    expect(await digestsDuring(() => prepare({ schema: record('Kept') }))).toBe(0);
    expect((await prepare({ schema: record('Kept') })).hash).toBe(first.hash);
    // The same schema sent with other spacing is another parse: its hash is computed, and equal.
    let spaced: Awaited<ReturnType<typeof prepare>> | undefined;
    expect(await digestsDuring(async () => (spaced = await prepare({ schema: record('Kept', ' ') })))).toBe(1);
    expect(spaced?.hash).toBe(first.hash);
  });

  it('keeps the canonical and the normalized form apart, in either order', async () => {
    const normalizedFirst = await prepare({ schema: record('Forms') }, true);
    const canonical = await prepare({ schema: record('Forms') });
    expect(canonical.text).not.toBe(normalizedFirst.text);
    expect(canonical.hash).not.toBe(normalizedFirst.hash);
    // Computed afresh on other parses of the same schema, in the other order: the same two hashes.
    expect((await prepare({ schema: record('Forms', ' ') })).hash).toBe(canonical.hash);
    expect((await prepare({ schema: record('Forms', ' ') }, true)).hash).toBe(normalizedFirst.hash);
    expect((await prepare({ schema: record('Forms') }, true)).hash).toBe(normalizedFirst.hash);
  });

  it('is not what a schema with metadata or a rule set gets, before or after it is kept', async () => {
    const metadata = { properties: { owner: 'payments' } };
    const ruleSet = { domainRules: [{ name: 'r', kind: 'CONDITION', type: 'CEL', mode: 'WRITE', expr: 'true' }] };
    const withMetadata = await prepare({ schema: record('Contract'), metadata });
    const withRules = await prepare({ schema: record('Contract'), ruleSet });
    const plain = await prepare({ schema: record('Contract') });
    expect(new Set([withMetadata.hash, withRules.hash, plain.hash]).size).toBe(3);
    expect((await prepare({ schema: record('Contract', ' ') })).hash).toBe(plain.hash);
    // And once the plain hash is kept, a schema with metadata still gets its own, computed.
    let again: Awaited<ReturnType<typeof prepare>> | undefined;
    expect(await digestsDuring(async () => (again = await prepare({ schema: record('Contract'), metadata })))).toBe(1);
    expect(again?.hash).toBe(withMetadata.hash);
    // Absent and null are the same identity (Confluent's null metadata).
    expect((await prepare({ schema: record('Contract'), metadata: null, ruleSet: null })).hash).toBe(plain.hash);
  });

  it('is not what a schema with references gets: the referenced subject and version are part of the identity', async () => {
    const referenced = '{"type":"record","name":"Ref","fields":[{"name":"r","type":"string"}]}';
    await register('identity-ref-a', referenced);
    await register('identity-ref-b', referenced);
    const main = '{"type":"record","name":"Main","fields":[{"name":"ref","type":"Ref"}]}';
    const viaA = await prepare({ schema: main, references: [{ name: 'Ref', subject: 'identity-ref-a', version: 1 }] });
    const viaB = await prepare({ schema: main, references: [{ name: 'Ref', subject: 'identity-ref-b', version: 1 }] });
    // One parse (the referenced texts are equal), two identities.
    expect(viaB.parsedFrom).toBe(viaA.parsedFrom);
    expect(viaB.hash).not.toBe(viaA.hash);
    expect((await prepare({ schema: main, references: [{ name: 'Ref', subject: 'identity-ref-a', version: 1 }] })).hash).toBe(viaA.hash);
  });
});

describe('a compatibility check asked again', () => {
  it("digests nothing: the candidate's identity and its verdicts' key are kept with its parse", async () => {
    await register('identity-checked', record('Checked'));
    const candidate = record('Checked').replace('"fields":[', '"fields":[{"name":"g","type":"string","default":""},');
    const check = () => post('/compatibility/subjects/identity-checked/versions/latest', { schema: candidate });
    expect((await check()).body).toEqual({ is_compatible: true });
    let again: Awaited<ReturnType<typeof check>> | undefined;
    expect(await digestsDuring(async () => (again = await check()))).toBe(0);
    expect(again?.body).toEqual({ is_compatible: true });
  });
});
