/** Confluent VersionId: "latest" or -1 for the latest version, else an integer in [1, 2^31-1]. */
import { errors } from './errors';

export type VersionId = number | 'latest';

export function parseVersionId(raw: string): VersionId {
  const v = raw.trim();
  if (v.toLowerCase() === 'latest' || v === '-1') return 'latest';
  if (!/^\d{1,10}$/.test(v)) throw errors.invalidVersion(raw);
  const n = Number(v);
  if (n < 1 || n > 2 ** 31 - 1) throw errors.invalidVersion(raw);
  return n;
}
