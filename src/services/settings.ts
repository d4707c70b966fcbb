/**
 * Effective config and mode: subject -> context ('' subject) -> global (default context) -> default.
 * Confluent resolves the same chain (subject, then `:.ctx:` context config, then __GLOBAL).
 */
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY, isCompatibilityLevel } from '../domain/compatibility';
import { DEFAULT_CONTEXT } from '../domain/naming';
import type { RegistryReader } from '../storage/registry-reader';

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'READWRITE';

export interface EffectiveConfig {
  compatibilityLevel: CompatibilityLevel;
  normalize: boolean;
  compatibilityPolicy: 'STRICT' | 'LENIENT';
  /** The raw body of the most specific scope that was set, for GET answers. */
  body: Record<string, unknown>;
}

function scopes(context: string, subject: string): [string, string][] {
  const chain: [string, string][] = [];
  if (subject) chain.push([context, subject]);
  chain.push([context, '']);
  if (context !== DEFAULT_CONTEXT) chain.push([DEFAULT_CONTEXT, '']);
  return chain;
}

const keyOf = ([c, s]: [string, string]) => `${c}\u0000${s}`;

/** Merge the chain field by field: a subject that sets only `normalize` still inherits the level. */
export async function effectiveConfig(reader: RegistryReader, context: string, subject: string): Promise<EffectiveConfig> {
  const chain = scopes(context, subject);
  const set = await reader.configsAt(chain);
  const merged: Record<string, unknown> = {};
  for (const scope of chain.reverse()) Object.assign(merged, set.get(keyOf(scope)));
  const level = merged.compatibilityLevel;
  return {
    compatibilityLevel: isCompatibilityLevel(level) ? level : DEFAULT_COMPATIBILITY,
    normalize: merged.normalize === true,
    compatibilityPolicy: merged.compatibilityPolicy === 'LENIENT' ? 'LENIENT' : 'STRICT',
    body: { ...merged, compatibilityLevel: isCompatibilityLevel(level) ? level : DEFAULT_COMPATIBILITY },
  };
}

/** READONLY_OVERRIDE at the global scope wins over every subject mode (Confluent getModeInScope). */
export async function effectiveMode(reader: RegistryReader, context: string, subject: string): Promise<Mode> {
  const chain = scopes(context, subject);
  const global: [string, string] = [DEFAULT_CONTEXT, ''];
  const set = await reader.modesAt([...chain, global]);
  if (set.get(keyOf(global)) === 'READONLY_OVERRIDE') return 'READONLY_OVERRIDE';
  for (const scope of chain) {
    const mode = set.get(keyOf(scope));
    if (mode) return mode as Mode;
  }
  return DEFAULT_MODE;
}
