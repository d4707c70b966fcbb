import { describe, expect, it } from 'vitest';
import { avroFormat, orderReferences, parseAvro } from '../../../src/domain/avro';
import { AvroParseError } from '../../../src/domain/avro/errors';
import { SchemaParseError } from '../../../src/domain/errors';
import type { ResolvedReference } from '../../../src/domain/format';

const canon = (text: string, refs: ResolvedReference[] = []) => avroFormat.parse(text, refs).canonical;
const detailOf = (text: string, refs: ResolvedReference[] = [], validateDefaults = true): string => {
  try {
    parseAvro(text, refs, { validateDefaults });
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e).toBeInstanceOf(AvroParseError);
    return (e as AvroParseError).detail;
  }
  throw new Error('expected a parse error');
};

describe('canonical string = Avro Java Schema.toString()', () => {
  it.each([
    ['bare primitive', '"string"', '"string"'],
    ['object primitive', '{"type":"string"}', '"string"'],
    ['object primitive with whitespace', ' { "type" : "int" } ', '"int"'],
    ['primitive with a property', '{"type":"string","avro.java.string":"String"}', '{"type":"string","avro.java.string":"String"}'],
    ['primitive drops reserved keys', '{"type":"long","name":"x","doc":"d","namespace":"n"}', '"long"'],
    ['logical type kept as property', '{"type":"int","logicalType":"date"}', '{"type":"int","logicalType":"date"}'],
    ['invalid logical type kept as property', '{"type":"string","logicalType":"date"}', '{"type":"string","logicalType":"date"}'],
    [
      'decimal',
      '{"logicalType":"decimal","type":"bytes","scale":2,"precision":4}',
      '{"type":"bytes","logicalType":"decimal","scale":2,"precision":4}',
    ],
    [
      'record key order and field key order',
      '{"fields":[{"type":"string","name":"f1","default":"x","doc":"fd","aliases":["g"],"order":"descending","p":1}],"name":"R","type":"record","doc":"rd","aliases":["Old"],"x":true}',
      '{"type":"record","name":"R","doc":"rd","fields":[{"name":"f1","type":"string","doc":"fd","default":"x","order":"descending","aliases":["g"],"p":1}],"x":true,"aliases":["Old"]}',
    ],
    [
      'ascending order omitted',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"ASCENDING"}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}',
    ],
    ['error type', '{"type":"error","name":"E","fields":[]}', '{"type":"error","name":"E","fields":[]}'],
    [
      'enum with default and props',
      '{"type":"enum","name":"Suit","symbols":["A","B"],"default":"B","doc":"d","z":[1,2.50]}',
      '{"type":"enum","name":"Suit","doc":"d","symbols":["A","B"],"default":"B","z":[1,2.5]}',
    ],
    ['fixed', '{"size":16,"type":"fixed","name":"md5","namespace":"org.x"}', '{"type":"fixed","name":"md5","namespace":"org.x","size":16}'],
    ['array', '{"type":"array","items":{"type":"int"},"extra":"e"}', '{"type":"array","items":"int","extra":"e"}'],
    ['map', '{"values":"long","type":"map"}', '{"type":"map","values":"long"}'],
    ['union', '["null",{"type":"string"},{"type":"array","items":"int"}]', '["null","string",{"type":"array","items":"int"}]'],
    [
      'full name splits into name and namespace',
      '{"type":"record","name":"a.b.R","fields":[]}',
      '{"type":"record","name":"R","namespace":"a.b","fields":[]}',
    ],
    [
      'nested types inherit the namespace and are not re-qualified',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","namespace":"n","symbols":["X"]}},{"name":"e2","type":"E"},{"name":"e3","type":"n.E"}]}',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},{"name":"e2","type":"E"},{"name":"e3","type":"E"}]}',
    ],
    [
      'other namespaces are written, and references to them qualified',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{"type":"fixed","name":"o.F","size":2}},{"name":"g","type":"o.F"}]}',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{"type":"fixed","name":"F","namespace":"o","size":2}},{"name":"g","type":"o.F"}]}',
    ],
    [
      'leaving a namespace writes namespace ""',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{"type":"record","name":"In","namespace":"","fields":[]}}]}',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{"type":"record","name":"In","namespace":"","fields":[]}}]}',
    ],
    [
      'recursive record prints by name',
      '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}',
      '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}',
    ],
    [
      '{"type": Name} refers to a defined type',
      '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["X"]}},{"name":"b","type":{"type":"E"}}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["X"]}},{"name":"b","type":"E"}]}',
    ],
    [
      'aliases printed relative to the namespace',
      '{"type":"record","name":"R","namespace":"n","aliases":["A","n.B","o.C"],"fields":[]}',
      '{"type":"record","name":"R","namespace":"n","fields":[],"aliases":["A","B","o.C"]}',
    ],
    [
      'default values keep Jackson number forms',
      '{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1},{"name":"e","type":"double","default":1.50},{"name":"f","type":"float","default":"2.5"},{"name":"g","type":"double","default":"NaN"}]}',
      '{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1},{"name":"e","type":"double","default":1.5},{"name":"f","type":"float","default":2.5},{"name":"g","type":"double","default":"NaN"}]}',
    ],
    [
      'string escaping like Jackson',
      '{"type":"record","name":"R","doc":"a\\u0001\\"b\\u00e9","fields":[]}',
      '{"type":"record","name":"R","doc":"a\\u0001\\"bé","fields":[]}',
    ],
    ['comments are allowed', '/* x */ {"type": "int"} // y', '"int"'],
    [
      'unicode letters in names',
      '{"type":"record","name":"Été","fields":[{"name":"ñ","type":"int"}]}',
      '{"type":"record","name":"Été","fields":[{"name":"ñ","type":"int"}]}',
    ],
    ['non-string namespace ignored', '{"type":"fixed","name":"F","namespace":5,"size":1}', '{"type":"fixed","name":"F","size":1}'],
    [
      'duplicate keys: last wins at the first position',
      '{"type":"enum","name":"E","symbols":["A"],"type":"enum","symbols":["B"]}',
      '{"type":"enum","name":"E","symbols":["B"]}',
    ],
    // Avro 1.11.1+ (AVRO-3374): a named type whose simple name is a type name keeps its namespace when referenced
    [
      'reference to a type named like a primitive keeps its namespace',
      '{"type":"record","name":"acme.Box","fields":[{"name":"inner","type":{"type":"record","name":"long","fields":[]}},{"name":"again","type":"acme.long"}]}',
      '{"type":"record","name":"Box","namespace":"acme","fields":[{"name":"inner","type":{"type":"record","name":"long","fields":[]}},{"name":"again","type":"acme.long"}]}',
    ],
    [
      'reference to a type named like a complex type keeps its namespace',
      '{"type":"record","name":"Shelf","namespace":"store","fields":[{"name":"x","type":{"type":"enum","name":"map","symbols":["K"]}},{"name":"y","type":["null","map"]}]}',
      '{"type":"record","name":"Shelf","namespace":"store","fields":[{"name":"x","type":{"type":"enum","name":"map","symbols":["K"]}},{"name":"y","type":["null","store.map"]}]}',
    ],
    [
      'alias named like a type keeps its namespace',
      '{"type":"fixed","name":"hw.Mac","aliases":["array","Addr"],"size":6}',
      '{"type":"fixed","name":"Mac","namespace":"hw","size":6,"aliases":["hw.array","Addr"]}',
    ],
    [
      'type name check is case-sensitive',
      '{"type":"record","name":"q.Top","fields":[{"name":"a","type":{"type":"fixed","name":"Bytes","size":2}},{"name":"b","type":"Bytes"}]}',
      '{"type":"record","name":"Top","namespace":"q","fields":[{"name":"a","type":{"type":"fixed","name":"Bytes","size":2}},{"name":"b","type":"Bytes"}]}',
    ],
    [
      'type named like a type without a namespace stays simple',
      '{"type":"record","name":"Top","fields":[{"name":"a","type":{"type":"fixed","name":"record","size":2}},{"name":"b","type":"record"}]}',
      '{"type":"record","name":"Top","fields":[{"name":"a","type":{"type":"fixed","name":"record","size":2}},{"name":"b","type":"record"}]}',
    ],
  ])('%s', (_name, input, expected) => {
    expect(canon(input)).toBe(expected);
  });

  it('two spellings of the same schema give the same canonical string', () => {
    const a =
      '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"string"}},{"name":"b","type":{"type":"array","items":{"type":"long"}}}]}';
    const b = `{
      "fields": [ {"type": "string", "name": "a"}, {"name": "b", "type": {"items": "long", "type": "array"}} ],
      "name": "R", "type": "record"
    }`;
    expect(canon(a)).toBe(canon(b));
  });

  it('exposes name, schema graph and resolved form', () => {
    const p = parseAvro('{"type":"record","name":"n.R","fields":[{"name":"a","type":"int"}]}');
    expect(p.type).toBe('AVRO');
    expect(p.name).toBe('n.R');
    expect(p.schema.type).toBe('record');
    expect(p.resolved()).toBe(p.canonical);
    expect(parseAvro('"int"').name).toBeNull();
  });

  it('logical types are resolved only when valid', () => {
    const lt = (t: string) => {
      const s = parseAvro(t).schema;
      return s.type === 'union' ? null : s.logicalType;
    };
    expect(lt('{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}')).toEqual({ name: 'decimal', precision: 4, scale: 2 });
    expect(lt('{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4}')).toEqual({ name: 'decimal', precision: 4, scale: 0 });
    expect(lt('{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":5}')).toBeNull();
    expect(lt('{"type":"bytes","logicalType":"decimal","precision":4,"scale":5}')).toBeNull();
    expect(lt('{"type":"bytes","logicalType":"decimal","precision":4.0}')).toBeNull();
    expect(lt('{"type":"bytes","logicalType":"decimal"}')).toBeNull();
    expect(lt('{"type":"string","logicalType":"uuid"}')).toEqual({ name: 'uuid' });
    expect(lt('{"type":"long","logicalType":"uuid"}')).toBeNull();
    expect(lt('{"type":"long","logicalType":"timestamp-micros"}')).toEqual({ name: 'timestamp-micros' });
    expect(lt('{"type":"long","logicalType":"local-timestamp-millis"}')).toEqual({ name: 'local-timestamp-millis' });
    expect(lt('{"type":"int","logicalType":"time-millis"}')).toEqual({ name: 'time-millis' });
    expect(lt('{"type":"int","logicalType":"date","java-class":"x"}')).toBeNull();
    expect(lt('{"type":"fixed","name":"D","size":12,"logicalType":"duration"}')).toBeNull();
  });
});

describe('invalid schemas -> SchemaParseError with Avro Java messages', () => {
  it.each([
    ['empty', '', 'Cannot parse <null> schema'],
    ['number', '1', 'Schema not yet supported: 1'],
    ['trailing content', '"int" "long"', 'dangling content after end of schema: "long"'],
    ['bad json', '{"type":', 'com.fasterxml.jackson.core.JsonParseException: Unexpected end-of-input'],
    ['undefined name', '"Foo"', 'Undefined name: "Foo"'],
    ['no type', '{"name":"x"}', 'No type: {"name":"x"}'],
    ['non-text type', '{"type":["int"]}', 'No type: {"type":["int"]}'],
    ['unknown type', '{"type":"decimal"}', 'Type not supported: decimal'],
    ['no name', '{"type":"record","fields":[]}', 'No name in schema: {"type":"record","fields":[]}'],
    ['no fields', '{"type":"record","name":"R"}', 'Record has no fields: {"type":"record","name":"R"}'],
    ['fields not array', '{"type":"record","name":"R","fields":{}}', 'Record has no fields: {"type":"record","name":"R","fields":{}}'],
    ['no field name', '{"type":"record","name":"R","fields":[{"type":"int"}]}', 'No field name: {"type":"int"}'],
    ['no field type', '{"type":"record","name":"R","fields":[{"name":"a"}]}', 'No field type: {"name":"a"}'],
    [
      'field type not defined',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}',
      '"Missing" is not a defined name. The type of the "a" field must be a defined name or a {"type": ...} expression.',
    ],
    ['bad record name', '{"type":"record","name":"1R","fields":[]}', 'Illegal initial character: 1R'],
    ['bad char in name', '{"type":"record","name":"a-b","fields":[]}', 'Illegal character in: a-b'],
    ['empty name', '{"type":"fixed","name":"","size":1}', 'Empty name'],
    ['bad field name', '{"type":"record","name":"R","fields":[{"name":"my field","type":"int"}]}', 'Illegal character in: my field'],
    [
      'duplicate field',
      '{"type":"record","name":"n.R","fields":[{"name":"a","type":"int"},{"name":"a","type":"string"}]}',
      'Duplicate field a in record n.R: a type:STRING pos:1 and a type:INT pos:0.',
    ],
    ['named after primitive', '{"type":"record","name":"int","fields":[]}', 'Schemas may not be named after primitives: int'],
    ['redefinition', '["null",{"type":"fixed","name":"F","size":1},{"type":"enum","name":"F","symbols":["A"]}]', "Can't redefine: F"],
    ['enum no symbols', '{"type":"enum","name":"E"}', 'Enum has no symbols: {"type":"enum","name":"E"}'],
    ['enum duplicate symbol', '{"type":"enum","name":"E","symbols":["A","B","A"]}', 'Duplicate enum symbol: A'],
    ['enum bad symbol', '{"type":"enum","name":"E","symbols":["A","b-c"]}', 'Illegal character in: b-c'],
    ['enum non-string symbol', '{"type":"enum","name":"E","symbols":["A",1]}', 'Null name'],
    [
      'enum default not a symbol',
      '{"type":"enum","name":"E","symbols":["A","B"],"default":"C"}',
      'The Enum Default: C is not in the enum symbol set: [A, B]',
    ],
    ['fixed without size', '{"type":"fixed","name":"F"}', 'Invalid or no size: {"type":"fixed","name":"F"}'],
    ['fixed size not int', '{"type":"fixed","name":"F","size":1.5}', 'Invalid or no size: {"type":"fixed","name":"F","size":1.5}'],
    ['fixed negative size', '{"type":"fixed","name":"F","size":-1}', 'Invalid fixed size: -1'],
    ['array without items', '{"type":"array"}', 'Array has no items type: {"type":"array"}'],
    ['map without values', '{"type":"map","value":"int"}', 'Map has no values type: {"type":"map","value":"int"}'],
    ['nested union', '["null",["int"]]', 'Nested union: ["null",["int"]]'],
    ['duplicate in union', '["int","string","int"]', 'Duplicate in union:int'],
    ['duplicate array in union', '[{"type":"array","items":"int"},{"type":"array","items":"long"}]', 'Duplicate in union:array'],
    [
      'aliases not array',
      '{"type":"fixed","name":"F","size":1,"aliases":"A"}',
      'aliases not an array: {"type":"fixed","name":"F","size":1,"aliases":"A"}',
    ],
    ['alias not string', '{"type":"fixed","name":"F","size":1,"aliases":[1]}', 'alias not a string: 1'],
    ['bad alias name', '{"type":"fixed","name":"F","size":1,"aliases":["a b"]}', 'Illegal character in: a b'],
    [
      'bad field order',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}',
      'No enum constant org.apache.avro.Schema.Field.Order.UP',
    ],
    ['non-text field order', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":1}]}', 'Field order is not a string: 1'],
    ['bad textual double default', '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":"x"}]}', 'For input string: "x"'],
    [
      'namespace from another scope is not searched',
      '{"type":"record","name":"n.R","fields":[{"name":"a","type":{"type":"record","name":"In","namespace":"","fields":[{"name":"b","type":"R"}]}}]}',
      '"R" is not a defined name.',
    ],
  ])('%s', (_name, input, message) => {
    expect(detailOf(input)).toContain(message);
  });

  it('the error message follows Confluent wording', () => {
    expect(() => avroFormat.parse('{"type":"enum","name":"E","symbols":["A","A"]}', [])).toThrow(
      'Invalid schema {"type":"enum","name":"E","symbols":["A","A"]} with refs [] of type AVRO, details: Duplicate enum symbol: A',
    );
    const ref: ResolvedReference = { name: 'x.Y', subject: 's', version: 2, schema: '"int"', references: [] };
    expect(() => avroFormat.parse('"Nope"', [ref])).toThrow(
      `Invalid schema "Nope" with refs [{name='x.Y', subject='s', version=2}] of type AVRO, details: Undefined name: "Nope"`,
    );
  });

  it('bounds nesting depth and size', () => {
    const deep = '['.repeat(300) + ']'.repeat(300);
    expect(detailOf(deep)).toContain('nesting depth');
    let nested = '"int"';
    for (let i = 0; i < 250; i++) nested = `{"type":"array","items":${nested}}`;
    expect(detailOf(nested)).toContain('nesting depth');
    const wide = '{"type":"record","name":"R","fields":[' + Array.from({ length: 50 }, (_, i) => `{"name":"f${i}","type":"int"}`).join(',') + ']}';
    expect(() => parseAvro(wide, [], { limits: { maxNodes: 10 } })).toThrow('Schema is too large');
  });
});

describe('default values (validateDefaults = true, as Confluent for new schemas)', () => {
  const rec = (type: string, def: string) => `{"type":"record","name":"R","fields":[{"name":"f","type":${type},"default":${def}}]}`;
  it.each([
    ['"int"', '1'],
    ['"int"', '-2147483648'],
    ['"long"', '9223372036854775807'],
    ['"float"', '1'],
    ['"double"', '1.5e300'],
    ['"double"', '"1.5"'],
    ['"boolean"', 'false'],
    ['"null"', 'null'],
    ['"string"', '"x"'],
    ['"bytes"', '"\\u00ff"'],
    ['{"type":"enum","name":"E","symbols":["A"]}', '"NOT_A_SYMBOL"'],
    ['{"type":"fixed","name":"F","size":4}', '"ab"'],
    ['{"type":"array","items":"int"}', '[1,2]'],
    ['{"type":"map","values":"string"}', '{"a":"b"}'],
    ['["null","string"]', 'null'],
    ['["string","null"]', '"x"'],
    ['{"type":"record","name":"In","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":2}]}', '{"a":1}'],
  ])('%s accepts %s', (type, def) => {
    expect(() => parseAvro(rec(type, def))).not.toThrow();
  });

  it.each([
    ['"int"', '2147483648', 'Invalid default for field f: 2147483648 not a "int"'],
    ['"int"', '1.0', 'Invalid default for field f: 1.0 not a "int"'],
    ['"long"', '9223372036854775808', 'not a "long"'],
    ['"int"', '"1"', 'Invalid default for field f: "1" not a "int"'],
    ['"string"', 'null', 'Invalid default for field f: null not a "string"'],
    ['"boolean"', '0', 'not a "boolean"'],
    ['"null"', '"null"', 'not a "null"'],
    ['["null","string"]', '"x"', 'Invalid default for field f: "x" not a ["null","string"]'],
    ['["string","null"]', 'null', 'Invalid default for field f: null not a ["string","null"]'],
    ['{"type":"array","items":"int"}', '["a"]', 'not a {"type":"array","items":"int"}'],
    ['{"type":"map","values":"int"}', '[]', 'not a {"type":"map","values":"int"}'],
    [
      '{"type":"record","name":"In","fields":[{"name":"a","type":"int"}]}',
      '{}',
      'Invalid default for field f: {} not a {"type":"record","name":"In","fields":[{"name":"a","type":"int"}]}',
    ],
  ])('%s rejects %s', (type, def, message) => {
    expect(detailOf(rec(type, def))).toContain(message);
  });

  it('does not validate defaults when asked not to (stored schemas)', () => {
    expect(() => parseAvro(rec('["null","string"]', '"null"'), [], { validateDefaults: false })).not.toThrow();
  });
});

describe('references', () => {
  const address: ResolvedReference = {
    name: 'com.acme.Address',
    subject: 'address-value',
    version: 1,
    schema:
      '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"},{"name":"country","type":{"type":"enum","name":"Country","symbols":["FR","DE"]}}]}',
    references: [],
  };
  const customer: ResolvedReference = {
    name: 'com.acme.Customer',
    subject: 'customer-value',
    version: 3,
    schema: '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}',
    references: [address],
  };

  it('uses referenced named types by name and does not inline them', () => {
    const p = avroFormat.parse(
      '{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"c","type":"Customer"},{"name":"ship","type":"com.acme.Address"}]}',
      [customer],
    );
    expect(p.canonical).toBe(
      '{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"c","type":"Customer"},{"name":"ship","type":"Address"}]}',
    );
    expect(p.references.map((r) => r.name)).toEqual(['com.acme.Address', 'com.acme.Customer']);
    expect(p.referenced.map((s) => (s.type === 'record' ? s.full : s.type))).toEqual(['com.acme.Address', 'com.acme.Customer']);
    expect(p.resolved()).toContain('"street"');
  });

  it('qualifies referenced names from another namespace', () => {
    expect(canon('{"type":"record","name":"o.Order","fields":[{"name":"a","type":"com.acme.Address"}]}', [address])).toBe(
      '{"type":"record","name":"Order","namespace":"o","fields":[{"name":"a","type":"com.acme.Address"}]}',
    );
  });

  it('inlines a nested type of a reference (only top-level types are known names, as in Confluent)', () => {
    expect(canon('{"type":"record","name":"com.acme.X","fields":[{"name":"c","type":"Country"}]}', [address])).toBe(
      '{"type":"record","name":"X","namespace":"com.acme","fields":[{"name":"c","type":{"type":"enum","name":"Country","symbols":["FR","DE"]}}]}',
    );
  });

  it('orders references depth-first, dependencies first, unique by name', () => {
    const shared: ResolvedReference = { name: 'S', subject: 's', version: 1, schema: '{"type":"fixed","name":"S","size":1}', references: [] };
    const a: ResolvedReference = {
      name: 'A',
      subject: 'a',
      version: 1,
      schema: '{"type":"record","name":"A","fields":[{"name":"s","type":"S"}]}',
      references: [shared],
    };
    const b: ResolvedReference = {
      name: 'B',
      subject: 'b',
      version: 1,
      schema: '{"type":"record","name":"B","fields":[{"name":"s","type":"S"}]}',
      references: [shared],
    };
    expect(orderReferences([a, b, a]).map((r) => r.name)).toEqual(['S', 'A', 'B']);
    expect(canon('{"type":"record","name":"M","fields":[{"name":"a","type":"A"},{"name":"b","type":"B"}]}', [a, b])).toBe(
      '{"type":"record","name":"M","fields":[{"name":"a","type":"A"},{"name":"b","type":"B"}]}',
    );
  });

  it('fails without the reference, and on an invalid reference', () => {
    expect(detailOf('{"type":"record","name":"M","fields":[{"name":"a","type":"A"}]}')).toContain('"A" is not a defined name');
    const bad: ResolvedReference = { name: 'Bad', subject: 'b', version: 1, schema: '{"type":"record"}', references: [] };
    expect(detailOf('"int"', [bad])).toBe('No type: {"type":"record"}'.replace('No type', 'No name in schema'));
  });

  it('bounds reference graphs', () => {
    let ref: ResolvedReference = { name: 'r0', subject: 's', version: 1, schema: '"int"', references: [] };
    for (let i = 1; i < 100; i++) ref = { name: `r${i}`, subject: 's', version: 1, schema: '"int"', references: [ref] };
    expect(detailOf('"int"', [ref])).toContain('References are nested more than');
  });
});

describe('normalized() = Confluent AvroSchema.normalize().canonicalString()', () => {
  it.each([
    ['primitive', '{"type":"string"}', '"string"'],
    ['props sorted recursively', '{"type":"string","b":{"y":1,"x":2},"a":1}', '{"type":"string","a":1,"b":{"x":2,"y":1}}'],
    [
      'record props, doc, aliases sorted and qualified',
      '{"type":"record","name":"R","namespace":"n","doc":"d","aliases":["Z","A"],"z":1,"a":2,"fields":[{"name":"f","type":"int","aliases":["y","b"],"p":1,"doc":""}]}',
      '{"type":"record","name":"R","namespace":"n","doc":"d","fields":[{"name":"f","type":"int","doc":"","aliases":["b","y"],"p":1}],"a":2,"z":1,"aliases":["A","Z"]}',
    ],
    ['empty doc of a named type dropped', '{"type":"enum","name":"E","doc":"","symbols":["A"]}', '{"type":"enum","name":"E","symbols":["A"]}'],
    [
      'defaults coerced by type: int literal for double becomes 1.0, float rounded',
      '{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1},{"name":"f","type":"float","default":0.1},{"name":"u","type":["null","int"],"default":null}]}',
      '{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1.0},{"name":"f","type":"float","default":0.1},{"name":"u","type":["null","int"],"default":null}]}',
    ],
    [
      'map default keys sorted',
      '{"type":"record","name":"R","fields":[{"name":"m","type":{"type":"map","values":"int"},"default":{"b":1,"a":2}}]}',
      '{"type":"record","name":"R","fields":[{"name":"m","type":{"type":"map","values":"int"},"default":{"a":2,"b":1}}]}',
    ],
    [
      'logical type attributes first for primitives',
      '{"type":"bytes","zz":1,"scale":2,"precision":4,"logicalType":"decimal"}',
      '{"type":"bytes","logicalType":"decimal","precision":4,"scale":2,"zz":1}',
    ],
    [
      'descending order kept',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"descending"}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"descending"}]}',
    ],
  ])('%s', (_name, input, expected) => {
    expect(avroFormat.parse(input, []).normalized()).toBe(expected);
  });

  it('differently ordered props normalize to the same string but keep distinct canonical strings', () => {
    const a = avroFormat.parse('{"type":"int","x":1,"y":2}', []);
    const b = avroFormat.parse('{"type":"int","y":2,"x":1}', []);
    expect(a.canonical).not.toBe(b.canonical);
    expect(a.normalized()).toBe(b.normalized());
  });

  it('keeps references by name', () => {
    const ref: ResolvedReference = { name: 'n.A', subject: 'a', version: 1, schema: '{"type":"fixed","name":"n.A","size":1}', references: [] };
    expect(avroFormat.parse('{"type":"record","name":"n.R","fields":[{"name":"a","type":"A"}]}', [ref]).normalized()).toBe(
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"A"}]}',
    );
  });
});

describe('hostile inputs stay bounded', () => {
  it('caps exponential default re-validation', () => {
    // each level has two fields of the previous level's type whose defaults are {} -> 2^n checks
    let prev = '{"type":"record","name":"L0","fields":[{"name":"x","type":"int","default":1}]}';
    for (let i = 1; i <= 30; i++) {
      prev = `{"type":"record","name":"L${i}","fields":[{"name":"a","type":${prev},"default":{}},{"name":"b","type":"L${i - 1}","default":{}}]}`;
    }
    expect(detailOf(prev)).toBe('Default value validation exceeded its work budget');
  });

  it('a moderately nested default is fine', () => {
    let prev = '{"type":"record","name":"L0","fields":[{"name":"x","type":"int","default":1}]}';
    for (let i = 1; i <= 8; i++) {
      prev = `{"type":"record","name":"L${i}","fields":[{"name":"a","type":${prev},"default":{}},{"name":"b","type":"L${i - 1}","default":{}}]}`;
    }
    expect(() => parseAvro(prev)).not.toThrow();
  });
});
