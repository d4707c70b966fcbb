/** lsr's pure parts: argument parsing and the environment, the line diff, and migrate's ordering. */
import { describe, expect, it } from 'vitest';
import { authFrom, parseCommand, refArg, schemaTypeArg, splitUrl, UsageError, versionArg } from '../../packages/client/src/cli/args';
import { lineDiff } from '../../packages/client/src/cli/diff';
import { listAllSubjects, qualify, splitSubject, waves } from '../../packages/client/src/cli/migrate';

const env = { LSR_URL: 'https://reg.example.com/', LSR_KEY: 'lsr_1:s3' };

describe('parseCommand', () => {
  it('takes the URL and key from the environment; flags win', () => {
    expect(parseCommand(['check', 'orders', 'o.avsc'], env)).toMatchObject({
      command: 'check',
      args: { subject: 'orders', file: 'o.avsc' },
      url: 'https://reg.example.com',
      auth: { apiKey: 'lsr_1:s3' },
      json: false,
      progress: true,
    });
    expect(parseCommand(['diff', 's', '1', '2', '--url', 'http://x:1', '--token', 't', '--json', '--no-progress'], env)).toMatchObject({
      url: 'http://x:1',
      auth: { bearer: 't' },
      json: true,
      progress: false,
    });
    expect(parseCommand(['snapshot'], { LSR_URL: 'http://h', LSR_KEY: 'k', LSR_SECRET: 's' })).toMatchObject({ auth: { apiKey: 'k', secret: 's' } });
    expect(parseCommand(['snapshot'], { LSR_URL: 'http://k:s%40@h' })).toMatchObject({ url: 'http://h', auth: { apiKey: 'k:s@' } });
    expect(parseCommand(['register', 's', 'f.json', '--ref', 'a.json=addr:1', '--ref', 'b=c:2'], env)).toMatchObject({
      values: {
        ref: ['a.json=addr:1', 'b=c:2'],
      },
    });
  });
  it('help and version are answers, not errors', () => {
    expect(parseCommand([], {})).toHaveProperty('help');
    expect(parseCommand(['check', '--help'], {})).toHaveProperty('help');
  });
  it.each([
    [['nope'], /Unknown command/],
    [['check', 'only-subject'], /takes <subject> <file>/],
    [['check', 's', 'f', 'extra'], /takes <subject> <file>/],
    [['check', 's', 'f', '--frob'], /Unknown option/],
    [['diff', 's', '1', '2', '--url'], /argument missing/],
    [['migrate', '--from', 'http://a'], /--from <url> and --to <url>/],
    [['snapshot', '--url', 'ftp://x'], /http\(s\)/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommand(argv, env)).toThrow(UsageError);
    expect(() => parseCommand(argv, env)).toThrow(message);
  });
  it('needs a URL, and a secret with a bare key', () => {
    expect(() => parseCommand(['snapshot'], {})).toThrow(/LSR_URL/);
    expect(() => parseCommand(['snapshot'], { LSR_URL: 'http://h', LSR_KEY: 'bare' })).toThrow(/secret/);
    expect(parseCommand(['migrate', '--from', 'http://a', '--to', 'http://b'], {})).toMatchObject({ command: 'migrate' });
  });
});

describe('argument values', () => {
  it('versions', () => {
    expect([versionArg(undefined), versionArg('latest'), versionArg('-1'), versionArg('7')]).toEqual(['latest', 'latest', 'latest', 7]);
    for (const bad of ['0', 'x', '1.5', '99999999999']) expect(() => versionArg(bad)).toThrow(UsageError);
  });
  it('references pin a version', () => {
    expect(refArg('com/acme/a.proto=acme-a:3')).toEqual({ name: 'com/acme/a.proto', subject: 'acme-a', version: 3 });
    expect(refArg('x=:.ctx:s:1')).toEqual({ name: 'x', subject: ':.ctx:s', version: 1 });
    expect(() => refArg('x=s')).toThrow(UsageError);
  });
  it('schema type from --type or the extension', () => {
    expect([
      schemaTypeArg(undefined, 'a.avsc'),
      schemaTypeArg(undefined, 'a.proto'),
      schemaTypeArg(undefined, 'a.json'),
      schemaTypeArg('json', 'a.txt'),
    ]).toEqual(['AVRO', 'PROTOBUF', 'JSON', 'JSON']);
    expect(() => schemaTypeArg(undefined, 'a.txt')).toThrow(/--type/);
    expect(() => schemaTypeArg('xml', 'a.json')).toThrow(/--type/);
  });
  it('credentials', () => {
    expect(authFrom(undefined, undefined, undefined)).toBeUndefined();
    expect(authFrom('k:s', undefined, 'tok')).toEqual({ bearer: 'tok' });
    expect(splitUrl('https://h/base/', 'x')).toEqual({ url: 'https://h/base' });
    expect(() => splitUrl('not a url', '--from')).toThrow(/--from is not a URL/);
  });
});

describe('lineDiff', () => {
  it('pretty-prints JSON and diffs by line', () => {
    const d = lineDiff('{"a":1,"b":2}', '{"a":1,"c":3}');
    expect(d.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', line: '  "b": 2' },
      { op: '+', line: '  "c": 3' },
    ]);
    expect(d.filter((l) => l.op === ' ').map((l) => l.line)).toEqual(['{', '  "a": 1,', '}']);
  });
  it('non-JSON text as is; identical texts have no changes', () => {
    expect(lineDiff('syntax = "proto3";\nmessage A {}', 'syntax = "proto3";\nmessage B {}').filter((l) => l.op !== ' ')).toHaveLength(2);
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.op === ' ')).toBe(true);
  });
});

describe('migrate ordering', () => {
  const v = (subject: string, version: number, id: number, refs: [string, number][] = []) => ({
    subject,
    version,
    id,
    schema: '{}',
    references: refs.map(([s, n]) => ({ name: `${s}.json`, subject: s, version: n })),
  });
  it('qualified names', () => {
    expect(splitSubject(':.t:orders')).toEqual(['.t', 'orders']);
    expect(splitSubject(':.:orders')).toEqual(['.', 'orders']);
    expect(splitSubject('orders')).toEqual(['.', 'orders']);
    expect(qualify('.t', 'a')).toEqual(':.t:a');
    expect(qualify('.', 'a')).toEqual('a');
  });
  it('references first, in the referencing schema context; ids ascending within a wave', () => {
    const all = [
      v(':.t:order', 1, 5, [['addr', 1]]), // addr in .t, not the default context's
      v('addr', 1, 9),
      v(':.t:addr', 1, 7, [['country', 1]]),
      v(':.t:country', 1, 8),
      v('plain', 1, 1),
      v(':.t:x', 1, 2, [['gone', 1]]), // a reference outside the set adds no edge
    ];
    const order = waves(all).map((w) => w.map((x) => `${x.subject}@${x.version}`));
    expect(order).toEqual([['plain@1', ':.t:x@1', ':.t:country@1', 'addr@1'], [':.t:addr@1'], [':.t:order@1']]);
  });
  it('a cycle does not hang', () => {
    const order = waves([v('a', 1, 1, [['b', 1]]), v('b', 1, 2, [['a', 1]])]);
    expect(order.flat()).toHaveLength(2);
  });
});

describe('migrate lists every subject a page at a time', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `s-${String(i).padStart(6, '0')}`);
  /** A source answering GET /subjects: with paging (this registry, Confluent 7.x+) or ignoring offset/limit. */
  const source = (all: string[], paged: boolean) => {
    const calls: { offset?: number; limit?: number }[] = [];
    return {
      calls,
      listSubjects: (o: { offset?: number; limit?: number } = {}) => {
        calls.push({ offset: o.offset, limit: o.limit });
        return Promise.resolve(paged ? all.slice(o.offset ?? 0, (o.offset ?? 0) + (o.limit ?? all.length)) : all);
      },
    };
  };

  it('pages of 10,000 until a short page', async () => {
    const s = source(names(25_000), true);
    expect(await listAllSubjects(s)).toEqual(names(25_000));
    expect(s.calls).toEqual([0, 10_000, 20_000].map((offset) => ({ offset, limit: 10_000 })));
  });

  it('a source that ignores offset and limit is read once (or twice, when it holds exactly a page)', async () => {
    const small = source(names(3), false);
    expect(await listAllSubjects(small)).toEqual(names(3));
    expect(small.calls).toHaveLength(1);
    const exact = source(names(10_000), false);
    expect(await listAllSubjects(exact)).toEqual(names(10_000));
    expect(exact.calls).toHaveLength(2);
    const large = source(names(12_000), false);
    expect(await listAllSubjects(large)).toEqual(names(12_000));
    expect(large.calls).toHaveLength(2);
  });
});
