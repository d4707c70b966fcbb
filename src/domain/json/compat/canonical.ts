/**
 * Structural equality of JSON values (enum/const values, defaults, subschema identity for the
 * duplicate collapsing in CombinedSchemaDiff). Object keys are sorted, so key order never matters,
 * as with everit's Schema.toString()/JSON equality. Bounded: the documents are already bounded in
 * size and depth by the parser (src/domain/json/limits.ts).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
