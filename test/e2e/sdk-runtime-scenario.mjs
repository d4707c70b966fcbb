// One SDK scenario run as a plain script by Deno and by Bun (sdk-runtimes.test.ts), importing
// the client as published: packages/client/dist/index.js, the platform-neutral bundle that
// `npm run build` writes. It prints one JSON line for the test to compare; anything thrown is
// printed to stderr and fails the run with a non-zero exit.
import { RegistryClient, RegistryError } from '../../packages/client/dist/index.js';

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : globalThis.process.env[name]);
const url = env('LSR_URL');
const auth = { username: env('LSR_ADMIN_KEY'), password: env('LSR_ADMIN_SECRET') };
const stub = env('LSR_STUB_URL');
const subject = `${env('LSR_RUNTIME')}-weather`;

const client = new RegistryClient({ url, auth });
const schema = JSON.stringify({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false });
const registered = await client.register(subject, { schemaType: 'JSON', schema });
const bookmark = client.bookmark;
const latest = await client.getVersion(subject);
const tool = await client.llm.anthropicTool(subject);
const ok = await client.parseOutput(subject, 'Here you go: {"city":"Lyon"}');
const bad = await client.parseOutput(subject, '{"town":"Lyon"}');
const missing = await client.getVersion(`${subject}-none`).catch((e) => e);
// The stub answers 503 with Retry-After: 1 once, then a subject list: the runtime's fetch and
// timers must carry the client's retry through the wait.
const started = Date.now();
const retried = await new RegistryClient({ url: stub, retry: { attempts: 2 } }).listSubjects();
const waitedMs = Date.now() - started;

console.log(
  JSON.stringify({
    id: registered.id,
    bookmark: typeof bookmark === 'string' && bookmark.length > 0,
    latest: { subject: latest.subject, version: latest.version, id: latest.id },
    tool: { name: tool.name, required: tool.input_schema.required },
    ok,
    badOk: bad.ok,
    badHasRepair: typeof bad.repair === 'string' && bad.repair.length > 0,
    missing: { typed: missing instanceof RegistryError, status: missing.status, errorCode: missing.errorCode },
    retried,
    waitedAtLeastRetryAfter: waitedMs >= 1000,
  }),
);
