import { SchemaParseError } from '../errors';
import type { ResolvedReference } from '../format';
import { mapTypes, SCALAR_TYPES, type FieldElement, type Loc, type MessageElement, type ProtoFile } from './ast';
import { checkFile } from './checks';
import { PROTOBUF_LIMITS } from './limits';
import { parseProto } from './parser';
import { allFields, allGroups, groupAsMessage, SymbolTable, type LoadedFile, type TypeInfo } from './symbols';
import { BUNDLED_PROTOS } from './wellknown';

/**
 * Loads a schema with its imports into one symbol table and resolves every type reference.
 * Imports resolve, in order, to: a registered reference whose `name` is the import path, then a
 * bundled file (wellknown/). A missing import is tolerated as long as nothing uses its types
 * (Confluent/Wire parse without loading imports; protoc would reject the file).
 */

const MAX_FILES = PROTOBUF_LIMITS.maxFiles;
const MAX_REFERENCE_DEPTH = PROTOBUF_LIMITS.maxReferenceDepth;

export interface Linked {
  root: LoadedFile;
  symbols: SymbolTable;
  /** Resolved full name (no leading dot) of each message/enum-typed field, map value, rpc type. */
  resolved: Map<object, TypeInfo>;
}

export function link(text: string, references: ResolvedReference[]): Linked {
  const rootFile = parseProto(text);
  const symbols = new SymbolTable();
  // Flatten the reference graph by name (first wins): Confluent resolves imports by name over
  // the schema's references with their references already resolved.
  const byName = new Map<string, ResolvedReference>();
  const collect = (refs: ResolvedReference[], depth: number): void => {
    if (depth > MAX_REFERENCE_DEPTH) throw new SchemaParseError(`References nested deeper than ${MAX_REFERENCE_DEPTH} levels`);
    for (const r of refs) {
      if (byName.has(r.name)) continue;
      if (byName.size >= MAX_FILES) throw new SchemaParseError(`Too many referenced schemas (limit ${MAX_FILES})`);
      byName.set(r.name, r);
      collect(r.references, depth + 1);
    }
  };
  collect(references, 0);

  const root: LoadedFile = { path: '', file: rootFile, ref: null };
  const loaded: LoadedFile[] = [root];
  const seen = new Set<string>(['']);
  const queue: ProtoFile[] = [rootFile];
  for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
    for (const imp of [...f.imports, ...f.publicImports, ...f.weakImports]) {
      if (seen.has(imp)) continue;
      seen.add(imp);
      if (seen.size > MAX_FILES) throw new SchemaParseError(`Too many imported files (limit ${MAX_FILES})`);
      const ref = byName.get(imp);
      const src = ref ? ref.schema : BUNDLED_PROTOS.get(imp);
      if (src === undefined) continue;
      let file: ProtoFile;
      try {
        file = parseProto(src);
      } catch (e) {
        if (e instanceof SchemaParseError) throw new SchemaParseError(`Invalid referenced schema "${imp}": ${e.message}`);
        throw e;
      }
      loaded.push({ path: imp, file, ref: ref ? { subject: ref.subject, version: ref.version } : null });
      queue.push(file);
    }
  }
  // The schema's own types first, so that its definitions win on clashes reported below.
  for (const l of loaded) {
    const clash = symbols.addFile(l);
    if (clash && (l === root || clash.duplicate.loaded === root)) {
      const other = clash.duplicate.loaded === root ? l.path : clash.duplicate.loaded.path;
      const at = l === root ? clash.incoming.loc : clash.duplicate.element.loc;
      throw new SchemaParseError(`${at.line}:${at.col}: "${clash.fullName}" is already defined in file "${other}".`);
    }
  }
  const resolved = new Map<object, TypeInfo>();
  for (const l of loaded) resolveFile(l, symbols, resolved, l === root);
  checkFile(root, resolved);
  return { root, symbols, resolved };
}

function resolveFile(l: LoadedFile, symbols: SymbolTable, resolved: Map<object, TypeInfo>, strict: boolean): void {
  const visible = symbols.visibleFiles(l.path);
  const file = l.file;
  const missing = [...file.imports, ...file.publicImports, ...file.weakImports].filter((p) => !symbols.files.has(p));
  const fail = (name: string, at: Loc, why = 'is not defined'): never => {
    const hint = missing.length ? ` (imports not found: ${missing.map((m) => `"${m}"`).join(', ')}; pass them as references)` : '';
    const where = l.path ? ` in referenced schema "${l.path}"` : '';
    throw new SchemaParseError(`${at.line}:${at.col}: "${name}" ${why}${where}.${hint}`);
  };
  const resolveType = (key: object | null, type: string, scope: string, at: Loc, messageOnly = false): void => {
    if (SCALAR_TYPES.has(type) && !messageOnly) return;
    const t = symbols.resolve(type, scope, visible);
    if (!t) {
      // Bundled and referenced files were accepted before; only the schema itself must resolve.
      if (strict) fail(type, at);
      return;
    }
    if (messageOnly && t.element.kind !== 'message' && strict) fail(type, at, 'is not a message type');
    if (key) resolved.set(key, t);
  };
  const resolveField = (f: FieldElement, scope: string): void => {
    const m = mapTypes(f.type);
    if (m) {
      if (!SCALAR_TYPES.has(m.key) && strict) {
        const k = symbols.resolve(m.key, scope, visible);
        if (!k) return fail(m.key, f.loc);
        throw new SchemaParseError(
          `${f.loc.line}:${f.loc.col}: ${k.element.kind === 'enum' ? 'Key in map fields cannot be enum types.' : 'Key in map fields cannot be float/double, bytes or message types.'}`,
        );
      }
      resolveType(f, m.value, scope, f.loc);
    } else {
      resolveType(f, f.type, scope, f.loc);
    }
  };
  const visitMessage = (m: MessageElement, fullName: string, depth: number): void => {
    if (depth > 128) throw new SchemaParseError('Messages nested too deeply');
    for (const { field } of allFields(m)) resolveField(field, fullName);
    for (const e of m.extendDeclarations) {
      resolveType(e, e.name, fullName, e.loc, true);
      for (const f of e.fields) resolveField(f, fullName);
    }
    for (const g of allGroups(m)) visitMessage(groupAsMessage(g), `${fullName}.${g.name}`, depth + 1);
    for (const t of m.nestedTypes) if (t.kind === 'message') visitMessage(t, `${fullName}.${t.name}`, depth + 1);
  };
  const pkg = file.packageName ?? '';
  for (const t of file.types) if (t.kind === 'message') visitMessage(t, pkg ? `${pkg}.${t.name}` : t.name, 0);
  for (const e of file.extendDeclarations) {
    resolveType(e, e.name, pkg, e.loc, true);
    for (const f of e.fields) resolveField(f, pkg);
  }
  for (const s of file.services) {
    for (const rpc of s.rpcs) {
      resolveType(null, rpc.requestType, pkg, rpc.loc, true);
      resolveType(null, rpc.responseType, pkg, rpc.loc, true);
    }
  }
}
