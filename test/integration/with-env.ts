/** The Worker's fetch under other bindings (auth on, a denying limiter, ...), for configuration-dependent tests. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createFetch } from '../../src/app';
import type { Bindings } from '../../src/http/env';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** `vars` override the test bindings; AUTH_MODE is on ('') unless a test says otherwise. */
export function fetchWith(vars: Partial<Bindings> & Record<string, unknown>): Call {
  const handler = createFetch();
  return async (method, path, body, headers = {}) => {
    const ctx = createExecutionContext();
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await handler(new Request(`http://registry.test${path}`, init), { ...env, AUTH_MODE: '', ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // raw schema text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string) => ({ authorization: `Basic ${btoa(`${user}:${password}`)}` });
