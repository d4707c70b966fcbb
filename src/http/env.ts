/** The Hono environment: bindings from `wrangler types`, per-request services in Variables. */
import type { RegistryReader } from '../storage/registry-reader';
import type { CacheDeps } from '../storage/schema-cache';
import type { RegistryWriter } from '../durable/registry-writer';

export interface Services {
  /** Reads through a D1 session (Sessions API): echoes the client's bookmark for read-your-writes. */
  reader: RegistryReader;
  cache: CacheDeps;
  /** The context's single writer. */
  writer: (context: string) => DurableObjectStub<RegistryWriter>;
  /** Set by write handlers: the bookmark the writer's commit answered. */
  setBookmark: (b: string | null) => void;
  /** Confluent response profile: 7 (default) or 8. */
  profile: 7 | 8;
  requestId: string;
  role?: 'reader' | 'writer' | 'admin';
  /** A tenant credential's context: listings show only it (tenancy.ts). Undefined = every context. */
  scope?: string;
}

export type AppEnv = { Bindings: Env; Variables: Services };
