import { SchemaParseError } from '../errors';
import { mapTypes, MAX_TAG, SCALAR_TYPES, type EnumElement, type FieldElement, type Loc, type MessageElement } from './ast';
import { allFields, allGroups, groupAsMessage, type LoadedFile, type TypeInfo } from './symbols';

/**
 * Semantic checks that protoc (descriptor.cc) applies and that Confluent enforces when it builds
 * descriptors for a registered schema. Messages use protoc's wording, prefixed with line:column.
 */

const fail = (at: Loc, message: string): never => {
  throw new SchemaParseError(`${at.line}:${at.col}: ${message}`);
};

const INT_KEYS = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string']);

export function checkFile(root: LoadedFile, resolved: Map<object, TypeInfo>): void {
  const file = root.file;
  const proto3 = file.syntax === 'proto3';
  const pkg = file.packageName ?? '';

  /** Sibling names in one scope (message, enum, field, oneof, enum value: C++ scoping). */
  const checkScope = (scope: string, names: { name: string; loc: Loc; what: string }[]): void => {
    const seen = new Map<string, { what: string }>();
    for (const n of names) {
      const prev = seen.get(n.name);
      if (prev) {
        const note =
          n.what === 'enum value' && prev.what === 'enum value'
            ? ' Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.'
            : '';
        fail(n.loc, `"${n.name}" is already defined in "${scope || 'the file scope'}".${note}`);
      }
      seen.set(n.name, n);
    }
  };

  const enumValueNames = (types: { kind: string; name: string }[]): { name: string; loc: Loc; what: string }[] =>
    (types.filter((t) => t.kind === 'enum') as EnumElement[]).flatMap((e) =>
      e.constants.map((c) => ({ name: c.name, loc: c.loc, what: 'enum value' })),
    );

  const checkEnum = (e: EnumElement, fullName: string): void => {
    if (e.constants.length === 0) fail(e.loc, `Enums must contain at least one value.`);
    if (proto3 && e.constants[0].tag !== 0) fail(e.constants[0].loc, `The first enum value must be zero for open enums.`);
    const allowAlias = e.options.some((o) => !o.parenthesized && o.name === 'allow_alias' && o.value === 'true');
    const byNumber = new Map<number, string>();
    let aliased = false;
    for (const c of e.constants) {
      const prev = byNumber.get(c.tag);
      if (prev !== undefined) {
        aliased = true;
        if (!allowAlias) {
          fail(
            c.loc,
            `"${fullName}.${c.name}" uses the same enum value as "${fullName}.${prev}". If this is intended, set 'option allow_alias = true;' to the enum definition.`,
          );
        }
      } else {
        byNumber.set(c.tag, c.name);
      }
    }
    if (allowAlias && !aliased) {
      fail(
        e.loc,
        `"${fullName}" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.`,
      );
    }
    checkReserved(
      e.reserveds,
      e.constants.map((c) => ({ name: c.name, tag: c.tag, loc: c.loc })),
      'Enum value',
      true,
    );
  };

  const checkReserved = (
    reserveds: MessageElement['reserveds'],
    members: { name: string; tag: number; loc: Loc }[],
    what: string,
    isEnum: boolean,
  ): void => {
    const ranges: [number, number, Loc][] = [];
    const names = new Set<string>();
    for (const r of reserveds) {
      for (const v of r.values) {
        if (typeof v === 'string') {
          if (names.has(v)) fail(r.loc, `Field name "${v}" is reserved multiple times.`);
          names.add(v);
          continue;
        }
        const [a, b] = typeof v === 'number' ? [v, v] : v;
        if (!isEnum && a < 1) fail(r.loc, `Reserved numbers must be positive integers.`);
        for (const [c, d] of ranges) {
          if (a <= d && c <= b) fail(r.loc, `Reserved range ${a} to ${b} overlaps with already-defined range ${c} to ${d}.`);
        }
        ranges.push([a, b, r.loc]);
      }
    }
    for (const m of members) {
      if (names.has(m.name)) fail(m.loc, `${what} name "${m.name}" is reserved.`);
      for (const [a, b] of ranges) {
        if (m.tag >= a && m.tag <= b) {
          fail(m.loc, isEnum ? `Enum value "${m.name}" uses reserved number ${m.tag}.` : `Field "${m.name}" uses reserved number ${m.tag}.`);
        }
      }
    }
  };

  const checkField = (f: FieldElement, owner: string, inOneof: boolean): void => {
    if (f.tag < 1) fail(f.loc, `Field numbers must be positive integers.`);
    if (f.tag > MAX_TAG) fail(f.loc, `Field numbers cannot be greater than ${MAX_TAG}.`);
    if (f.tag >= 19000 && f.tag <= 19999) {
      fail(f.loc, `Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.`);
    }
    const map = mapTypes(f.type);
    const target = resolved.get(f);
    if (map) {
      if (!INT_KEYS.has(map.key)) {
        fail(
          f.loc,
          SCALAR_TYPES.has(map.key) ? `Key in map fields cannot be float/double, bytes or message types.` : `Key in map fields cannot be enum types.`,
        );
      }
      if (inOneof) fail(f.loc, `Map fields are not allowed in oneofs.`);
    }
    if (f.defaultValue !== null) {
      if (proto3) fail(f.loc, `Explicit default values are not allowed in proto3.`);
      if (f.label === 'repeated') fail(f.loc, `Repeated fields can't have default values.`);
      if (target?.element.kind === 'message' || map) fail(f.loc, `Messages can't have default values.`);
      if (target?.element.kind === 'enum' && !target.element.constants.some((c) => c.name === f.defaultValue)) {
        fail(f.loc, `Enum type "${target.fullName}" has no value named "${f.defaultValue}".`);
      }
      if (!target) checkScalarDefault(f, f.defaultValue);
    }
    if (proto3 && !map && target?.element.kind === 'enum') {
      const enumFile = target.loaded.file;
      if (enumFile.syntax !== 'proto3' && enumFile.edition === null) {
        fail(f.loc, `Enum type "${target.fullName}" is not an open enum, but is used in "${owner}" which is a proto3 message type.`);
      }
    }
  };

  const checkMessage = (m: MessageElement, fullName: string): void => {
    const fields = allFields(m);
    const groups = allGroups(m);
    const numbered: { name: string; tag: number; loc: Loc }[] = [
      ...fields.map(({ field }) => ({ name: field.name, tag: field.tag, loc: field.loc })),
      ...groups.map((g) => ({ name: g.name.toLowerCase(), tag: g.tag, loc: g.loc })),
    ];
    checkScope(fullName, [
      ...numbered.map((n) => ({ ...n, what: 'field' })),
      ...m.oneOfs.map((o) => ({ name: o.name, loc: o.loc, what: 'oneof' })),
      ...m.nestedTypes.map((t) => ({ name: t.name, loc: t.loc, what: t.kind })),
      ...groups.map((g) => ({ name: g.name, loc: g.loc, what: 'message' })),
      ...enumValueNames(m.nestedTypes),
    ]);
    const byTag = new Map<number, string>();
    for (const n of numbered) {
      const prev = byTag.get(n.tag);
      if (prev !== undefined) fail(n.loc, `Field number ${n.tag} has already been used in "${fullName}" by field "${prev}".`);
      byTag.set(n.tag, n.name);
    }
    for (const { field, oneof } of fields) checkField(field, fullName, oneof !== null);
    for (const g of groups) {
      if (g.tag < 1 || g.tag > MAX_TAG) fail(g.loc, `Field numbers must be positive integers.`);
      checkMessage(groupAsMessage(g), `${fullName}.${g.name}`);
    }
    checkReserved(m.reserveds, numbered, 'Field', false);
    for (const ext of m.extensions) {
      for (const v of ext.values) {
        const [a, b] = typeof v === 'number' ? [v, v] : v;
        if (a < 1 || b > MAX_TAG) fail(ext.loc, `Extension numbers must be positive integers.`);
        for (const n of numbered) {
          if (n.tag >= a && n.tag <= b) fail(n.loc, `Extension range ${a} to ${b} includes field "${n.name}" (${n.tag}).`);
        }
      }
    }
    for (const e of m.extendDeclarations) for (const f of e.fields) checkExtensionField(f);
    for (const t of m.nestedTypes) {
      if (t.kind === 'message') checkMessage(t, `${fullName}.${t.name}`);
      else checkEnum(t, `${fullName}.${t.name}`);
    }
  };

  const checkExtensionField = (f: FieldElement): void => {
    if (f.tag < 1 || f.tag > MAX_TAG) fail(f.loc, `Field numbers must be positive integers.`);
  };

  checkScope(pkg, [
    ...file.types.map((t) => ({ name: t.name, loc: t.loc, what: t.kind })),
    ...file.services.map((s) => ({ name: s.name, loc: s.loc, what: 'service' })),
    ...enumValueNames(file.types),
  ]);
  for (const t of file.types) {
    const fullName = pkg ? `${pkg}.${t.name}` : t.name;
    if (t.kind === 'message') checkMessage(t, fullName);
    else checkEnum(t, fullName);
  }
  for (const e of file.extendDeclarations) for (const f of e.fields) checkExtensionField(f);
  for (const s of file.services) {
    const seen = new Set<string>();
    for (const rpc of s.rpcs) {
      if (seen.has(rpc.name)) fail(rpc.loc, `"${rpc.name}" is already defined in "${pkg ? `${pkg}.` : ''}${s.name}".`);
      seen.add(rpc.name);
    }
  }
}

function checkScalarDefault(f: FieldElement, v: string): void {
  const t = f.type;
  const bad = (): never => fail(f.loc, `Invalid default value for field "${f.name}" of type ${t}: ${v}`);
  if (t === 'bool') {
    if (v !== 'true' && v !== 'false') bad();
  } else if (t === 'float' || t === 'double') {
    if (!/^-?(inf|nan|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|\.[0-9]+([eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F]+)$/i.test(v)) bad();
  } else if (t !== 'string' && t !== 'bytes') {
    if (!/^-?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(v)) bad();
    if (t.startsWith('u') || t.startsWith('fixed')) {
      if (v.startsWith('-')) bad();
    }
  }
}
