/**
 * From a client's schema request to a parsed schema with its identity: resolve references
 * (same context only, bounded), parse with the format, compute the identity hash. Parsed schemas
 * are cached by content in module scope: CPU is the scarce resource on Workers.
 */
import { ErrorCode, RegistryError } from '../domain/errors';
import type { ParsedSchema, ResolvedReference, SchemaReference, SchemaType } from '../domain/format';
import { formatFor } from '../domain/formats';
import { guidInput, uuidOf } from '../domain/guid';
import { sha256Hex } from '../domain/hex';
import { referenceTarget } from '../domain/naming';
import { type Contract, metadataIgnoringVersion } from '../domain/data-contract';
import type { StoredSchema, StoredVersion } from '../domain/entities';
import type { RegistryReader } from '../storage/registry-reader';
import { HEAP_PER_SCHEMA_CHAR } from '../domain/parsed-heap';
import { BoundedCache } from './bounded-cache';
import { renderingById } from './schema-cache';

/** Limits on one reference graph: deep chains and wide fan-out both cost storage reads. */
const MAX_REFERENCE_DEPTH = 16;
const MAX_REFERENCES = 256;

export interface SchemaInput {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
}

export interface PreparedSchema {
  schemaType: SchemaType;
  parsed: ParsedSchema;
  /** The text to store and return: canonical, or normalized when asked. */
  text: string;
  references: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
  hash: string;
  /** What `parsed` was parsed from: its type, the text as sent and its resolved references' texts (the parse cache's key). */
  parsedFrom: string;
}

/** Confluent's guid for this content (domain/guid.ts): MD5 (Workers' WebCrypto has it) as a UUID. */
export async function guidOf(p: Pick<PreparedSchema, 'text' | 'references' | 'metadata' | 'ruleSet'>): Promise<string> {
  const digest = await crypto.subtle.digest('MD5', guidInput(p.text, p.references, p.metadata, p.ruleSet));
  return uuidOf(new Uint8Array(digest));
}

/** How references are read: a subject's version, or its latest for -1. */
type ReferenceRead = (context: string, subject: string, version: number) => Promise<StoredVersion | null>;

const readFrom =
  (reader: RegistryReader): ReferenceRead =>
  (context, subject, version) =>
    version === -1 ? reader.latest(context, subject) : reader.version(context, subject, version);

/** Each version read once: a walk over many schemas that share references reads (and holds) each once. */
function readOnce(read: ReferenceRead): ReferenceRead {
  const seen = new Map<string, Promise<StoredVersion | null>>();
  return (context, subject, version) => {
    const key = `${context}\u0000${subject}\u0000${version}`;
    let found = seen.get(key);
    if (!found) seen.set(key, (found = read(context, subject, version)));
    return found;
  };
}

/** Resolve direct references into the closure the formats expect. Same-context only. */
async function resolveReferences(
  read: ReferenceRead,
  context: string,
  refs: SchemaReference[],
  budget = { left: MAX_REFERENCES },
  depth = 0,
): Promise<ResolvedReference[]> {
  if (depth > MAX_REFERENCE_DEPTH) throw new RegistryError(ErrorCode.INVALID_SCHEMA, `References nest deeper than ${MAX_REFERENCE_DEPTH} levels`);
  const out: ResolvedReference[] = [];
  for (const ref of refs) {
    if (--budget.left < 0) throw new RegistryError(ErrorCode.INVALID_SCHEMA, `Schema has more than ${MAX_REFERENCES} references`);
    const subject = referenceTarget(context, ref.subject);
    if (subject === null) {
      throw new RegistryError(ErrorCode.INVALID_SCHEMA, `Reference '${ref.name}' names subject '${ref.subject}' in another context`);
    }
    const version = await read(context, subject, ref.version);
    if (!version) {
      throw new RegistryError(
        ErrorCode.INVALID_SCHEMA,
        `Invalid schema: reference '${ref.name}' to subject '${ref.subject}' version ${ref.version} not found`,
      );
    }
    out.push({
      name: ref.name,
      subject: ref.subject,
      version: version.version,
      schema: version.schema,
      references: await resolveReferences(read, context, version.references, budget, depth + 1),
    });
  }
  return out;
}

/**
 * Parsed schemas by content, weighed by the heap they hold (HEAP_PER_SCHEMA_CHAR times the key,
 * which holds the text and its references' texts): 24 MB, about 3 MB of stored JSON Schema or
 * 1.5 MB of stored Avro text (a history being compared), or 500 KB of new schemas, beside the
 * validators' 24 MB (validators.ts) in an isolate's 128 MB.
 */
const parsedCache = new BoundedCache<Parse>(1000, 24 * 1024 * 1024);

/**
 * A cached parse, and the identity hashes of the schema it is on its own (no references, metadata
 * or rule set: what most producers send), canonical and normalized, once computed: a fleet
 * restarting re-registers or looks up the same text again and again, and a hash costs a
 * JSON.stringify of the whole text, its UTF-8 and a SHA-256: 11-27 µs of a warm re-registration
 * or lookup of the bench's schemas in workerd (docs/performance-log.md, stop 34).
 */
interface Parse {
  parsed: ParsedSchema;
  plainIdentity: { canonical?: string; normalized?: string };
  /** The SHA-256 of what it was parsed from (its key), once computed: parsedFromDigest. */
  digest?: string;
}

function cacheKey(type: SchemaType, text: string, refs: ResolvedReference[], isNew: boolean): string {
  const refKey = (r: ResolvedReference[]): string => r.map((x) => `${x.name}\u0001${x.schema}\u0002${refKey(x.references)}`).join('\u0003');
  return `${type}\u0000${isNew}\u0000${text}\u0000${refKey(refs)}`;
}

/** Parse through the format, memoized by content (parsed schemas are immutable). */
function parseCached(type: SchemaType, text: string, refs: ResolvedReference[], isNew = true): { parse: Parse; key: string } {
  const key = cacheKey(type, text, refs, isNew);
  const hit = parsedCache.get(key);
  if (hit) return { parse: hit, key };
  const parse: Parse = { parsed: formatFor(type).parse(text, refs, { isNew }), plainIdentity: {} };
  parsedCache.set(key, parse, key.length * (isNew ? HEAP_PER_SCHEMA_CHAR.compiled : HEAP_PER_SCHEMA_CHAR.parsed[type]));
  return { parse, key };
}

/**
 * The SHA-256 of what a prepared schema was parsed from (`parsedFrom`: the compatibility verdicts'
 * key, verdicts.ts), kept with its parse while that is cached: a CI pipeline checks the same
 * candidate on every build.
 */
export async function parsedFromDigest(p: Pick<PreparedSchema, 'parsedFrom'>): Promise<string> {
  const parse = parsedCache.get(p.parsedFrom);
  if (parse) return (parse.digest ??= await sha256Hex(p.parsedFrom));
  return sha256Hex(p.parsedFrom);
}

type Identity = Omit<PreparedSchema, 'hash' | 'parsed' | 'parsedFrom'>;

function identityText(s: Identity): string {
  return JSON.stringify([s.schemaType, s.text, s.references.map((r) => [r.name, r.subject, r.version]), s.metadata ?? null, s.ruleSet ?? null]);
}

/** Identity: same type, text, references, metadata and rules = same schema = same id. */
function identityOf(s: Identity): Promise<string> {
  return sha256Hex(identityText(s));
}

/** The same schema with the metadata and rule set it will be stored with (a new identity). */
export async function withContract(p: PreparedSchema, contract: Contract): Promise<PreparedSchema> {
  if (contract.metadata === p.metadata && contract.ruleSet === p.ruleSet) return p;
  const base: Identity = { schemaType: p.schemaType, text: p.text, references: p.references, metadata: contract.metadata, ruleSet: contract.ruleSet };
  return { ...base, parsed: p.parsed, parsedFrom: p.parsedFrom, hash: await identityOf(base) };
}

/** Confluent's canLookup: equal but for a `confluent:version` only one side carries. */
export function sameIgnoringConfluentVersion(p: PreparedSchema, v: StoredVersion): boolean {
  const pair = metadataIgnoringVersion(p.metadata, v.metadata, v.version);
  if (!pair) return false;
  const stored: Identity = { schemaType: v.schemaType, text: v.schema, references: v.references, metadata: pair[1], ruleSet: v.ruleSet };
  return identityText({ ...p, metadata: pair[0] }) === identityText(stored);
}

export async function prepareSchema(reader: RegistryReader, context: string, input: SchemaInput, normalize: boolean): Promise<PreparedSchema> {
  const schemaType = input.schemaType ?? 'AVRO';
  const resolved = await resolveReferences(readFrom(reader), context, input.references ?? []);
  const { parse, key } = parseCached(schemaType, input.schema, resolved);
  const { parsed } = parse;
  const references = resolved.map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
  const text = normalize ? parsed.normalized() : parsed.canonical;
  const base = { schemaType, text, references, metadata: input.metadata, ruleSet: input.ruleSet };
  // The parse (its key) decides the type and text; nothing else goes into a plain schema's identity.
  const plain = references.length === 0 && (input.metadata ?? null) === null && (input.ruleSet ?? null) === null;
  const form = normalize ? 'normalized' : 'canonical';
  const hash = plain ? (parse.plainIdentity[form] ??= await identityOf(base)) : await identityOf(base);
  return { ...base, parsed, parsedFrom: key, hash };
}

/** Parse a stored schema (history for compatibility checks, validators). */
export async function parseStored(reader: RegistryReader, stored: StoredSchema): Promise<ParsedSchema> {
  const [parse] = await storedParsers(reader, [stored]);
  return parse();
}

/**
 * parseStored for several schemas in two steps, for a walk that may stop early: their references
 * resolved together (the reads in parallel, each referenced version read once), each schema
 * parsed only when its parser is called.
 */
export async function storedParsers(reader: RegistryReader, stored: StoredSchema[]): Promise<(() => ParsedSchema)[]> {
  const read = readOnce(readFrom(reader));
  const resolved = await Promise.all(stored.map((s) => resolveReferences(read, s.context, s.references)));
  return stored.map((s, i) => () => parseCached(s.schemaType, s.schema, resolved[i], false).parse.parsed);
}

/** The schema text for a `?format=` query: the format's rendering, or the stored text (Confluent ignores unknown formats). */
export async function renderedText(reader: RegistryReader, stored: StoredSchema, format: string | undefined): Promise<string> {
  if (!format) return stored.schema;
  const fmt = formatFor(stored.schemaType);
  if (!fmt.formatted) return stored.schema;
  // Kept by id: a schema with references is parsed with them, which reads them from D1.
  return (await renderingById(reader, stored, format, async () => fmt.formatted?.(await parseStored(reader, stored), format))) ?? stored.schema;
}
