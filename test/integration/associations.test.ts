/**
 * Associations (/associations; docs/associations.md): every route and error path, following
 * Confluent v8.1.5 (AssociationsResource, AbstractSchemaRegistry.createOrUpdateAssociation,
 * deleteAssociations, batchGet/mutateAssociations), the subject delete guards, grants (an
 * association on a subject the caller may not read is not there for it), the audit and events.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { del, get, post, put, register } from './client';
import { bearer, fetchWith } from './with-env';

const A = '/associations';
const S = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

const req = (associations: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  resourceName: 'orders',
  resourceNamespace: 'lkc-1',
  resourceId: 'lkc-1:orders',
  resourceType: 'topic',
  associations,
  ...extra,
});
const code = (r: { body: { error_code: number } }) => r.body.error_code;

describe('create, get, delete', () => {
  it('creates a WEAK association (the default lifecycle), reads it by id, name, namespace and subject, deletes it', async () => {
    await register('orders-value', S);
    const created = await post(A, req([{ subject: 'orders-value', associationType: 'value' }]));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toEqual({
      resourceName: 'orders',
      resourceNamespace: 'lkc-1',
      resourceId: 'lkc-1:orders',
      resourceType: 'topic',
      associations: [{ subject: 'orders-value', associationType: 'value', lifecycle: 'WEAK', frozen: false }],
    });

    const byId = await get(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual([
      {
        subject: 'orders-value',
        guid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        resourceName: 'orders',
        resourceNamespace: 'lkc-1',
        resourceId: 'lkc-1:orders',
        resourceType: 'topic',
        associationType: 'value',
        lifecycle: 'WEAK',
        frozen: false,
        createTs: expect.any(Number),
        updateTs: expect.any(Number),
      },
    ]);
    expect((await get(`${A}/resources/lkc-1/orders`)).body).toEqual(byId.body);
    expect((await get(`${A}/resources/-/orders`)).body).toEqual(byId.body);
    expect((await get(`${A}/resources/lkc-1/-`)).body).toEqual(byId.body);
    expect((await get(`${A}/resources/-/-`)).body).toEqual(byId.body);
    expect((await get(`${A}/resources/lkc-2/orders`)).body).toEqual([]);
    expect((await get(`${A}/subjects/orders-value`)).body).toEqual(byId.body);
    // Filters: association type, lifecycle, resource type.
    expect((await get(`${A}/subjects/orders-value?associationType=key`)).body).toEqual([]);
    expect((await get(`${A}/subjects/orders-value?associationType=key&associationType=value`)).body).toHaveLength(1);
    expect((await get(`${A}/subjects/orders-value?lifecycle=STRONG`)).body).toEqual([]);
    expect((await get(`${A}/subjects/orders-value?lifecycle=WEAK`)).body).toHaveLength(1);
    expect((await get(`${A}/subjects/orders-value?resourceType=other`)).body).toEqual([]);
    expect((await get(`${A}/subjects/orders-value?lifecycle=NONE`)).status).toBe(404);

    expect((await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`)).status).toBe(204);
    expect((await get(`${A}/subjects/orders-value`)).body).toEqual([]);
    const again = await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error_code: 40410, message: "Association for 'lkc-1:orders' not found." });
  });

  it('a STRONG association defaults its subject to :.ns:name-type; a create of the same is idempotent, of another 40903', async () => {
    await register(':.lkc-1:orders-key', S);
    const r = await post(A, req([{ associationType: 'key', lifecycle: 'STRONG' }]));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.associations).toEqual([{ subject: ':.lkc-1:orders-key', associationType: 'key', lifecycle: 'STRONG', frozen: false }]);
    // The same again: nothing written, nothing answered.
    const same = await post(A, req([{ associationType: 'key', lifecycle: 'STRONG' }]));
    expect(same.status).toBe(200);
    expect(same.body.associations).toEqual([]);
    await register('other', S);
    const conflict = await post(A, req([{ subject: 'other', associationType: 'key', lifecycle: 'WEAK' }]));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ error_code: 40903, message: "An association of type 'key' already exists for resource 'orders'" });
  });

  it('refuses what Confluent refuses (42212, 40904, 40905, 40907)', async () => {
    const invalid = [
      [req([{ subject: 's' }], { resourceName: '' }), 'resourceName', 'cannot be null or empty'],
      [req([{ subject: 's' }], { resourceNamespace: 'a b' }), 'resourceNamespace', "illegal character ' '"],
      [req([{ subject: 's' }], { resourceId: null }), 'resourceId', 'cannot be null or empty'],
      [req([{ subject: 's' }], { resourceType: 'table' }), 'resourceType', "must be 'topic'"],
      [req([]), 'associations', 'cannot be null or empty'],
      [req([{ subject: 's', associationType: 'header' }]), 'associationType', "must be either 'key' or 'value'"],
      [req([{}]), 'subject', 'must be provided for WEAK associations'],
      [req([{ subject: 's', lifecycle: 'WEAK', frozen: true }]), 'frozen', 'association with lifecycle of WEAK cannot be frozen'],
      [req([{ subject: ':.lkc-1:orders-value', lifecycle: 'WEAK' }]), 'subject', "WEAK associations cannot use subject ':.lkc-1:orders-value'"],
      [req([{ subject: 's', lifecycle: 'STRONG', frozen: true }]), 'subject', "frozen associations must use subject ':.lkc-1:orders-value'"],
      [req([{ lifecycle: 'STRONG', frozen: true }]), 'schema', 'schema must be provided when creating a frozen association'],
      [req([{ subject: 's' }, { subject: 't' }]), 'associationType', 'Duplicate association type: value'],
      [req([{ schema: { schema: S } }]), 'schema', expect.stringContaining('register it under the subject')],
    ] as const;
    for (const [body, property, detail] of invalid) {
      const r = await post(A, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error_code).toBe(42212);
      expect(r.body.message).toEqual(
        typeof detail === 'string' ? `The association specified an invalid value for property: '${property}', detail: ${detail}` : detail,
      );
    }
    // No live version: 40907.
    const none = await post(A, req([{ subject: 'nothing' }]));
    expect(none.status).toBe(409);
    expect(none.body).toEqual({ error_code: 40907, message: "No active (non-deleted) version exists for subject 'nothing'" });
    // A STRONG association needs the subject to itself (40904); a WEAK one refuses a STRONG beside it (40905).
    await register('shared', S);
    expect((await post(A, req([{ subject: 'shared' }], { resourceId: 'r1', resourceName: 'a' }))).status).toBe(200);
    const strong = await post(A, req([{ subject: 'shared', lifecycle: 'STRONG' }], { resourceId: 'r2', resourceName: 'b' }));
    expect(strong.body).toEqual({ error_code: 40904, message: "An association already exists for subject 'shared'" });
    await register('mine', S);
    expect((await post(A, req([{ subject: 'mine', lifecycle: 'STRONG' }], { resourceId: 'r3', resourceName: 'c' }))).status).toBe(200);
    const weak = await post(A, req([{ subject: 'mine' }], { resourceId: 'r4', resourceName: 'd' }));
    expect(weak.body).toEqual({ error_code: 40905, message: "A strong association already exists for subject 'mine'" });
    // Read-only subject: 42205.
    await register('ro', S);
    expect((await put('/mode/ro', { mode: 'READONLY' })).status).toBe(200);
    expect(code(await post(A, req([{ subject: 'ro' }], { resourceId: 'r5', resourceName: 'e' })))).toBe(42205);
  });

  it('dryRun validates and writes nothing; without a resourceId it is accepted', async () => {
    await register('d-value', S);
    const r = await post(`${A}?dryRun=true`, req([{ subject: 'd-value' }], { resourceId: null }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ resourceName: 'orders', resourceNamespace: 'lkc-1', resourceType: 'topic', associations: [] });
    expect((await get(`${A}/subjects/d-value`)).body).toEqual([]);
  });

  it('limits: a page over 1000 is 42224; offset and limit page', async () => {
    await register('p', S);
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      expect((await post(A, req([{ subject: 'p' }], { resourceName: name, resourceId: `id${i}` }))).status).toBe(200);
    }
    expect((await get(`${A}/subjects/p`)).body.map((a: { resourceName: string }) => a.resourceName)).toEqual(['a', 'b', 'c']);
    expect((await get(`${A}/subjects/p?offset=1&limit=1`)).body.map((a: { resourceName: string }) => a.resourceName)).toEqual(['b']);
    expect(code(await get(`${A}/subjects/p?limit=1001`))).toBe(42224);
  });
});

describe('update and delete rules', () => {
  it('PUT creates or updates: lifecycle changes, subject and frozen never do; the path id must match the body', async () => {
    await register('u', S);
    const path = `${A}/resources/${encodeURIComponent('lkc-1:orders')}`;
    const created = await put(path, req([{ subject: 'u' }], { resourceId: undefined }));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.associations).toEqual([{ subject: 'u', associationType: 'value', lifecycle: 'WEAK', frozen: false }]);
    const updated = await put(path, req([{ lifecycle: 'STRONG' }]));
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.associations).toEqual([{ subject: 'u', associationType: 'value', lifecycle: 'STRONG', frozen: false }]);
    const [row] = (await get(`${A}/subjects/u`)).body;
    expect(row.lifecycle).toBe('STRONG');
    expect(row.updateTs).toBeGreaterThanOrEqual(row.createTs);

    await register('u2', S);
    expect((await put(path, req([{ subject: 'u2', lifecycle: 'WEAK' }]))).body.message).toContain(
      "subject of association cannot be changed from 'u' to 'u2'",
    );
    expect((await put(path, req([{ frozen: true, lifecycle: 'STRONG' }]))).body.message).toContain(
      'frozen attribute of association cannot be changed',
    );
    expect((await put(path, req([{ subject: 'u' }]))).status).toBe(200); // equivalent: nothing to do
    const mismatch = await put(path, req([{ subject: 'u' }], { resourceId: 'other' }));
    expect(mismatch.body.message).toContain('Resource ID in the path parameter does not match the resource ID in the request body');
  });

  it('a frozen association (IMPORT mode) is neither updated nor deleted, except by a cascade', async () => {
    expect((await put('/mode/:.lkc-1:', { mode: 'IMPORT' })).status).toBe(200);
    const subject = ':.lkc-1:orders-value';
    await post(`/subjects/${encodeURIComponent(subject)}/versions`, { schema: S, id: 7, version: 1 });
    const r = await post(A, req([{ lifecycle: 'STRONG', frozen: true }]));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.associations[0]).toEqual({ subject, associationType: 'value', lifecycle: 'STRONG', frozen: true });
    const path = `${A}/resources/${encodeURIComponent('lkc-1:orders')}`;
    const upd = await put(path, req([{ lifecycle: 'WEAK', subject }]));
    expect(upd.body.error_code).toBe(42212); // WEAK cannot use the default subject
    const del1 = await del(path);
    expect(del1.status).toBe(409);
    expect(del1.body).toEqual({ error_code: 40908, message: `The association of type  'value' is frozen for subject '${subject}'` });
    // In IMPORT mode the cascade leaves the subject.
    expect((await del(`${path}?cascadeLifecycle=true`)).status).toBe(204);
    expect((await get(`/subjects/${encodeURIComponent(subject)}/versions`)).body).toEqual([1]);
  });

  it('a subject with an association is not deleted (40904), nor its last live version (40907); a cascade deletes a STRONG subject', async () => {
    await register(':.lkc-1:orders-value', S);
    await register(
      ':.lkc-1:orders-value',
      JSON.stringify({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'string' },
          { name: 'b', type: ['null', 'string'], default: null },
        ],
      }),
    );
    expect((await post(A, req([{ lifecycle: 'STRONG' }]))).status).toBe(200);
    const s = encodeURIComponent(':.lkc-1:orders-value');
    const subjectDelete = await del(`/subjects/${s}`);
    expect(subjectDelete.status).toBe(409);
    expect(subjectDelete.body).toEqual({ error_code: 40904, message: "An association already exists for subject ':.lkc-1:orders-value'" });
    expect((await del(`/subjects/${s}/versions/1`)).status).toBe(200);
    expect(code(await del(`/subjects/${s}/versions/2`))).toBe(40907);
    // The cascade removes the association, then the subject (soft, then permanently).
    expect((await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}?cascadeLifecycle=true`)).status).toBe(204);
    expect((await get(`/subjects/${s}/versions?deleted=true`)).status).toBe(404);
    expect((await get(`${A}/resources/-/orders`)).body).toEqual([]);
  });

  it('deletes only the association types asked for', async () => {
    await register('k', S);
    await register('v', S);
    expect((await post(A, req([{ subject: 'k', associationType: 'key' }, { subject: 'v' }]))).status).toBe(200);
    expect((await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}?associationType=key`)).status).toBe(204);
    expect((await get(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`)).body.map((a: { subject: string }) => a.subject)).toEqual(['v']);
    expect((await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}?dryRun=true`)).status).toBe(204);
    expect((await get(`${A}/subjects/v`)).body).toHaveLength(1);
  });
});

describe('batches', () => {
  it(':batchMutate answers 207 with a result or an error per request; a request is all-or-nothing', async () => {
    await register('bk', S);
    await register('bv', S);
    const r = await post(`${A}:batchMutate`, {
      requests: [
        {
          resourceName: 't1',
          resourceNamespace: 'ns',
          resourceId: 'ns:t1',
          associations: [
            { opType: 'CREATE', subject: 'bk', associationType: 'key' },
            { opType: 'CREATE', subject: 'bv', associationType: 'value' },
          ],
        },
        // The second op fails: the first is not committed either.
        {
          resourceName: 't2',
          resourceNamespace: 'ns',
          resourceId: 'ns:t2',
          associations: [
            { opType: 'UPSERT', subject: 'bk', associationType: 'key', lifecycle: 'WEAK' },
            { opType: 'CREATE', subject: 'missing', associationType: 'value' },
          ],
        },
        { resourceName: 't3', resourceNamespace: 'ns', resourceId: 'ns:t3', associations: [{ opType: 'DELETE', associationType: 'value' }] },
        { resourceName: 't1', resourceNamespace: 'ns', resourceId: 'ns:t1', associations: [{ opType: 'NOPE' }] },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(207);
    const [one, two, three, four] = r.body.results;
    expect(one.result.associations.map((a: { subject: string }) => a.subject)).toEqual(['bk', 'bv']);
    expect(two.error).toEqual({ error_code: 40907, message: "No active (non-deleted) version exists for subject 'missing'" });
    expect(three.result).toEqual({ resourceName: 't3', resourceNamespace: 'ns', resourceId: 'ns:t3', resourceType: 'topic', associations: [] });
    expect(four.error.error_code).toBe(42212);
    expect((await get(`${A}/resources/ns:t2`)).body).toEqual([]);

    const swap = await post(`${A}:batchMutate`, {
      requests: [
        {
          resourceName: 't1',
          resourceNamespace: 'ns',
          resourceId: 'ns:t1',
          associations: [
            { opType: 'DELETE', associationType: 'key' },
            { opType: 'CREATE', subject: 'bv', associationType: 'key' },
          ],
        },
      ],
    });
    // bv already has a WEAK value association of this resource: a second WEAK one is fine.
    expect(
      swap.body.results[0].result.associations.map((a: { associationType: string; subject: string }) => `${a.associationType}=${a.subject}`),
    ).toEqual(['key=bv', 'value=bv']);
    expect(code(await post(`${A}:batchMutate`, { requests: [] }))).toBe(42212);
    expect(code(await post(`${A}:batchMutate`, { requests: Array.from({ length: 101 }, () => ({})) }))).toBe(42224);
  });

  it(':batchGet answers each query, with schemas on request', async () => {
    await register('g', S);
    expect((await post(A, req([{ subject: 'g' }]))).status).toBe(200);
    const r = await post(`${A}:batchGet?includeSchemas=true`, {
      requests: [
        { resourceId: 'lkc-1:orders' },
        { resourceName: 'orders', resourceNamespace: 'lkc-1', associationTypes: ['key'] },
        { resourceName: 'orders' },
      ],
    });
    expect(r.status).toBe(207);
    const [byId, byName, bad] = r.body.results;
    expect(byId.result.resourceName).toBe('orders');
    expect(byId.result.associations[0]).toMatchObject({ subject: 'g', associationType: 'value', schema: { subject: 'g', version: 1, schema: S } });
    expect(byName.result.associations).toEqual([]);
    expect(bad.error.error_code).toBe(50001);
    expect(bad.error.message).toContain('resourceNamespace is required when resourceName is specified');
  });
});

describe('grants, audit and events', () => {
  const tokens = 'adm:admin,w:writer,wt:writer@.t,rt:reader@.t,ru:reader@.u,au:admin@.u';
  const as = fetchWith({ AUTH_TOKENS: tokens });

  it('writes need the writer role on each subject; listings show what the caller reads; 404 for what it may not see', async () => {
    const reg = (s: string) => as('POST', `/subjects/${encodeURIComponent(s)}/versions`, { schema: S }, bearer('adm'));
    await reg(':.t:a');
    await reg(':.u:b');
    const body = (subject: string, id: string, type = 'value') => req([{ subject, associationType: type }], { resourceId: id });
    expect((await as('POST', A, body(':.u:b', 'x'), bearer('wt'))).status).toBe(403);
    expect((await as('POST', A, body(':.t:a', 'x'), bearer('rt'))).status).toBe(403);
    expect((await as('POST', A, body(':.t:a', 'x'), bearer('wt'))).status).toBe(200);
    expect((await as('POST', A, body(':.u:b', 'x', 'key'), bearer('w'))).status).toBe(200);
    // The resource holds both; a reader of .t sees only its own.
    expect((await as('GET', `${A}/resources/x`, undefined, bearer('rt'))).body.map((a: { subject: string }) => a.subject)).toEqual([':.t:a']);
    expect((await as('GET', `${A}/resources/x`, undefined, bearer('adm'))).body).toHaveLength(2);
    expect((await as('GET', `${A}/subjects/${encodeURIComponent(':.u:b')}`, undefined, bearer('rt'))).status).toBe(403);
    const batch = await as('POST', `${A}:batchGet`, { requests: [{ resourceId: 'x' }] }, bearer('rt'));
    expect(batch.body.results[0].result.associations.map((a: { subject: string }) => a.subject)).toEqual([':.t:a']);
    // A delete of the .u association by a .t writer: not there for it (40410), as for no association at all.
    const hidden = await as('DELETE', `${A}/resources/x?associationType=key`, undefined, bearer('wt'));
    const absent = await as('DELETE', `${A}/resources/nothing?associationType=key`, undefined, bearer('wt'));
    expect(hidden.status).toBe(404);
    expect(hidden.body.error_code).toBe(absent.body.error_code);
    // Read but not written: 403. An upsert of another's association: 403.
    expect((await as('DELETE', `${A}/resources/x?associationType=key`, undefined, bearer('ru'))).status).toBe(403);
    expect(
      (await as('PUT', `${A}/resources/x`, req([{ associationType: 'key', lifecycle: 'STRONG' }], { resourceId: 'x' }), bearer('wt'))).status,
    ).toBe(403);
    // A cascade of a STRONG association needs admin on its subject.
    await reg(':.u:c');
    expect((await as('POST', A, req([{ subject: ':.u:c', lifecycle: 'STRONG' }], { resourceId: 'y' }), bearer('w'))).status).toBe(200);
    expect((await as('DELETE', `${A}/resources/y?cascadeLifecycle=true`, undefined, bearer('w'))).status).toBe(403);
    expect((await as('DELETE', `${A}/resources/y?cascadeLifecycle=true`, undefined, bearer('au'))).status).toBe(204);
    expect((await as('GET', `/subjects/${encodeURIComponent(':.u:c')}/versions`, undefined, bearer('adm'))).status).toBe(404);
    // Only the caller's own deletes: the .t writer deletes its own value association.
    expect((await as('DELETE', `${A}/resources/x`, undefined, bearer('wt'))).status).toBe(204);
    expect((await as('GET', `${A}/resources/x`, undefined, bearer('adm'))).body.map((a: { subject: string }) => a.subject)).toEqual([':.u:b']);
  });

  it('writes are audited and write change events', async () => {
    await register('e', S);
    expect((await post(A, req([{ subject: 'e' }]))).status).toBe(200);
    expect((await put(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`, req([{ lifecycle: 'STRONG' }]))).status).toBe(200);
    expect((await del(`${A}/resources/${encodeURIComponent('lkc-1:orders')}`)).status).toBe(204);
    const audit = await env.DB.prepare(`SELECT action, target, result FROM audit_log WHERE action LIKE '%association%' ORDER BY rowid`).all();
    expect(audit.results).toEqual([
      { action: 'create-association', target: 'resource lkc-1:orders', result: 'ok' },
      { action: 'upsert-association', target: 'resource lkc-1:orders', result: 'ok' },
      { action: 'delete-associations', target: 'resource lkc-1:orders', result: 'ok' },
    ]);
    const events = await get('/v1/events?after=0');
    expect(
      events.body.events
        .filter((e: { type: string }) => e.type.includes('association'))
        .map((e: { type: string; subject: string }) => `${e.type} ${e.subject}`),
    ).toEqual(['create-association e', 'update-association e', 'delete-association e']);
  });

  it('context URLs put subjects written bare into the context', async () => {
    await register(':.t:ctx-sub', S);
    const r = await post('/contexts/.t/associations', req([{ subject: 'ctx-sub' }]));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.associations[0].subject).toBe(':.t:ctx-sub');
  });
});
