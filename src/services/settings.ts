/**
 * Effective config and mode: subject -> context ('' subject) -> global (default context) -> default.
 * Confluent resolves the same chain (subject, then `:.ctx:` context config, then __GLOBAL).
 */
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY, isCompatibilityLevel } from '../domain/compatibility';
import type { ContractConfig } from '../domain/data-contract';
import { DEFAULT_CONTEXT } from '../domain/naming';
import type { Query, RegistryReader } from '../storage/registry-reader';

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];
const DEFAULT_MODE: Mode = 'READWRITE';

export interface EffectiveConfig {
  compatibilityLevel: CompatibilityLevel;
  normalize: boolean;
  compatibilityPolicy: 'STRICT' | 'LENIENT';
  /** The raw body of the most specific scope that was set, for GET answers. */
  body: Record<string, unknown>;
  /**
   * Defaults, overrides and the compatibility group, from the FIRST scope that has a config
   * (subject, then context, then global), as Confluent's getConfigInScope hands over one Config
   * object: they are not merged field by field across scopes.
   */
  contract: ContractConfig;
}

function contractOf(body: Record<string, unknown> | undefined): ContractConfig {
  if (!body) return {};
  const { defaultMetadata, overrideMetadata, defaultRuleSet, overrideRuleSet, compatibilityGroup } = body;
  return {
    ...(defaultMetadata != null ? { defaultMetadata } : {}),
    ...(overrideMetadata != null ? { overrideMetadata } : {}),
    ...(defaultRuleSet != null ? { defaultRuleSet } : {}),
    ...(overrideRuleSet != null ? { overrideRuleSet } : {}),
    ...(typeof compatibilityGroup === 'string' ? { compatibilityGroup } : {}),
  };
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
export function configQuery(reader: RegistryReader, context: string, subject: string): Query<EffectiveConfig> {
  const chain = scopes(context, subject);
  const q = reader.configsAt(chain);
  return { statement: q.statement, decode: (rows) => effectiveOf(chain, q.decode(rows)) };
}

function effectiveOf(chain: [string, string][], set: Map<string, Record<string, unknown>>): EffectiveConfig {
  const merged: Record<string, unknown> = {};
  for (const scope of [...chain].reverse()) Object.assign(merged, set.get(keyOf(scope)));
  const level = isCompatibilityLevel(merged.compatibilityLevel) ? merged.compatibilityLevel : DEFAULT_COMPATIBILITY;
  return {
    compatibilityLevel: level,
    normalize: merged.normalize === true,
    compatibilityPolicy: merged.compatibilityPolicy === 'LENIENT' ? 'LENIENT' : 'STRICT',
    body: { ...merged, compatibilityLevel: level },
    contract: contractOf(chain.map((scope) => set.get(keyOf(scope))).find(Boolean)),
  };
}

/**
 * configQuery's answer and the config set at exactly (context, subject), from the same rows (the
 * chain starts at that scope): GET /config's two answers in one statement.
 */
export function configAnswerQuery(
  reader: RegistryReader,
  context: string,
  subject: string,
): Query<{ own: Record<string, unknown> | undefined; effective: EffectiveConfig }> {
  const chain = scopes(context, subject);
  const q = reader.configsAt(chain);
  return {
    statement: q.statement,
    decode: (rows) => {
      const set = q.decode(rows);
      return { own: set.get(keyOf([context, subject])), effective: effectiveOf(chain, set) };
    },
  };
}

/** READONLY_OVERRIDE at the global scope wins over every subject mode (Confluent getModeInScope). */
export function modeQuery(reader: RegistryReader, context: string, subject: string): Query<Mode> {
  const q = modesQuery(reader, context, [subject]);
  return { statement: q.statement, decode: (rows) => q.decode(rows)[0] };
}

/** Every scope of these subjects' chains once (the context's and the global scope are shared). */
function unionOf(chains: [string, string][][]): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const chain of chains) for (const scope of chain) seen.set(keyOf(scope), scope);
  return [...seen.values()];
}

/** configQuery for several subjects of one context in one statement: their effective configs, in order. */
export function configsQuery(reader: RegistryReader, context: string, subjects: string[]): Query<EffectiveConfig[]> {
  const chains = subjects.map((s) => scopes(context, s));
  const q = reader.configsAt(unionOf(chains));
  return {
    statement: q.statement,
    decode: (rows) => {
      const set = q.decode(rows);
      return chains.map((chain) => effectiveOf(chain, set));
    },
  };
}

const GLOBAL_SCOPE: [string, string] = [DEFAULT_CONTEXT, ''];

/** The effective mode down a chain, from the modes set at its scopes and the global one. */
function modeIn(chain: [string, string][], set: Map<string, string>): Mode {
  if (set.get(keyOf(GLOBAL_SCOPE)) === 'READONLY_OVERRIDE') return 'READONLY_OVERRIDE';
  const found = chain.map((scope) => set.get(keyOf(scope))).find(Boolean);
  return (found as Mode | undefined) ?? DEFAULT_MODE;
}

/** modeQuery for several subjects of one context in one statement: their effective modes, in order. */
export function modesQuery(reader: RegistryReader, context: string, subjects: string[]): Query<Mode[]> {
  const chains = subjects.map((s) => scopes(context, s));
  const q = reader.modesAt(unionOf([...chains, [GLOBAL_SCOPE]]));
  return {
    statement: q.statement,
    decode: (rows) => {
      const set = q.decode(rows);
      return chains.map((chain) => modeIn(chain, set));
    },
  };
}

/** modeQuery's answer and the mode set at exactly (context, subject), from the same rows: GET /mode's two answers in one statement. */
export function modeAnswerQuery(reader: RegistryReader, context: string, subject: string): Query<{ own: string | undefined; effective: Mode }> {
  const chain = scopes(context, subject);
  const q = reader.modesAt(unionOf([chain, [GLOBAL_SCOPE]]));
  return {
    statement: q.statement,
    decode: (rows) => {
      const set = q.decode(rows);
      return { own: set.get(keyOf([context, subject])), effective: modeIn(chain, set) };
    },
  };
}

export async function effectiveConfig(reader: RegistryReader, context: string, subject: string): Promise<EffectiveConfig> {
  const [config] = await reader.all(configQuery(reader, context, subject));
  return config;
}

export async function effectiveMode(reader: RegistryReader, context: string, subject: string): Promise<Mode> {
  const [mode] = await reader.all(modeQuery(reader, context, subject));
  return mode;
}
