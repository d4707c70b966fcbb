/**
 * Names that are Object.prototype members (`__proto__`, `constructor`, `prototype`, `toString`,
 * `hasOwnProperty`) as property, definition, reference, record, field, enum and message names.
 * Maps built from client input must keep them as plain keys: assigning "__proto__" to a fresh `{}`
 * sets its prototype (the key vanishes), and a lookup like `table[name]` finds inherited members.
 */
import { describe, expect, it } from 'vitest';
import { avroCompatibility, parseAvro } from '../../src/domain/avro';
import { bundleReferences } from '../../src/domain/json/bundle';
import { jsonSchemaCompatibility } from '../../src/domain/json/compat';
import { parseJsonSchema } from '../../src/domain/json/parse';
import { compileSchema } from '../../src/domain/json/validator';
import { EXPORT_TARGETS, exportSchema } from '../../src/domain/llm/export';
import { resolvePointer } from '../../src/domain/llm/pointer';
import { fromFileDescriptorProto, parseProtobuf, protobufCompatibility, protobufValidator, toFileDescriptorProto } from '../../src/domain/protobuf';

const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A document with `name` as a key, the way JSON.parse builds it (an own "__proto__" key). */
const doc = (template: unknown, name: string): any => JSON.parse(JSON.stringify(template).replaceAll('NAME', name));

/** Every local `$ref` in `root` resolves to an own member (never an Object.prototype one). */
function danglingRefs(root: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#') && resolvePointer(root, x) === undefined) out.push(x);
      else walk(x);
    }
  };
  walk(root);
  return out;
}

const ownKeys = (v: unknown): string[] => (v !== null && typeof v === 'object' ? Object.keys(v) : []);

describe.each(NAMES)('name %s', (name) => {
  it('bundling keeps properties, definitions and references of that name', () => {
    const root = doc(
      { type: 'object', properties: { NAME: { $ref: 'NAME.json' }, other: { $ref: 'NAME' } }, $defs: { NAME: { type: 'string' } } },
      name,
    );
    const referenced = new Map<string, unknown>([
      [`${name}.json`, doc({ type: 'object', properties: { NAME: { $ref: '#/$defs/NAME' } }, $defs: { NAME: { type: 'integer' } } }, name)],
      [name, { type: 'boolean' }],
    ]);
    const out = bundleReferences(root, referenced) as any;
    expect(ownKeys(out.properties)).toEqual([name, 'other']);
    expect(ownKeys(out.$defs)).toEqual([name, `${name}_2`, `${name}_3`]);
    expect(Object.getPrototypeOf(out.$defs)).toBe(Object.prototype);
    expect(ownKeys(out.$defs[`${name}_2`].properties)).toEqual([name]);
    expect(danglingRefs(out)).toEqual([]);
    expect(out.properties[name].$ref).toBe(`#/$defs/${name}_2`);
    expect(out.$defs[`${name}_2`].properties[name].$ref).toBe(`#/$defs/${name}_2/$defs/${name}`);
  });

  it.each(EXPORT_TARGETS.map((t) => [t]))('a reference of that name survives bundling into a %s export', (target) => {
    const root = doc({ type: 'object', properties: { NAME: { $ref: 'NAME' } }, required: ['NAME'] }, name);
    const bundled = bundleReferences(root, new Map([[name, { type: 'object', properties: { n: { type: 'number' } } }]]));
    const out = JSON.parse(JSON.stringify(exportSchema(target, { subject: 's', schema: bundled }).output));
    const exported =
      out.parameters ?? out.function?.parameters ?? out.json_schema?.schema ?? out.input_schema ?? out.inputSchema ?? out.responseJsonSchema;
    expect(ownKeys(exported.$defs)).toEqual([name]);
    expect(exported.properties[name]).toEqual({ $ref: `#/$defs/${name}` });
    expect(danglingRefs(exported)).toEqual([]);
  });

  it.each(EXPORT_TARGETS.flatMap((t) => [[t, false] as const, [t, true] as const]))(
    'export %s (fix %s) keeps the name and resolves every $ref',
    (target, fix) => {
      const schema = doc(
        {
          type: 'object',
          description: 'd',
          properties: { NAME: { $ref: '#/$defs/NAME' }, merged: { allOf: [{ type: 'object', properties: { NAME: { type: 'string' } } }] } },
          required: ['NAME', 'merged'],
          additionalProperties: false,
          $defs: { NAME: { type: 'object', properties: { NAME: { type: 'integer' } }, required: ['NAME'], additionalProperties: false } },
        },
        name,
      );
      const result = exportSchema(target, { subject: 's', schema, fix });
      const text = JSON.stringify(result.output);
      const out = JSON.parse(text);
      const exported =
        out.parameters ?? out.function?.parameters ?? out.json_schema?.schema ?? out.input_schema ?? out.inputSchema ?? out.responseJsonSchema;
      expect(ownKeys(exported.properties)).toContain(name);
      expect(ownKeys(exported.$defs)).toEqual([name]);
      expect(ownKeys(exported.$defs[name].properties)).toEqual([name]);
      expect(danglingRefs(exported)).toEqual([]);
      expect(result.findings.filter((f) => f.rule.startsWith('ref-'))).toEqual([]);
      if ((fix && target.startsWith('openai')) || (fix && target === 'gemini-response-schema')) {
        // the allOf is merged: the name is not "already there" through Object.prototype
        expect(exported.properties.merged.allOf).toBeUndefined();
        expect(ownKeys(exported.properties.merged.properties)).toEqual([name]);
      }
    },
  );

  it('JSON Schema validation, canonical form and compatibility treat it as a plain key', () => {
    const text = JSON.stringify(
      doc(
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { NAME: { $ref: '#/$defs/NAME' } },
          required: ['NAME'],
          additionalProperties: false,
          dependentRequired: { NAME: [] },
          $defs: { NAME: { type: 'string' } },
        },
        name,
      ),
    );
    const parsed = parseJsonSchema(text);
    expect(parsed.canonical).toBe(text);
    expect(parsed.normalized()).toContain(`"${name}"`);
    const v = compileSchema(parsed.root);
    expect(v.validate(doc({ NAME: 's' }, name)).valid).toBe(true);
    expect(v.validate(doc({ NAME: 1 }, name)).valid).toBe(false);
    expect(v.validate({}).valid).toBe(false); // required: the prototype's member does not count
    const changed = parseJsonSchema(text.replace('"type":"string"', '"type":"integer"'));
    expect(jsonSchemaCompatibility(changed, parsed, 'BACKWARD')).toEqual([
      `{errorType:"TYPE_CHANGED", description:"A type at path '#/properties/${name}' is different between the new schema and the old schema'}`,
    ]);
  });

  it('Avro record, field, enum and symbol names; an unknown logicalType of that name is ignored', () => {
    const text = (t: string) =>
      JSON.stringify({
        type: 'record',
        name,
        namespace: 'ns',
        fields: [
          { name, type: t },
          { name: 'e', type: { type: 'enum', name: `E${name}`, symbols: [name, 'B'] } },
          { name: 'l', type: { type: 'string', logicalType: name } },
        ],
      });
    const a = parseAvro(text('int'));
    expect(a.canonical).toBe(
      `{"type":"record","name":"${name}","namespace":"ns","fields":[{"name":"${name}","type":"int"},{"name":"e","type":{"type":"enum","name":"E${name}","symbols":["${name}","B"]}},{"name":"l","type":{"type":"string","logicalType":"${name}"}}]}`,
    );
    expect(a.resolved()).toBe(a.canonical);
    expect(a.normalized()).toContain(`{"type":"record","name":"${name}","namespace":"ns","fields":[{"name":"${name}","type":"int"}`);
    expect(a.name).toBe(`ns.${name}`);
    expect(avroCompatibility(parseAvro(text('string')), a, 'BACKWARD')).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: STRING not compatible with writer type: INT'}",
    ]);
  });

  it('Protobuf message, field and enum names: serialized descriptor, compatibility, JSON validation', () => {
    const text = (t: string) =>
      `syntax = "proto3";\npackage p;\nimport "google/protobuf/any.proto";\nmessage ${name} {\n  ${t} ${name} = 1;\n  E${name} e = 2;\n}\nenum E${name} {\n  V_${name} = 0;\n}\nmessage Holder {\n  ${name} h = 1;\n  map<string, ${name}> m = 2;\n  google.protobuf.Any any = 3;\n}\n`;
    const a = parseProtobuf(text('int32'), []);
    expect(a.messageNames).toEqual([`p.${name}`, 'p.Holder']);
    expect(a.canonical).toContain(`  ${name} h = 1;`);
    expect(a.normalized()).toContain(`.p.${name} h = 1;`);
    // the descriptor types the fields as messages, not as scalars found on Object.prototype
    const back = fromFileDescriptorProto(toFileDescriptorProto(a));
    expect(back).toContain(`  .p.${name} h = 1 [json_name = "h"];`);
    expect(back).toContain(`  .p.${name} value = 2 [json_name = "value"];`);
    expect(parseProtobuf(back, []).messageNames).toEqual([`p.${name}`, 'p.Holder', 'p.Holder.MEntry']);
    expect(protobufCompatibility(parseProtobuf(text('string'), []), a, 'BACKWARD')).toEqual([
      `{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/${name}/1' in the new schema does not match its kind in the old schema"}`,
    ]);
    const v = protobufValidator(a, 'p.Holder');
    expect(v.validate(doc({ h: { NAME: 5 }, m: { NAME: { NAME: 1 } } }, name))).toEqual({ valid: true, errors: [] });
    expect(v.validate(doc({ h: { NAME: 'x' } }, name)).valid).toBe(false);
    // an Any payload's keys are checked against the packed type: "__proto__" is a key like any other
    const any = v.validate(doc({ any: { '@type': 'type.googleapis.com/p.Holder', NAME: 1 } }, name));
    expect(any.errors.map((e) => `${e.keyword} ${e.instancePath}`)).toEqual([`unknownField /any/${name}`]);
  });
});
