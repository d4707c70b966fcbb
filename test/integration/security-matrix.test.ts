/**
 * The authorization matrix: every route of the app (ROUTES) × every kind of grant. The table
 * below says, for each route, a request to send and what it needs; a route missing from the table
 * fails the first test, so a new route is covered or the suite is red. The expected answer for a
 * grant is derived from the rules of docs/security.md by `mayCall`, written here independently of
 * the implementation (src/domain/grants.ts).
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/app';
import { bearer, fetchWith } from './with-env';

type Role = 'reader' | 'writer' | 'admin';
type Scope = 'subject' | 'context' | 'registry' | 'any';
type Need = 'public' | [Role, Scope];
interface Sample {
  path: string;
  body?: unknown;
  need: Need;
}

const avro = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });
const S = '/subjects/:.t:pay-x';
const KEY = 'lsr_000000000000000000000000';
const DK = '/dek-registry/v1/keks';
const DEK = `${DK}/kk/deks/:.t:pay-x`;
const ASSOC = { resourceName: 't1', resourceNamespace: 'lkc', resourceId: 'lkc:t1', associations: [{ subject: ':.t:pay-x' }] };

// Every sample touches context ".t", subject "pay-x" when it names a subject.
const TABLE: Record<string, Sample[]> = {
  'GET /': [{ path: '/', need: 'public' }],
  'GET /v1/health': [{ path: '/v1/health', need: 'public' }],
  'GET /openapi.json': [{ path: '/openapi.json', need: 'public' }],
  'GET /v1/ready': [{ path: '/v1/ready', need: 'public' }],
  'GET /v1/metadata/id': [{ path: '/v1/metadata/id', need: ['reader', 'any'] }],
  'GET /v1/metadata/version': [{ path: '/v1/metadata/version', need: ['reader', 'any'] }],
  'GET /v1/whoami': [{ path: '/v1/whoami', need: ['reader', 'any'] }],
  'GET /v1/events': [{ path: '/v1/events?after=0&limit=10', need: ['reader', 'any'] }],
  'GET /schemas': [{ path: '/schemas', need: ['reader', 'any'] }],
  'GET /schemas/types': [{ path: '/schemas/types', need: ['reader', 'any'] }],
  'GET /schemas/ids/{id}': [{ path: '/schemas/ids/1?subject=:.t:', need: ['reader', 'any'] }],
  'GET /schemas/ids/{id}/schema': [{ path: '/schemas/ids/1/schema?subject=:.t:', need: ['reader', 'any'] }],
  'GET /schemas/ids/{id}/subjects': [{ path: '/schemas/ids/1/subjects?subject=:.t:', need: ['reader', 'any'] }],
  'GET /schemas/ids/{id}/versions': [{ path: '/schemas/ids/1/versions?subject=:.t:', need: ['reader', 'any'] }],
  'GET /schemas/guids/{guid}': [{ path: '/schemas/guids/00000000-0000-0000-0000-000000000000', need: ['reader', 'any'] }],
  'GET /schemas/guids/{guid}/ids': [{ path: '/schemas/guids/00000000-0000-0000-0000-000000000000/ids', need: ['reader', 'any'] }],
  'GET /subjects': [{ path: '/subjects', need: ['reader', 'any'] }],
  'POST /subjects/{subject}': [{ path: S, body: { schema: avro }, need: ['reader', 'subject'] }],
  'DELETE /subjects/{subject}': [
    { path: S, need: ['writer', 'subject'] },
    { path: `${S}?permanent=true`, need: ['admin', 'subject'] },
    { path: `${S}?permanent=TRUE`, need: ['admin', 'subject'] },
  ],
  'GET /subjects/{subject}/versions': [
    { path: `${S}/versions`, need: ['reader', 'subject'] },
    // Context URLs are authorized as the path they are rewritten to (http/context-paths.ts).
    { path: '/contexts/.t/subjects/pay-x/versions', need: ['reader', 'subject'] },
  ],
  'POST /subjects/{subject}/versions': [
    { path: `${S}/versions`, body: { schema: avro }, need: ['writer', 'subject'] },
    { path: '/contexts/t/subjects/pay-x/versions', body: { schema: avro }, need: ['writer', 'subject'] },
  ],
  'GET /subjects/{subject}/versions/{version}': [{ path: `${S}/versions/latest`, need: ['reader', 'subject'] }],
  'GET /subjects/{subject}/versions/{version}/schema': [{ path: `${S}/versions/1/schema`, need: ['reader', 'subject'] }],
  'GET /subjects/{subject}/versions/{version}/referencedby': [{ path: `${S}/versions/1/referencedby`, need: ['reader', 'subject'] }],
  'DELETE /subjects/{subject}/versions/{version}': [
    { path: `${S}/versions/1`, need: ['writer', 'subject'] },
    { path: `${S}/versions/1?permanent=True`, need: ['admin', 'subject'] },
  ],
  'POST /compatibility/subjects/{subject}/versions/{version}': [
    { path: '/compatibility/subjects/:.t:pay-x/versions/latest', body: { schema: avro }, need: ['reader', 'subject'] },
  ],
  'POST /compatibility/subjects/{subject}/versions': [
    { path: '/compatibility/subjects/:.t:pay-x/versions', body: { schema: avro }, need: ['reader', 'subject'] },
  ],
  'GET /config': [{ path: '/config', need: ['reader', 'any'] }],
  'PUT /config': [{ path: '/config', body: { compatibility: 'BACKWARD' }, need: ['admin', 'registry'] }],
  'DELETE /config': [{ path: '/config', need: ['admin', 'registry'] }],
  'GET /config/{subject}': [
    { path: '/config/:.t:pay-x', need: ['reader', 'subject'] },
    { path: '/config/:.t:', need: ['reader', 'context'] },
  ],
  'PUT /config/{subject}': [
    { path: '/config/:.t:pay-x', body: { compatibility: 'NONE' }, need: ['admin', 'subject'] },
    { path: '/config/:.t:', body: { compatibility: 'NONE' }, need: ['admin', 'context'] },
    { path: '/contexts/.t/config/pay-x', body: { compatibility: 'NONE' }, need: ['admin', 'subject'] },
    { path: '/contexts/:.t:/config', body: { compatibility: 'NONE' }, need: ['admin', 'context'] },
  ],
  'DELETE /config/{subject}': [
    { path: '/config/:.t:pay-x', need: ['admin', 'subject'] },
    { path: '/config/:.t:', need: ['admin', 'context'] },
  ],
  'GET /mode': [{ path: '/mode', need: ['reader', 'any'] }],
  'PUT /mode': [{ path: '/mode', body: { mode: 'READWRITE' }, need: ['admin', 'registry'] }],
  'GET /mode/{subject}': [{ path: '/mode/:.t:pay-x', need: ['reader', 'subject'] }],
  'PUT /mode/{subject}': [
    { path: '/mode/:.t:pay-x', body: { mode: 'READWRITE' }, need: ['admin', 'subject'] },
    { path: '/mode/:.t:', body: { mode: 'READWRITE' }, need: ['admin', 'context'] },
  ],
  'DELETE /mode/{subject}': [{ path: '/mode/:.t:pay-x', need: ['admin', 'subject'] }],
  'GET /contexts': [{ path: '/contexts', need: ['reader', 'any'] }],
  'DELETE /contexts/{context}': [
    { path: '/contexts/.t', need: ['admin', 'context'] },
    { path: '/contexts/t', need: ['admin', 'context'] },
    { path: '/contexts/:.t:', need: ['admin', 'context'] },
  ],
  'GET /dek-registry/v1/keks': [
    { path: DK, need: ['reader', 'any'] },
    { path: `${DK}?subjectPrefix=:.t:`, need: ['reader', 'any'] },
  ],
  'POST /dek-registry/v1/keks': [{ path: DK, body: { name: 'kk', kmsType: 'local-kms', kmsKeyId: 'k' }, need: ['writer', 'registry'] }],
  'GET /dek-registry/v1/keks/{name}': [{ path: `${DK}/kk`, need: ['reader', 'any'] }],
  'PUT /dek-registry/v1/keks/{name}': [{ path: `${DK}/kk`, body: { doc: 'd' }, need: ['writer', 'registry'] }],
  'DELETE /dek-registry/v1/keks/{name}': [
    { path: `${DK}/kk`, need: ['writer', 'registry'] },
    { path: `${DK}/kk?permanent=true`, need: ['admin', 'registry'] },
  ],
  'POST /dek-registry/v1/keks/{name}/undelete': [{ path: `${DK}/kk/undelete`, need: ['writer', 'registry'] }],
  'POST /dek-registry/v1/keks/{name}/test': [{ path: `${DK}/kk/test`, need: ['writer', 'registry'] }],
  'GET /dek-registry/v1/keks/{name}/deks': [{ path: `${DK}/kk/deks`, need: ['reader', 'any'] }],
  'POST /dek-registry/v1/keks/{name}/deks/{subject}': [
    { path: DEK, body: { encryptedKeyMaterial: 'AA==' }, need: ['writer', 'subject'] },
    { path: '/contexts/.t/dek-registry/v1/keks/kk/deks/pay-x', body: { encryptedKeyMaterial: 'AA==' }, need: ['writer', 'subject'] },
  ],
  'GET /dek-registry/v1/keks/{name}/deks/{subject}': [
    { path: DEK, need: ['reader', 'subject'] },
    { path: '/contexts/t/dek-registry/v1/keks/kk/deks/pay-x', need: ['reader', 'subject'] },
  ],
  'DELETE /dek-registry/v1/keks/{name}/deks/{subject}': [
    { path: DEK, need: ['writer', 'subject'] },
    { path: `${DEK}?permanent=true`, need: ['admin', 'subject'] },
  ],
  'POST /dek-registry/v1/keks/{name}/deks/{subject}/undelete': [{ path: `${DEK}/undelete`, need: ['writer', 'subject'] }],
  'GET /dek-registry/v1/keks/{name}/deks/{subject}/versions': [{ path: `${DEK}/versions`, need: ['reader', 'subject'] }],
  'GET /dek-registry/v1/keks/{name}/deks/{subject}/versions/{version}': [{ path: `${DEK}/versions/latest`, need: ['reader', 'subject'] }],
  'DELETE /dek-registry/v1/keks/{name}/deks/{subject}/versions/{version}': [
    { path: `${DEK}/versions/1`, need: ['writer', 'subject'] },
    { path: `${DEK}/versions/1?permanent=true`, need: ['admin', 'subject'] },
  ],
  'POST /dek-registry/v1/keks/{name}/deks/{subject}/versions/{version}/undelete': [
    { path: `${DEK}/versions/1/undelete`, need: ['writer', 'subject'] },
  ],
  'POST /v1/validate/subjects/{subject}/versions/{version}': [
    { path: '/v1/validate/subjects/:.t:pay-x/versions/latest', body: {}, need: ['reader', 'subject'] },
  ],
  'POST /v1/validate/ids/{id}': [
    { path: '/v1/validate/ids/1?subject=:.t:', body: {}, need: ['reader', 'any'] },
    { path: '/contexts/.t/v1/validate/ids/1', body: {}, need: ['reader', 'any'] },
  ],
  'GET /v1/subjects/{subject}/versions/{version}/export': [
    { path: '/v1/subjects/:.t:pay-x/versions/latest/export?target=openai-chat-tool', need: ['reader', 'subject'] },
    { path: '/contexts/.t/v1/subjects/pay-x/versions/latest/export?target=openai-chat-tool', need: ['reader', 'subject'] },
  ],
  // Association writes name their subjects in the body (or in the stored rows): the route needs the
  // role somewhere, the writer checks it on each subject (durable/association-writes.ts).
  'POST /associations': [
    { path: '/associations', body: ASSOC, need: ['writer', 'subject'] },
    { path: '/contexts/.t/associations', body: { ...ASSOC, associations: [{ subject: 'pay-x' }] }, need: ['writer', 'subject'] },
  ],
  'POST /associations:batchGet': [{ path: '/associations:batchGet', body: { requests: [{ resourceId: 'lkc:t1' }] }, need: ['reader', 'any'] }],
  'POST /associations:batchMutate': [
    {
      path: '/associations:batchMutate',
      body: { requests: [{ ...ASSOC, associations: [{ opType: 'CREATE', subject: ':.t:pay-x' }] }] },
      need: ['writer', 'any'],
    },
  ],
  'GET /associations/subjects/{subject}': [{ path: '/associations/subjects/:.t:pay-x', need: ['reader', 'subject'] }],
  'GET /associations/resources/{resourceId}': [{ path: '/associations/resources/lkc:t1', need: ['reader', 'any'] }],
  'PUT /associations/resources/{resourceId}': [{ path: '/associations/resources/lkc:t1', body: ASSOC, need: ['writer', 'subject'] }],
  'DELETE /associations/resources/{resourceId}': [{ path: '/associations/resources/lkc:t1?cascadeLifecycle=true', need: ['writer', 'any'] }],
  'GET /associations/resources/{namespace}/{name}': [{ path: '/associations/resources/-/t1', need: ['reader', 'any'] }],
  'POST /mcp': [{ path: '/mcp', body: { jsonrpc: '2.0', id: 1, method: 'ping' }, need: ['reader', 'any'] }],
  'GET /v1/admin/stats': [{ path: '/v1/admin/stats', need: ['admin', 'registry'] }],
  'GET /v1/admin/snapshot': [{ path: '/v1/admin/snapshot', need: ['admin', 'registry'] }],
  'POST /v1/admin/snapshot': [{ path: '/v1/admin/snapshot', need: ['admin', 'registry'] }],
  'POST /v1/admin/restore': [{ path: '/v1/admin/restore', body: { format: 'nope' }, need: ['admin', 'registry'] }],
  'GET /v1/admin/snapshots': [{ path: '/v1/admin/snapshots', need: ['admin', 'registry'] }],
  'POST /v1/admin/snapshots': [{ path: '/v1/admin/snapshots', body: {}, need: ['admin', 'registry'] }],
  'GET /v1/admin/snapshots/{name}': [{ path: '/v1/admin/snapshots/none', need: ['admin', 'registry'] }],
  'POST /v1/admin/snapshots/{name}/restore': [{ path: '/v1/admin/snapshots/none/restore', body: {}, need: ['admin', 'registry'] }],
  'GET /v1/admin/restore': [{ path: '/v1/admin/restore', need: ['admin', 'registry'] }],
  'DELETE /v1/admin/restore': [{ path: '/v1/admin/restore', need: ['admin', 'registry'] }],
  'GET /v1/admin/generation': [{ path: '/v1/admin/generation', need: ['admin', 'registry'] }],
  'POST /v1/admin/generation': [{ path: '/v1/admin/generation', body: {}, need: ['admin', 'registry'] }],
  'POST /v1/admin/keys': [{ path: '/v1/admin/keys', body: { name: 'm', grants: [{ role: 'reader' }] }, need: ['admin', 'registry'] }],
  'GET /v1/admin/keys': [{ path: '/v1/admin/keys', need: ['admin', 'registry'] }],
  'GET /v1/admin/keys/{key}': [{ path: `/v1/admin/keys/${KEY}`, need: ['admin', 'registry'] }],
  'DELETE /v1/admin/keys/{key}': [{ path: `/v1/admin/keys/${KEY}`, need: ['admin', 'registry'] }],
  'POST /v1/admin/keys/{key}/rotate': [{ path: `/v1/admin/keys/${KEY}/rotate`, body: {}, need: ['admin', 'registry'] }],
  'POST /v1/admin/webhooks': [{ path: '/v1/admin/webhooks', body: { url: 'https://hooks.example/x' }, need: ['admin', 'registry'] }],
  'GET /v1/admin/webhooks': [{ path: '/v1/admin/webhooks', need: ['admin', 'registry'] }],
  'GET /v1/admin/webhooks/{id}': [{ path: '/v1/admin/webhooks/wh_000000000000000000000000', need: ['admin', 'registry'] }],
  'GET /v1/admin/webhooks/{id}/deliveries': [{ path: '/v1/admin/webhooks/wh_000000000000000000000000/deliveries', need: ['admin', 'registry'] }],
  'POST /v1/admin/webhooks/{id}/redeliver': [
    { path: '/v1/admin/webhooks/wh_000000000000000000000000/redeliver', body: { after: 0 }, need: ['admin', 'registry'] },
  ],
  'DELETE /v1/admin/webhooks/{id}': [{ path: '/v1/admin/webhooks/wh_000000000000000000000000', need: ['admin', 'registry'] }],
  'GET /v1/admin/audit': [{ path: '/v1/admin/audit', need: ['admin', 'registry'] }],
  'GET /v1/admin/audit/verify': [{ path: '/v1/admin/audit/verify', need: ['admin', 'registry'] }],
};

interface Holder {
  token: string;
  role: Role;
  context?: string;
  prefix?: string;
}

const HOLDERS: Holder[] = [
  { token: 'h-r', role: 'reader' },
  { token: 'h-w', role: 'writer' },
  { token: 'h-a', role: 'admin' },
  { token: 'h-rt', role: 'reader', context: '.t' },
  { token: 'h-wt', role: 'writer', context: '.t' },
  { token: 'h-at', role: 'admin', context: '.t' },
  { token: 'h-wtp', role: 'writer', context: '.t', prefix: 'pay-' },
  { token: 'h-atp', role: 'admin', context: '.t', prefix: 'pay-' },
  { token: 'h-atq', role: 'admin', context: '.t', prefix: 'other-' },
  { token: 'h-au', role: 'admin', context: '.u' },
  { token: 'h-ad', role: 'admin', context: '.' },
];

const spec = HOLDERS.map((h) => `${h.token}:${h.role}${h.context ? `@${h.context}` : h.prefix ? '@*' : ''}${h.prefix ? `/${h.prefix}` : ''}`).join(
  ',',
);
const rank = { reader: 1, writer: 2, admin: 3 };

/** The rules of docs/security.md#grants, for a request on context ".t", subject "pay-x". */
function mayCall(h: Holder, [role, scope]: [Role, Scope]): boolean {
  if (rank[h.role] < rank[role]) return false;
  const inContext = h.context === undefined || h.context === '.t';
  switch (scope) {
    case 'any':
      return true;
    case 'subject':
      return inContext && (h.prefix === undefined || 'pay-x'.startsWith(h.prefix));
    case 'context':
      return inContext && h.prefix === undefined;
    case 'registry':
      return h.context === undefined && h.prefix === undefined;
  }
}

const call = fetchWith({ AUTH_TOKENS: spec });

describe('authorization matrix', () => {
  it('covers every route of the app, and nothing that is not one', () => {
    const routes = ROUTES.map((r) => `${r.method} ${r.fullPath}`).sort();
    expect(Object.keys(TABLE).sort()).toEqual(routes);
  });

  for (const [route, samples] of Object.entries(TABLE)) {
    const method = route.split(' ')[0];
    it(route, async () => {
      for (const s of samples) {
        const anonymous = await call(method, s.path, s.body);
        if (s.need === 'public') {
          expect(anonymous.status, `${method} ${s.path}`).toBe(200);
          continue;
        }
        expect(anonymous.status, `${method} ${s.path} without credentials`).toBe(401);
        expect(anonymous.body.error_code).toBe(40101);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        for (const h of HOLDERS) {
          const r = await call(method, s.path, s.body, bearer(h.token));
          const label = `${method} ${s.path} as ${h.token} (${h.role}${h.context ?? ''}${h.prefix ? `/${h.prefix}` : ''})`;
          expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
          if (mayCall(h, s.need)) expect([401, 403], `${label}: ${JSON.stringify(r.body)}`).not.toContain(r.status);
          else {
            expect(r.status, label).toBe(403);
            expect(r.body.error_code).toBe(40301);
          }
        }
      }
    });
  }
});
