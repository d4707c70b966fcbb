/**
 * Associations (docs/associations.md) through Confluent's own client, @confluentinc/schemaregistry,
 * against the built Worker: the three methods it has (createAssociation,
 * getAssociationsByResourceName, deleteAssociations), the typed RestError it raises for the error
 * paths, and its serdes' ASSOCIATED subject name strategy (the default since 1.10), which is what a
 * Kafka producer runs. What the client has no method for (the listings by resource id and by
 * subject, the PUT upsert, :batchGet, :batchMutate, IMPORT mode) is sent with fetch.
 * Shapes follow the client's own tests (dist/test/serde/avro.spec.js, AvroSerdeWithAssociatedNameStrategy).
 */
import {
  AvroDeserializer,
  AvroSerializer,
  FALLBACK_TYPE,
  KAFKA_CLUSTER_ID,
  LifecyclePolicy,
  RestError,
  SchemaRegistryClient,
  SerdeType,
  SubjectNameStrategyType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

const client = () => new SchemaRegistryClient({ baseURLs: [worker.url], cacheCapacity: 100 });
const avro = (name: string) => ({
  schemaType: 'AVRO',
  schema: JSON.stringify({
    type: 'record',
    name,
    namespace: 'com.example',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'note', type: 'string' },
    ],
  }),
});

/** The RestError a call is refused with (anything else fails the test). */
async function refusal(call: Promise<unknown>): Promise<RestError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('the call was not refused');
}
/** status, errorCode and the registry's message (RestError appends `; Error code: N` to it). */
const refused = async (call: Promise<unknown>) => {
  const { status, errorCode, message } = await refusal(call);
  const suffix = `; Error code: ${String(errorCode)}`;
  expect(message.endsWith(suffix), message).toBe(true);
  return { status, errorCode, message: message.slice(0, -suffix.length) };
};

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${worker.url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
}

const subjectsOf = (list: { subject: string }[]) => list.map((a) => a.subject);

describe('createAssociation, getAssociationsByResourceName, deleteAssociations', () => {
  it('a WEAK association by default, read back by name, namespace, wildcards, filters and pages; the REST listings by id and subject agree', async () => {
    const c = client();
    await c.register('billing-events', avro('Billing'));
    await c.register('billing-keys', avro('BillingKey'));
    const resource = { resourceName: 'payments', resourceNamespace: 'lkc-e2e', resourceId: 'lkc-e2e:payments', resourceType: 'topic' };

    const created = await c.createAssociation({ ...resource, associations: [{ subject: 'billing-events' }] });
    expect(created).toEqual({
      ...resource,
      associations: [{ subject: 'billing-events', associationType: 'value', lifecycle: 'WEAK', frozen: false }],
    });

    const listed = await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 0, -1);
    expect(listed).toEqual([
      {
        ...resource,
        subject: 'billing-events',
        guid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        associationType: 'value',
        lifecycle: 'WEAK',
        frozen: false,
        createTs: expect.any(Number),
        updateTs: expect.any(Number),
      },
    ]);
    // `-` (the client's NAMESPACE_WILDCARD) for either part matches every one; another namespace none.
    expect(await c.getAssociationsByResourceName('payments', '-', 'topic', ['value'], null, 0, -1)).toEqual(listed);
    expect(await c.getAssociationsByResourceName('-', 'lkc-e2e', null, [], null, 0, -1)).toEqual(listed);
    expect(await c.getAssociationsByResourceName('payments', 'lkc-other', 'topic', [], null, 0, -1)).toEqual([]);
    // Filters: association type and lifecycle.
    expect(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', ['key'], null, 0, -1)).toEqual([]);
    expect(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], LifecyclePolicy.STRONG, 0, -1)).toEqual([]);
    expect(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], LifecyclePolicy.WEAK, 0, -1)).toEqual(listed);
    // The client has no method for these two listings: the REST API answers the same rows.
    expect(await http('GET', `/associations/resources/${encodeURIComponent('lkc-e2e:payments')}`)).toEqual({ status: 200, body: listed });
    expect(await http('GET', '/associations/subjects/billing-events')).toEqual({ status: 200, body: listed });

    // The same create again writes nothing and answers no association; another subject for the type is 40903.
    expect(await c.createAssociation({ ...resource, associations: [{ subject: 'billing-events' }] })).toEqual({ ...resource, associations: [] });
    expect(await refused(c.createAssociation({ ...resource, associations: [{ subject: 'billing-keys', associationType: 'value' }] }))).toEqual({
      status: 409,
      errorCode: 40903,
      message: "An association of type 'value' already exists for resource 'payments'",
    });

    // A key association beside it; listings are ordered (key before value) and paged by offset/limit.
    await c.createAssociation({ ...resource, associations: [{ subject: 'billing-keys', associationType: 'key' }] });
    expect(subjectsOf(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 0, -1))).toEqual([
      'billing-keys',
      'billing-events',
    ]);
    expect(subjectsOf(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 0, 1))).toEqual(['billing-keys']);
    expect(subjectsOf(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 1, 1))).toEqual(['billing-events']);

    // A subject with an association is not deleted (40904).
    expect(await refused(c.deleteSubject('billing-events'))).toEqual({
      status: 409,
      errorCode: 40904,
      message: "An association already exists for subject 'billing-events'",
    });

    // Delete by type, then everything; a delete of none is 40410. WEAK: the subjects stay.
    await c.deleteAssociations('lkc-e2e:payments', 'topic', ['key'], false);
    expect(subjectsOf(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 0, -1))).toEqual(['billing-events']);
    await c.deleteAssociations('lkc-e2e:payments', null, null, false);
    expect(await c.getAssociationsByResourceName('payments', 'lkc-e2e', 'topic', [], null, 0, -1)).toEqual([]);
    expect(await refused(c.deleteAssociations('lkc-e2e:payments', 'topic', null, false))).toEqual({
      status: 404,
      errorCode: 40410,
      message: "Association for 'lkc-e2e:payments' not found.",
    });
    expect(await c.getAllVersions('billing-events')).toEqual([1]);
    expect(await c.getAllVersions('billing-keys')).toEqual([1]);
    // Now unassociated, the subject deletes.
    expect(await c.deleteSubject('billing-keys')).toEqual([1]);
  });

  it('STRONG: a schema in the association is refused (42212; register first), the default subject, 40904/40905/40907, and the cascade deletes the subject', async () => {
    const c = client();
    const strongSubject = ':.lkc-e2e:shipments-value';
    const shipments = { resourceName: 'shipments', resourceNamespace: 'lkc-e2e', resourceId: 'lkc-e2e:shipments' };

    // The client can send a schema to register with the association; this registry refuses it and writes nothing.
    const withSchema = await refusal(
      c.createAssociation({ ...shipments, associations: [{ lifecycle: LifecyclePolicy.STRONG, schema: avro('Shipment') }] }),
    );
    expect({ status: withSchema.status, errorCode: withSchema.errorCode }).toEqual({ status: 422, errorCode: 42212 });
    expect(withSchema.message).toMatch(
      /^The association specified an invalid value for property: 'schema', detail: .*register it under the subject.*; Error code: 42212$/,
    );
    expect(await c.getAssociationsByResourceName('shipments', 'lkc-e2e', 'topic', [], null, 0, -1)).toEqual([]);
    expect((await refusal(c.getAllVersions(strongSubject))).errorCode).toBe(40401);

    // Register, then associate: STRONG with no subject takes :.{namespace}:{name}-{type}; resourceType defaults to topic.
    const id = await c.register(strongSubject, avro('Shipment'));
    expect(await c.createAssociation({ ...shipments, associations: [{ lifecycle: LifecyclePolicy.STRONG }] })).toEqual({
      ...shipments,
      resourceType: 'topic',
      associations: [{ subject: strongSubject, associationType: 'value', lifecycle: 'STRONG', frozen: false }],
    });
    expect(await c.getAssociationsByResourceName('shipments', 'lkc-e2e', 'topic', [], LifecyclePolicy.STRONG, 0, -1)).toMatchObject([
      { subject: strongSubject, lifecycle: 'STRONG', resourceId: 'lkc-e2e:shipments' },
    ]);

    // A WEAK association may not join a STRONG one (40905); a STRONG one needs its subject to itself (40904).
    const other = (name: string) => ({ resourceName: name, resourceNamespace: 'lkc-e2e', resourceId: `lkc-e2e:${name}` });
    expect(await refused(c.createAssociation({ ...other('returns'), associations: [{ subject: strongSubject }] }))).toEqual({
      status: 409,
      errorCode: 40905,
      message: `A strong association already exists for subject '${strongSubject}'`,
    });
    await c.register('tracking', avro('Tracking'));
    await c.createAssociation({ ...other('tracking-a'), associations: [{ subject: 'tracking' }] });
    expect(
      await refused(c.createAssociation({ ...other('tracking-b'), associations: [{ subject: 'tracking', lifecycle: LifecyclePolicy.STRONG }] })),
    ).toEqual({
      status: 409,
      errorCode: 40904,
      message: "An association already exists for subject 'tracking'",
    });
    // No live version: 40907. A WEAK association without a subject: 42212.
    expect(await refused(c.createAssociation({ ...other('ghost'), associations: [{ subject: 'never-registered' }] }))).toEqual({
      status: 409,
      errorCode: 40907,
      message: "No active (non-deleted) version exists for subject 'never-registered'",
    });
    expect(await refused(c.createAssociation({ ...other('ghost'), associations: [{ associationType: 'key' }] }))).toEqual({
      status: 422,
      errorCode: 42212,
      message: "The association specified an invalid value for property: 'subject', detail: must be provided for WEAK associations",
    });

    // Without the cascade a STRONG association's delete leaves its subject.
    await c.deleteAssociations('lkc-e2e:shipments', 'topic', ['value'], false);
    expect(await c.getAllVersions(strongSubject)).toEqual([1]);
    expect(await http('GET', `/subjects?deleted=true&subjectPrefix=${encodeURIComponent(':.lkc-e2e:')}`)).toEqual({
      status: 200,
      body: [strongSubject],
    });
    // With it, the subject goes too, soft and then permanently (not even listed as deleted).
    await c.createAssociation({ ...shipments, associations: [{ lifecycle: LifecyclePolicy.STRONG }] });
    await c.deleteAssociations('lkc-e2e:shipments', 'topic', ['value'], true);
    expect(await c.getAssociationsByResourceName('shipments', '-', 'topic', [], null, 0, -1)).toEqual([]);
    expect((await refusal(client().getAllVersions(strongSubject))).errorCode).toBe(40401);
    // A soft-deleted version would still answer with deleted=true; this one is gone.
    expect((await refusal(client().getSchemaMetadata(strongSubject, 1, true))).errorCode).toBe(40401);
    expect(await http('GET', `/subjects?deleted=true&subjectPrefix=${encodeURIComponent(':.lkc-e2e:')}`)).toEqual({ status: 200, body: [] });
    expect(id).toBeGreaterThan(0);
    // The cascade of a WEAK association deletes nothing but the association.
    await c.deleteAssociations('lkc-e2e:tracking-a', null, null, true);
    expect(await c.getAllVersions('tracking')).toEqual([1]);
  });

  it('a frozen association (created in IMPORT mode, which the client cannot set) is not deleted (40908) except by a cascade', async () => {
    const c = client();
    const subject = ':.lkc-frozen:ledger-value';
    const { schema } = avro('Ledger');
    expect((await http('PUT', '/mode/:.lkc-frozen:', { mode: 'IMPORT' })).status).toBe(200);
    expect(await http('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema, id: 9001, version: 1 })).toEqual({
      status: 200,
      body: { id: 9001 },
    });
    const ledger = { resourceName: 'ledger', resourceNamespace: 'lkc-frozen', resourceId: 'lkc-frozen:ledger', resourceType: 'topic' };
    expect(await c.createAssociation({ ...ledger, associations: [{ lifecycle: LifecyclePolicy.STRONG, frozen: true }] })).toEqual({
      ...ledger,
      associations: [{ subject, associationType: 'value', lifecycle: 'STRONG', frozen: true }],
    });
    expect(await refused(c.deleteAssociations('lkc-frozen:ledger', 'topic', null, false))).toEqual({
      status: 409,
      errorCode: 40908,
      message: `The association of type  'value' is frozen for subject '${subject}'`,
    });
    await c.deleteAssociations('lkc-frozen:ledger', 'topic', null, true);
    expect(await c.getAssociationsByResourceName('ledger', 'lkc-frozen', 'topic', [], null, 0, -1)).toEqual([]);
    // In IMPORT mode the cascade leaves the subject (Confluent's rule).
    expect(await c.getAllVersions(subject)).toEqual([1]);
  });
});

describe('the serdes resolve the subject of a topic through its association', () => {
  const order = { id: 42, note: 'hi' };

  it('ASSOCIATED (explicit and by default) serializes under the associated subject; the cluster id picks the namespace; two matches are refused', async () => {
    const c = client();
    const id = await c.register('acme-orders', avro('Order'));
    const keyId = await c.register('acme-order-keys', { schemaType: 'AVRO', schema: '"string"' });
    await c.createAssociation({
      resourceName: 'orders-assoc',
      resourceNamespace: 'lkc-ser',
      resourceId: 'lkc-ser:orders-assoc',
      resourceType: 'topic',
      associations: [
        { subject: 'acme-orders', associationType: 'value', lifecycle: LifecyclePolicy.STRONG },
        { subject: 'acme-order-keys', associationType: 'key' },
      ],
    });
    // No `orders-assoc-value` exists: the topic name strategy could not serialize this.
    expect((await refusal(c.getAllVersions('orders-assoc-value'))).errorCode).toBe(40401);

    const cluster = { [KAFKA_CLUSTER_ID]: 'lkc-ser' };
    const ser = new AvroSerializer(c, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      subjectNameStrategyType: SubjectNameStrategyType.ASSOCIATED,
      subjectNameStrategyConfig: cluster,
    });
    const bytes = await ser.serialize('orders-assoc', order);
    expect(bytes.readInt32BE(1)).toBe(id);
    const de = new AvroDeserializer(c, SerdeType.VALUE, {
      subjectNameStrategyType: SubjectNameStrategyType.ASSOCIATED,
      subjectNameStrategyConfig: cluster,
    });
    const back = (await de.deserialize('orders-assoc', bytes)) as { id: unknown; note: string };
    expect({ id: Number(back.id), note: back.note }).toEqual(order);

    // The key serializer asks for the key association.
    const keys = new AvroSerializer(c, SerdeType.KEY, { autoRegisterSchemas: false, useLatestVersion: true, subjectNameStrategyConfig: cluster });
    expect((await keys.serialize('orders-assoc', 'k-1')).readInt32BE(1)).toBe(keyId);

    // With no strategy type configured the client uses ASSOCIATED with the wildcard namespace.
    const byDefault = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    expect((await byDefault.serialize('orders-assoc', order)).readInt32BE(1)).toBe(id);

    // The same topic name in another cluster: the wildcard namespace now matches two subjects.
    await c.register('acme-orders-eu', avro('Order'));
    await c.createAssociation({
      resourceName: 'orders-assoc',
      resourceNamespace: 'lkc-eu',
      resourceId: 'lkc-eu:orders-assoc',
      associations: [{ subject: 'acme-orders-eu' }],
    });
    const ambiguous = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    await expect(ambiguous.serialize('orders-assoc', order)).rejects.toThrow('Multiple associated subjects found for topic orders-assoc');
    const pinned = new AvroSerializer(client(), SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      subjectNameStrategyConfig: cluster,
    });
    expect((await pinned.serialize('orders-assoc', order)).readInt32BE(1)).toBe(id);
  });

  it('no association: the topic name fallback, or an error when the fallback is NONE', async () => {
    const c = client();
    const id = await c.register('plain-topic-value', avro('Plain'));
    const ser = new AvroSerializer(c, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      subjectNameStrategyType: SubjectNameStrategyType.ASSOCIATED,
    });
    expect((await ser.serialize('plain-topic', order)).readInt32BE(1)).toBe(id);
    const strict = new AvroSerializer(c, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      subjectNameStrategyType: SubjectNameStrategyType.ASSOCIATED,
      subjectNameStrategyConfig: { [FALLBACK_TYPE]: 'NONE' },
    });
    await expect(strict.serialize('plain-topic', order)).rejects.toThrow('No associated subject found for topic plain-topic');
  });
});

describe('what the client has no method for, through fetch', () => {
  it('PUT upserts (WEAK then STRONG), :batchMutate (207, a request all-or-nothing) and :batchGet (with schemas); the client sees the results', async () => {
    const c = client();
    await c.register('inventory-events', avro('Inventory'));
    await c.register('audit-events', avro('Audit'));
    const path = `/associations/resources/${encodeURIComponent('lkc-e2e:inventory')}`;
    const inventory = { resourceName: 'inventory', resourceNamespace: 'lkc-e2e' };
    const created = await http('PUT', path, { ...inventory, associations: [{ subject: 'inventory-events', lifecycle: 'WEAK' }] });
    expect(created).toMatchObject({ status: 200, body: { associations: [{ subject: 'inventory-events', lifecycle: 'WEAK' }] } });
    const updated = await http('PUT', path, { ...inventory, associations: [{ lifecycle: 'STRONG' }] });
    expect(updated).toMatchObject({
      status: 200,
      body: { resourceId: 'lkc-e2e:inventory', associations: [{ subject: 'inventory-events', lifecycle: 'STRONG' }] },
    });
    expect(await c.getAssociationsByResourceName('inventory', 'lkc-e2e', 'topic', [], LifecyclePolicy.STRONG, 0, -1)).toMatchObject([
      { subject: 'inventory-events' },
    ]);

    const mutated = await http('POST', '/associations:batchMutate', {
      requests: [
        {
          resourceName: 'audit',
          resourceNamespace: 'lkc-e2e',
          resourceId: 'lkc-e2e:audit',
          associations: [{ opType: 'CREATE', subject: 'audit-events' }],
        },
        {
          resourceName: 'audit2',
          resourceNamespace: 'lkc-e2e',
          resourceId: 'lkc-e2e:audit2',
          associations: [
            { opType: 'CREATE', subject: 'audit-events', associationType: 'key' },
            { opType: 'CREATE', subject: 'not-there', associationType: 'value' },
          ],
        },
      ],
    });
    expect(mutated).toEqual({
      status: 207,
      body: {
        results: [
          {
            result: {
              resourceName: 'audit',
              resourceNamespace: 'lkc-e2e',
              resourceId: 'lkc-e2e:audit',
              resourceType: 'topic',
              associations: [{ subject: 'audit-events', associationType: 'value', lifecycle: 'WEAK', frozen: false }],
            },
          },
          { error: { error_code: 40907, message: "No active (non-deleted) version exists for subject 'not-there'" } },
        ],
      },
    });
    expect(subjectsOf(await c.getAssociationsByResourceName('audit', 'lkc-e2e', 'topic', [], null, 0, -1))).toEqual(['audit-events']);
    // The failed request's first op was not committed either.
    expect(await c.getAssociationsByResourceName('audit2', 'lkc-e2e', 'topic', [], null, 0, -1)).toEqual([]);

    const got = await http('POST', '/associations:batchGet?includeSchemas=true', {
      requests: [
        { resourceId: 'lkc-e2e:inventory' },
        { resourceName: 'audit', resourceNamespace: 'lkc-e2e', associationTypes: ['key'] },
        { resourceName: 'audit' },
      ],
    });
    expect(got.status).toBe(207);
    const [byId, byName, bad] = (got.body as { results: { result?: { associations: unknown[] }; error?: { error_code: number } }[] }).results;
    expect(byId.result?.associations).toEqual([
      {
        subject: 'inventory-events',
        associationType: 'value',
        lifecycle: 'STRONG',
        frozen: false,
        schema: expect.objectContaining({ subject: 'inventory-events', version: 1, schema: avro('Inventory').schema }),
      },
    ]);
    expect(byName.result?.associations).toEqual([]);
    expect(bad.error?.error_code).toBe(50001);
  });
});
