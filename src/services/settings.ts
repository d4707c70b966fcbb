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

/** Merge the chain field by field: a subject that sets only `normalize` still inherits the level. */
export async function effectiveConfig(reader: RegistryReader, context: string, subject: string): Promise<EffectiveConfig> {
  const bodies = await Promise.all(scopes(context, subject).map(([c, s]) => reader.config(c, s)));
  const merged: Record<string, unknown> = {};
  for (const body of bodies.reverse()) if (body) Object.assign(merged, body);
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
  if ((await reader.mode(DEFAULT_CONTEXT, '')) === 'READONLY_OVERRIDE') return 'READONLY_OVERRIDE';
  for (const [c, s] of scopes(context, subject)) {
    const mode = await reader.mode(c, s);
    if (mode) return mode as Mode;
  }
  return DEFAULT_MODE;
}
