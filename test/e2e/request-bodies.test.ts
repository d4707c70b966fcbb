/**
 * Request bodies over real HTTP into the built Worker: one without a length (chunked), or with a
 * Content-Length beside Transfer-Encoding: chunked (the chunks win, RFC 9112 §6.3), is refused with
 * 413 once it passes the bound, as one with a Content-Length over it is (src/http/respond.ts
 * readText). Raw sockets, since fetch() cannot send both headers; the integration suite counts
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
 * POSTs `head` headers and then `chunks` chunks of 64 KiB of spaces (chunked framing when `chunked`),
 * stopping as soon as an answer arrives; resolves with the answer's status and body.
 */
function rawPost(path: string, head: string[], chunks: number, chunked: boolean): Promise<{ status: number; body: string }> {
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
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const send = async () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n${head.join('\r\n')}\r\n\r\n`,
      );
      for (let i = 0; i < chunks && !answered && !socket.destroyed; i++) {
        // Every part is queued whatever write() answers; false only asks to wait for the drain.
        const ok = chunked
          ? [socket.write(`${chunk.length.toString(16)}\r\n`), socket.write(chunk), socket.write('\r\n')].every(Boolean)
          : socket.write(chunk);
        if (!ok) await new Promise((drained) => socket.once('drain', drained));
      }
      if (!answered && !socket.destroyed && chunked) socket.write('0\r\n\r\n');
    };
    socket.on('connect', () => void send());
  });
}

const TOO_LARGE = { error_code: 413, message: 'Request body exceeds 1048576 bytes' };

describe('request bodies over HTTP', () => {
  it.each([
    ['chunked, no Content-Length', ['Transfer-Encoding: chunked'], true],
    ['chunked beside a Content-Length of 100', ['Content-Length: 100', 'Transfer-Encoding: chunked'], true],
  ])('%s: 8 MiB against a 1 MiB bound is refused with 413', async (_name, head, chunked) => {
    const answer = await rawPost('/subjects/big/versions', head, 128, chunked);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
  });

  it('a Content-Length over the bound is refused before the body is read', async () => {
    const answer = await rawPost('/subjects/big/versions', [`Content-Length: ${8 * 1024 * 1024}`], 128, false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
  });

  it('a chunked body under the bound registers', async () => {
    const body = JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Chunked', fields: [] }) });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(worker.url);
      const socket = connect(Number(url.port), url.hostname);
      let got = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        got += d;
        const end = got.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(got);
        if (end !== -1 && length && got.length - end - 4 >= Number(length[1])) {
          socket.destroy();
          resolve({ status: Number(got.slice(9, 12)), body: got.slice(end + 4) });
        }
      });
      socket.on('error', reject);
      socket.on('connect', () => {
        const half = body.length >> 1;
        socket.write(
          `POST /subjects/chunked-e2e/versions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
            `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\n\r\n`,
        );
      });
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ id: 1 });
  });
});
