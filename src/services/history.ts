/**
 * The schema texts a decision needs from a subject's history. A history (VersionHead) carries the
 * latest live version's text only; the few others a decision compares or parses are read here, by
 * id, in one round trip, so a subject of 1,000 versions does not read 1,000 schemas per request.
 */
import type { StoredVersion, VersionHead } from '../domain/entities';
import type { RegistryReader } from '../storage/registry-reader';

/** These versions with their texts: those they lack read in one query per context (one, in practice). */
export async function withTexts(reader: RegistryReader, heads: VersionHead[]): Promise<StoredVersion[]> {
  const lacking = new Map<string, number[]>();
  for (const v of heads) if (v.schema === undefined) lacking.set(v.context, [...(lacking.get(v.context) ?? []), v.id]);
  const texts = new Map<string, Map<number, string>>();
  for (const [context, ids] of lacking) texts.set(context, await reader.schemaTexts(context, [...new Set(ids)]));
  return heads.map((v) => {
    if (v.schema !== undefined) return v;
    const text = texts.get(v.context)?.get(v.id);
    // schema rows are never deleted (ids outlive hard deletes): a missing one is a broken store
    if (text === undefined) throw new Error(`schema ${v.id} of context ${v.context} has no row`);
    return withText(v, text);
  });
}

/** A version with its text, known some other way (an identity match: the texts are equal). */
export function withText(v: VersionHead, text: string): StoredVersion {
  if (v.schema !== undefined) return v;
  const { bytes: _bytes, schema: _none, ...rest } = v;
  return { ...rest, schema: text };
}

/** A text's size as a history row gives it (SQLite's length of the text cast to a BLOB). */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
