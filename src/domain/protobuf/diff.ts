import {
  mapTypes,
  SCALAR_TYPES,
  type EnumElement,
  type FieldElement,
  type Label,
  type MessageElement,
  type OneOfElement,
  type TypeElement,
} from './ast';
import { type CtxTypeInfo, DiffContext, mapTypeOf, type Difference, type PairResult } from './confluent-context';
import { JavaHashSet, javaMapKeys } from './java-order';
import type { LoadedFile } from './symbols';

/**
 * Port of Confluent's Protobuf compatibility diff (protobuf-provider,
 * io.confluent.kafka.schemaregistry.protobuf.diff: SchemaDiff, MessageSchemaDiff, OneOfDiff,
 * FieldSchemaDiff, EnumSchemaDiff, Difference). `original` is the writer's schema, `update` the
 * reader's. Messages and enums are matched by name per scope, fields and enum values by number.
 * Every Difference not in COMPATIBLE_CHANGES makes the pair incompatible.
 */

export const DIFFERENCE_TYPES = [
  'PACKAGE_CHANGED',
  'MESSAGE_ADDED',
  'MESSAGE_REMOVED',
  'MESSAGE_MOVED',
  'ENUM_ADDED',
  'ENUM_REMOVED',
  'ENUM_CONST_ADDED',
  'ENUM_CONST_CHANGED',
  'ENUM_CONST_REMOVED',
  'FIELD_ADDED',
  'FIELD_REMOVED',
  'FIELD_NAME_CHANGED',
  'FIELD_KIND_CHANGED',
  'FIELD_SCALAR_KIND_CHANGED',
  'FIELD_NAMED_TYPE_CHANGED',
  'FIELD_NUMERIC_LABEL_CHANGED',
  'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'REQUIRED_FIELD_ADDED',
  'REQUIRED_FIELD_REMOVED',
  'ONEOF_ADDED',
  'ONEOF_REMOVED',
  'ONEOF_FIELD_ADDED',
  'ONEOF_FIELD_REMOVED',
  'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
  'FIELD_MOVED_TO_EXISTING_ONEOF',
] as const;

type DifferenceType = (typeof DIFFERENCE_TYPES)[number];

export const COMPATIBLE_CHANGES: ReadonlySet<string> = new Set<DifferenceType>([
  'MESSAGE_ADDED',
  'MESSAGE_MOVED',
  'ENUM_ADDED',
  'ENUM_REMOVED',
  'ENUM_CONST_ADDED',
  'ENUM_CONST_CHANGED',
  'ENUM_CONST_REMOVED',
  'FIELD_ADDED',
  'FIELD_REMOVED',
  'FIELD_NAME_CHANGED',
  'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'ONEOF_ADDED',
  'ONEOF_REMOVED',
  'ONEOF_FIELD_ADDED',
]);

export interface DiffInput {
  root: LoadedFile;
  files: readonly LoadedFile[];
}

/** SchemaDiff.compare(original, update): every difference, compatible or not, in Confluent's order. */
export function compareSchemas(original: DiffInput, update: DiffInput): Difference[] {
  const ctx = new DiffContext(COMPATIBLE_CHANGES);
  ctx.collectTypeInfo(original.files, original.root, true);
  ctx.collectTypeInfo(update.files, update.root, false);
  if ((original.root.file.packageName ?? null) !== (update.root.file.packageName ?? null)) ctx.addDifference('PACKAGE_CHANGED');
  compareTypeElements(ctx, original.root.file.types, update.root.file.types);
  return ctx.diffs;
}

function index(types: TypeElement[]) {
  const messages = new Map<string, MessageElement>();
  const messageIndexes = new Map<string, number>();
  const enums = new Map<string, EnumElement>();
  let i = 0;
  for (const t of types) {
    if (t.kind === 'message') {
      messages.set(t.name, t);
      messageIndexes.set(t.name, i++);
    } else {
      enums.set(t.name, t);
    }
  }
  return { messages, messageIndexes, enums };
}

function compareTypeElements(ctx: DiffContext, original: TypeElement[], update: TypeElement[]): void {
  const o = index(original);
  const u = index(update);
  const allMessages = new JavaHashSet<string>(javaMapKeys(o.messages.keys()));
  allMessages.addAll(javaMapKeys(u.messages.keys()));
  const allEnums = new JavaHashSet<string>(javaMapKeys(o.enums.keys()));
  allEnums.addAll(javaMapKeys(u.enums.keys()));

  for (const name of allMessages.ordered()) {
    ctx.inName(name, () => {
      const om = o.messages.get(name);
      const um = u.messages.get(name);
      if (!um) {
        const t = ctx.getType(name, true);
        if (t && !t.isMap) ctx.addDifference('MESSAGE_REMOVED');
      } else if (!om) {
        const t = ctx.getType(name, false);
        if (t && !t.isMap) ctx.addDifference('MESSAGE_ADDED');
      } else {
        compareMessages(ctx, om, um);
        if (o.messageIndexes.get(name) !== u.messageIndexes.get(name)) ctx.addDifference('MESSAGE_MOVED');
      }
    });
  }
  for (const name of allEnums.ordered()) {
    ctx.inName(name, () => {
      const oe = o.enums.get(name);
      const ue = u.enums.get(name);
      if (!ue) ctx.addDifference('ENUM_REMOVED');
      else if (!oe) ctx.addDifference('ENUM_ADDED');
      else compareEnums(ctx, oe, ue);
    });
  }
}

function compareEnums(ctx: DiffContext, original: EnumElement, update: EnumElement): void {
  const ob = new Map<number, string>();
  for (const c of original.constants) ob.set(c.tag, c.name);
  const ub = new Map<number, string>();
  for (const c of update.constants) ub.set(c.tag, c.name);
  const all = new JavaHashSet<number>(javaMapKeys(ob.keys()));
  all.addAll(javaMapKeys(ub.keys()));
  for (const tag of all.ordered()) {
    ctx.inPath(String(tag), () => {
      const on = ob.get(tag);
      const un = ub.get(tag);
      if (un === undefined) ctx.addDifference('ENUM_CONST_REMOVED');
      else if (on === undefined) ctx.addDifference('ENUM_CONST_ADDED');
      else if (on !== un) ctx.addDifference('ENUM_CONST_CHANGED');
    });
  }
}

function byTag(fields: FieldElement[]): Map<number, FieldElement> {
  const m = new Map<number, FieldElement>();
  for (const f of fields) m.set(f.tag, f);
  return m;
}

/** MessageSchemaDiff.compare. */
function compareMessages(ctx: DiffContext, original: MessageElement, update: MessageElement): void {
  ctx.run.step();
  if (!ctx.schemas.has(original)) {
    ctx.schemas.add(original);
    try {
      compareMessageBody(ctx, original, update);
    } finally {
      ctx.schemas.delete(original);
    }
  } else {
    ctx.run.guardHits++;
  }
  compareTypeElements(ctx, original.nestedTypes, update.nestedTypes);
}

function compareMessageBody(ctx: DiffContext, original: MessageElement, update: MessageElement): void {
  const originalByTag = byTag(original.fields);
  const updateByTag = byTag(update.fields);
  // Every field by tag (plain and oneof members) and the oneof of each tag, to compare contents
  // when oneof membership changes (renamed oneof, field moved in or out of a oneof).
  const originalAllByTag = new Map(originalByTag);
  const updateAllByTag = new Map(updateByTag);
  const originalTagToOneOf = new Map<number, string>();
  const updateTagToOneOf = new Map<number, string>();
  const originalOneOfs = new Map<string, OneOfElement>();
  const updateOneOfs = new Map<string, OneOfElement>();
  const originalOneOfsByTag = new Map<number, FieldElement>();
  for (const oneOf of original.oneOfs) {
    originalOneOfs.set(oneOf.name, oneOf);
    for (const f of oneOf.fields) {
      originalOneOfsByTag.set(f.tag, f);
      originalAllByTag.set(f.tag, f);
      originalTagToOneOf.set(f.tag, oneOf.name);
    }
  }
  // Key order of originalByTag is fixed before the removals below (it is a HashMap).
  const originalTagOrder = javaMapKeys(originalByTag.keys());
  for (const oneOf of update.oneOfs) {
    updateOneOfs.set(oneOf.name, oneOf);
    ctx.inPath(oneOf.name, () => {
      let numMoved = 0;
      let numExisting = 0;
      for (const f of oneOf.fields) {
        updateAllByTag.set(f.tag, f);
        updateTagToOneOf.set(f.tag, oneOf.name);
        // A plain field moved into this oneof: not a FIELD_REMOVED.
        if (originalByTag.delete(f.tag)) numMoved++;
        else if (originalOneOfsByTag.has(f.tag)) numExisting++;
      }
      if (numMoved > 1) ctx.addDifference('MULTIPLE_FIELDS_MOVED_TO_ONEOF');
      else if (numMoved === 1 && numExisting > 0) ctx.addDifference('FIELD_MOVED_TO_EXISTING_ONEOF');
    });
  }

  const allOneOfs = new JavaHashSet<string>(javaMapKeys(originalOneOfs.keys()));
  allOneOfs.addAll(javaMapKeys(updateOneOfs.keys()));
  const updateTags = new Set(updateAllByTag.keys());
  for (const name of allOneOfs.ordered()) {
    ctx.inPath(name, () => {
      const oo = originalOneOfs.get(name);
      const uo = updateOneOfs.get(name);
      if (!uo) ctx.addDifference('ONEOF_REMOVED');
      else if (!oo) ctx.addDifference('ONEOF_ADDED');
      else compareOneOfs(ctx, oo, uo, updateTags);
    });
  }

  const allTags = new JavaHashSet<number>(originalTagOrder.filter((t) => originalByTag.has(t)));
  allTags.addAll(javaMapKeys(updateByTag.keys()));
  for (const tag of allTags.ordered()) {
    ctx.inPath(String(tag), () => {
      const of = originalByTag.get(tag);
      const uf = updateByTag.get(tag);
      if (of && uf) compareFields(ctx, of, uf);
      else if (of) ctx.addDifference(of.label === 'required' ? 'REQUIRED_FIELD_REMOVED' : 'FIELD_REMOVED');
      else if (uf) ctx.addDifference(uf.label === 'required' ? 'REQUIRED_FIELD_ADDED' : 'FIELD_ADDED');
    });
  }

  // Fields whose oneof membership changed, compared by tag in ascending order.
  const byTagAscending = [...originalAllByTag].sort(([a], [b]) => a - b);
  for (const [tag, of] of byTagAscending) {
    const uf = updateAllByTag.get(tag);
    if (!uf) continue;
    const on = originalTagToOneOf.get(tag);
    const un = updateTagToOneOf.get(tag);
    if ((on === undefined && un === undefined) || (on !== undefined && on === un)) continue;
    ctx.inPath(String(tag), () => {
      compareFields(ctx, of, uf);
    });
  }
}

/** OneOfDiff.compare: a member that left the oneof but still exists elsewhere was moved, not removed. */
function compareOneOfs(ctx: DiffContext, original: OneOfElement, update: OneOfElement, updateTags: Set<number>): void {
  const ob = byTag(original.fields);
  const ub = byTag(update.fields);
  const all = [...new Set([...ob.keys(), ...ub.keys()])].sort((a, b) => a - b);
  for (const tag of all) {
    ctx.inPath(String(tag), () => {
      const of = ob.get(tag);
      const uf = ub.get(tag);
      if (!uf) {
        if (!updateTags.has(tag)) ctx.addDifference('ONEOF_FIELD_REMOVED');
      } else if (!of) {
        ctx.addDifference('ONEOF_FIELD_ADDED');
      } else {
        compareFields(ctx, of, uf);
      }
    });
  }
}

type Kind = 'SCALAR' | 'MAP' | 'MESSAGE';

/** FieldSchemaDiff.compare. */
function compareFields(ctx: DiffContext, original: FieldElement, update: FieldElement): void {
  ctx.run.step();
  if (original.name !== update.name) ctx.addDifference('FIELD_NAME_CHANGED');
  compareLabelsAndTypes(ctx, original.label, update.label, original.type, update.type);
}

function compareLabelsAndTypes(ctx: DiffContext, ol: Label | null, ul: Label | null, ot: string, ut: string): void {
  const oi = ctx.getType(ot, true);
  if (oi && oi.isMap) ot = mapTypeOf(oi) ?? ot;
  const ui = ctx.getType(ut, false);
  if (ui && ui.isMap) ut = mapTypeOf(ui) ?? ut;
  const ok = kind(ctx, ot, true);
  const uk = kind(ctx, ut, false);
  if (ok !== uk) {
    ctx.addDifference('FIELD_KIND_CHANGED');
    return;
  }
  if (ok === 'SCALAR') compareScalars(ctx, ol, ul, ot, ut);
  else if (ok === 'MESSAGE') compareMessageTypes(ctx, ot, ut);
  else {
    // Both MAP: kind() says so only when mapTypes parses the type.
    const om = mapTypes(ot);
    const um = mapTypes(ut);
    if (om && um) {
      compareLabelsAndTypes(ctx, null, null, om.key, um.key);
      compareLabelsAndTypes(ctx, null, null, om.value, um.value);
    }
  }
}

function kind(ctx: DiffContext, type: string, isOriginal: boolean): Kind {
  if (SCALAR_TYPES.has(type)) return 'SCALAR';
  if (mapTypes(type)) return 'MAP';
  const info = ctx.getType(type, isOriginal);
  return info && info.type.kind === 'enum' ? 'SCALAR' : 'MESSAGE';
}

/** Wire-compatible groups (https://protobuf.dev/programming-guides/proto3/#updating). */
function scalarKind(ctx: DiffContext, type: string, isOriginal: boolean): string {
  const info = ctx.getType(type, isOriginal);
  if (info && info.type.kind === 'enum') return 'GENERAL_NUMBER';
  switch (type) {
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'bool':
      return 'GENERAL_NUMBER';
    case 'sint32':
    case 'sint64':
      return 'SIGNED_NUMBER';
    case 'string':
    case 'bytes':
      return 'STRING_OR_BYTES';
    case 'fixed32':
    case 'sfixed32':
      return 'FIXED32';
    case 'fixed64':
    case 'sfixed64':
      return 'FIXED64';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    default:
      return 'ANY';
  }
}

function compareScalars(ctx: DiffContext, ol: Label | null, ul: Label | null, ot: string, ut: string): void {
  const ok = scalarKind(ctx, ot, true);
  const uk = scalarKind(ctx, ut, false);
  if (ok !== uk) {
    ctx.addDifference('FIELD_SCALAR_KIND_CHANGED');
  } else if (ol !== null && ul !== null && ol !== ul) {
    ctx.addDifference(ok === 'STRING_OR_BYTES' ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED');
  }
}

function compareMessageTypes(ctx: DiffContext, ot: string, ut: string): void {
  const ofn = ctx.resolve(ot, true);
  const ufn = ctx.resolve(ut, false);
  // A resolved name always has a type (resolve ends by trying the name itself).
  const oi = ofn === null ? null : ctx.getType(ofn, true);
  const ui = ufn === null ? null : ctx.getType(ufn, false);
  if (ofn === null || ufn === null || oi === null || ui === null) {
    if (ot !== ut) ctx.addDifference('FIELD_NAMED_TYPE_CHANGED');
    return;
  }
  const local = (full: string, pkg: string): string => (full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : full);
  const ol = local(ofn, oi.packageName);
  const ul = local(ufn, ui.packageName);
  if (ol !== ul) {
    ctx.addDifference('FIELD_NAMED_TYPE_CHANGED');
    return;
  }
  const or = oi.ref;
  const ur = ui.ref;
  // Types from the schema itself, or from the same subject-version on both sides, were compared already.
  if (or === null || ur === null || or.subject !== ur.subject || or.version !== ur.version) {
    if (oi.type.kind !== 'message' || ui.type.kind !== 'message') return;
    const r = compareReferenced(ctx, oi, ui, ol);
    ctx.addAll(r.diffs);
    if (!r.compatible) ctx.addDifference('FIELD_NAMED_TYPE_CHANGED');
  }
}

/**
 * A referenced message pair, compared in a subcontext rooted at the type's own name, so its
 * differences do not depend on the field that led here. Memoized per pair: a referenced message
 * used by two fields at each of 30 levels is compared 30 times, not 2^30. The memo is exact
 * because a result is kept only if no message body was skipped while computing it: a skip (a
 * recursive type, Confluent's enterSchema guard) makes the result depend on the enclosing
 * comparisons, and any pair that can reach one of those would itself have met such a skip.
 */
function compareReferenced(ctx: DiffContext, oi: CtxTypeInfo, ui: CtxTypeInfo, local: string): PairResult {
  const o = oi.type as MessageElement;
  const u = ui.type as MessageElement;
  const run = ctx.run;
  // an original whose body is being compared above is skipped by compareMessages: no memo then
  const memoizable = !ctx.schemas.has(o);
  const known = memoizable ? run.memo.get(o)?.get(u) : undefined;
  if (known) return known;
  const hitsBefore = run.guardHits;
  const sub = ctx.subcontext();
  sub.setPackageName(oi.packageName, true);
  sub.setPackageName(ui.packageName, false);
  sub.setFullName(local);
  run.enter();
  try {
    compareMessages(sub, o, u);
  } finally {
    run.leave();
  }
  const result: PairResult = { diffs: sub.diffs, compatible: sub.isCompatible() };
  if (memoizable && run.guardHits === hitsBefore) {
    let byUpdate = run.memo.get(o);
    if (!byUpdate) run.memo.set(o, (byUpdate = new Map<MessageElement, PairResult>()));
    byUpdate.set(u, result);
  }
  return result;
}

/**
 * Confluent's Difference.toString() with its two `%s` filled in by the compatibility checker:
 * (reader, writer) = ("new", "old") for BACKWARD, ("old", "new") for FORWARD.
 */
export function describe(d: Difference, reader: string, writer: string): string {
  const p = d.path;
  let text = '';
  switch (d.type) {
    case 'PACKAGE_CHANGED':
      text = `The package at '${p}' in the ${reader} schema does not match the package in the ${writer} schema`;
      break;
    case 'MESSAGE_REMOVED':
      text = `The ${reader} schema is missing a MESSAGE type at path '${p}' in the ${writer} schema`;
      break;
    case 'FIELD_KIND_CHANGED':
      text = `The type of a field at path '${p}' in the ${reader} schema does not match the ${writer} schema`;
      break;
    case 'FIELD_SCALAR_KIND_CHANGED':
      text = `The kind of a SCALAR field at path '${p}' in the ${reader} schema does not match its kind in the ${writer} schema`;
      break;
    case 'FIELD_NAMED_TYPE_CHANGED':
      text = `The type of a MESSAGE field at path '${p}' in the ${reader} schema does not match its type in the ${writer} schema`;
      break;
    case 'FIELD_NUMERIC_LABEL_CHANGED':
      text = `The label for a NUMERIC field at path '${p}' in the ${reader} schema does not match its label in the ${writer} schema`;
      break;
    case 'REQUIRED_FIELD_ADDED':
      text = `A required field  at path '${p}' in the ${reader} schema is missing in the ${writer} schema`;
      break;
    case 'REQUIRED_FIELD_REMOVED':
      text = `The ${reader} schema is missing a required field at path: '${p}' in the ${writer} schema`;
      break;
    case 'ONEOF_FIELD_REMOVED':
      text = `The ${reader} schema is missing a oneof field at path '${p}' in the ${writer} schema`;
      break;
    case 'MULTIPLE_FIELDS_MOVED_TO_ONEOF':
      text = `Multiple fields in the oneof at path '${p}' in the ${reader} schema are outside a oneof in the ${writer} schema`;
      break;
    case 'FIELD_MOVED_TO_EXISTING_ONEOF':
      text = `A field in the oneof at path '${p}' in the ${reader} schema is outside an existing oneof in the ${writer} schema`;
      break;
  }
  return `{errorType:"${d.type}", description:"${text}"}`;
}
