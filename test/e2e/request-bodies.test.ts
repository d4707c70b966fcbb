/**
 * Request bodies over real HTTP into the built Worker: one without a length (chunked), or with a
 * Content-Length beside Transfer-Encoding: chunked (the chunks win, RFC 9112 §6.3), is refused with
 * 413 once it passes the bound, as one with a Content-Length over it is (src/http/respond.ts
 * readText), and one framed by its Content-Length is decoded as UTF-8 by the runtime. Raw sockets,
 * since fetch() cannot send both headers; the integration suite counts
 * what the Worker reads (test/integration/errors.test.ts).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

/**
 * POSTs `head` headers and then the body's `parts` as they are (the caller frames them), stopping
 * as soon as an answer arrives; resolves with the answer's status and body.
 */
function rawPost(path: string, head: string[], parts: Iterable<string | Buffer>): Promise<{ status: number; body: string }> {
  const url = new URL(worker.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let got = '';
    let answered = false;
    const done = () => {
      const end = got.indexOf('\r\n\r\n');
      if (end === -1) return false;
      const length = /content-length: (\d+)/i.exec(got.slice(0, end));
      if (!length || got.length - end - 4 < Number(length[1])) return false;
      answered = true;
      socket.destroy();
      resolve({ status: Number(got.slice(9, 12)), body: got.slice(end + 4, end + 4 + Number(length[1])) });
      return true;
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
      done();
    });
    socket.on('error', (e) => {
      if (!answered && !done()) reject(e);
    });
    socket.on('close', () => {
      if (!answered && !done()) reject(new Error(`closed without a whole answer: ${JSON.stringify(got.slice(0, 200))}`));
    });
    const send = async () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n${head.join('\r\n')}\r\n\r\n`,
      );
      for (const part of parts) {
        if (answered || socket.destroyed) return;
        // write() queues the part whatever it answers; false only asks to wait for the drain.
        if (!socket.write(part)) await new Promise((drained) => socket.once('drain', drained));
      }
    };
    socket.on('connect', () => void send());
  });
}

/** `body` in chunked framing, one chunk per part, and the last chunk. */
function* chunked(parts: Iterable<string | Buffer>): Generator<string | Buffer> {
  for (const part of parts) {
    yield `${Buffer.byteLength(part).toString(16)}\r\n`;
    yield part;
    yield '\r\n';
  }
  yield '0\r\n\r\n';
}

/** 8 MiB of spaces in 64 KiB parts: eight times the 1 MiB bound. */
function* eightMiB(): Generator<Buffer> {
  const part = Buffer.alloc(64 * 1024, 0x20);
  for (let i = 0; i < 128; i++) yield part;
}

const TOO_LARGE = { error_code: 413, message: 'Request body exceeds 1048576 bytes' };

describe('request bodies over HTTP', () => {
  it.each([
    ['chunked, no Content-Length', ['Transfer-Encoding: chunked']],
    ['chunked beside a Content-Length of 100', ['Content-Length: 100', 'Transfer-Encoding: chunked']],
  ])('%s: 8 MiB against a 1 MiB bound is refused with 413', async (_name, head) => {
    const answer = await rawPost('/subjects/big/versions', head, chunked(eightMiB()));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
  });

  it('a Content-Length over the bound is refused before the body is read', async () => {
    const answer = await rawPost('/subjects/big/versions', [`Content-Length: ${8 * 1024 * 1024}`], eightMiB());
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
  });

  it('a chunked body under the bound registers', async () => {
    const body = JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Chunked', fields: [] }) });
    const half = body.length >> 1;
    const answer = await rawPost('/subjects/chunked-e2e/versions', ['Transfer-Encoding: chunked'], chunked([body.slice(0, half), body.slice(half)]));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ id: 1 });
  });

  it('a body framed by its Content-Length is decoded as UTF-8, a bad byte as U+FFFD', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'Framed', doc: 'café crème', fields: [] });
    const body = Buffer.from(JSON.stringify({ schema }), 'utf8');
    body[body.indexOf(0x20)] = 0xff; // the space of "café crème": not UTF-8
    const answer = await rawPost('/subjects/framed-e2e/versions', [`Content-Length: ${body.byteLength}`], [body]);
    expect(answer.status).toBe(200);
    const { id } = JSON.parse(answer.body) as { id: number };
    const stored = (await (await fetch(`${worker.url}/schemas/ids/${id}`)).json()) as { schema: string };
    expect((JSON.parse(stored.schema) as { doc: string }).doc).toBe('café\uFFFDcrème');
  });
});
