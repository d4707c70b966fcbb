/**
 * R2: the durable, content-addressed archive. Every schema body is written under its identity
 * hash before the D1 commit that makes it visible, so D1 can be rebuilt from R2 (docs/storage.md).
 */
import type { SchemaReference } from '../domain/format';

/** What the archive keeps of a schema (a prepared schema has all of it). */
export interface ArchivedSchema {
  hash: string;
  schemaType: string;
  text: string;
  references: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
}

function archiveKey(hash: string): string {
  return `schemas/${hash}.json`;
}

export async function archiveSchema(bucket: R2Bucket, context: string, s: ArchivedSchema): Promise<void> {
  // Content-addressed: rewriting the same key with the same body is harmless (idempotent retries).
  await bucket.put(
    archiveKey(s.hash),
    JSON.stringify({ context, schemaType: s.schemaType, schema: s.text, references: s.references, metadata: s.metadata, ruleSet: s.ruleSet }),
    { httpMetadata: { contentType: 'application/json' } },
  );
}
