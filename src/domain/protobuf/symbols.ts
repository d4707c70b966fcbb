import type { FieldElement, GroupElement, MessageElement, ProtoFile, TypeElement } from './ast';

/**
 * The symbol table of a set of .proto files (a schema plus its imports): every message and enum
 * by fully-qualified name (without the leading dot), every package prefix, and each file's
 * visible files (itself, its direct imports, and what those re-export with `import public`).
 */

export interface LoadedFile {
  /** Import path ("" for the schema being registered). */
  path: string;
  file: ProtoFile;
  /** The registry reference it came from; null for the schema itself and bundled files. */
  ref: { subject: string; version: number } | null;
}

export interface TypeInfo {
  fullName: string;
  element: TypeElement;
  loaded: LoadedFile;
  packageName: string;
  /** Full name of the enclosing scope: the package, or the enclosing message. */
  scope: string;
  /** Message with `option map_entry = true;` (descriptor-style map entries). */
  isMapEntry: boolean;
  /** The group field that declares this message (proto2 groups), if any. */
  group?: GroupElement;
}

export class SymbolTable {
  readonly types = new Map<string, TypeInfo>();
  /** Package name prefixes ("a", "a.b") and the files that declare them. */
  readonly packages = new Map<string, Set<string>>();
  readonly files = new Map<string, LoadedFile>();

  addFile(loaded: LoadedFile): { duplicate: TypeInfo; incoming: TypeElement; fullName: string } | null {
    this.files.set(loaded.path, loaded);
    const pkg = loaded.file.packageName ?? '';
    if (pkg) {
      const parts = pkg.split('.');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('.');
        let s = this.packages.get(p);
        if (!s) this.packages.set(p, (s = new Set()));
        s.add(loaded.path);
      }
    }
    let clash: { duplicate: TypeInfo; incoming: TypeElement; fullName: string } | null = null;
    const visit = (types: TypeElement[], groups: GroupElement[], scope: string): void => {
      for (const t of types) {
        const fullName = scope ? `${scope}.${t.name}` : t.name;
        const existing = this.types.get(fullName);
        if (existing && !clash) clash = { duplicate: existing, incoming: t, fullName };
        if (!existing) {
          this.types.set(fullName, {
            fullName,
            element: t,
            loaded,
            packageName: pkg,
            scope,
            isMapEntry: t.kind === 'message' && isMapEntry(t),
          });
        }
        if (t.kind === 'message') visit(t.nestedTypes, allGroups(t), fullName);
      }
      for (const g of groups) {
        const fullName = scope ? `${scope}.${g.name}` : g.name;
        if (!this.types.has(fullName)) {
          this.types.set(fullName, {
            fullName,
            element: groupAsMessage(g),
            loaded,
            packageName: pkg,
            scope,
            isMapEntry: false,
            group: g,
          });
        }
      }
    };
    visit(loaded.file.types, [], pkg);
    return clash;
  }

  /** Files whose symbols `path` may use: itself, direct imports, and public re-exports (transitively). */
  visibleFiles(path: string): Set<string> {
    const out = new Set<string>([path]);
    const f = this.files.get(path);
    if (!f) return out;
    const addPublic = (p: string, depth: number): void => {
      if (out.has(p) || depth > 64) return;
      out.add(p);
      const dep = this.files.get(p);
      if (dep) for (const pp of dep.file.publicImports) addPublic(pp, depth + 1);
    };
    for (const p of [...f.file.imports, ...f.file.publicImports, ...f.file.weakImports]) {
      const dep = this.files.get(p);
      if (!dep) continue;
      out.add(p);
      for (const pp of dep.file.publicImports) addPublic(pp, 1);
    }
    return out;
  }

  /**
   * Resolves a type reference written in `scope` (a package or message full name) the way protoc
   * does (descriptor.cc LookupSymbol): a leading '.' means fully qualified; otherwise the first
   * name component is looked up from the innermost scope outwards, and once it is found (as a
   * type or a package) the rest of the name must be found inside it.
   */
  resolve(name: string, scope: string, visible: Set<string>): TypeInfo | null {
    if (name.startsWith('.')) return this.visibleType(name.slice(1), visible);
    const dot = name.indexOf('.');
    const first = dot < 0 ? name : name.slice(0, dot);
    const parts = scope ? scope.split('.') : [];
    for (let i = parts.length; i >= 0; i--) {
      const prefix = parts.slice(0, i).join('.');
      const candidate = prefix ? `${prefix}.${first}` : first;
      const type = this.visibleType(candidate, visible);
      const isPackage = this.visiblePackage(candidate, visible);
      if (!type && !isPackage) continue;
      if (dot < 0) {
        if (type) return type;
        continue; // a package is not a type: keep looking outwards
      }
      if (type && type.element.kind === 'enum') continue; // not an aggregate
      const full = prefix ? `${prefix}.${name}` : name;
      const found = this.visibleType(full, visible);
      if (found) return found;
      return null;
    }
    return null;
  }

  private visibleType(fullName: string, visible: Set<string>): TypeInfo | null {
    const t = this.types.get(fullName);
    return t && visible.has(t.loaded.path) ? t : null;
  }

  private visiblePackage(name: string, visible: Set<string>): boolean {
    const files = this.packages.get(name);
    if (!files) return false;
    for (const f of files) if (visible.has(f)) return true;
    return false;
  }
}

export function isMapEntry(m: MessageElement): boolean {
  return m.options.some((o) => !o.parenthesized && o.name === 'map_entry' && o.value === 'true');
}

export function allGroups(m: MessageElement): GroupElement[] {
  return [...m.groups, ...m.oneOfs.flatMap((o) => o.groups)];
}

const groupMessages = new WeakMap<GroupElement, MessageElement>();

/** A proto2 group declares a nested message type of the same name. */
export function groupAsMessage(g: GroupElement): MessageElement {
  let m = groupMessages.get(g);
  if (!m) {
    m = {
      kind: 'message',
      loc: g.loc,
      name: g.name,
      options: [],
      reserveds: [],
      fields: g.fields,
      oneOfs: [],
      groups: [],
      extensions: [],
      nestedTypes: [],
      extendDeclarations: [],
    };
    groupMessages.set(g, m);
  }
  return m;
}

/** Every field of a message: plain, oneof members (with their oneof), in declaration order. */
export function allFields(m: MessageElement): { field: FieldElement; oneof: string | null }[] {
  return [...m.fields.map((field) => ({ field, oneof: null })), ...m.oneOfs.flatMap((o) => o.fields.map((field) => ({ field, oneof: o.name })))];
}
