import { SchemaParseError } from '../errors';
import type { FieldElement, MessageElement, ProtoFile, TypeElement } from './ast';
import { PROTOBUF_LIMITS } from './limits';
import { isMapEntry, type LoadedFile } from './symbols';

/**
 * Port of Confluent's io.confluent.kafka.schemaregistry.protobuf.diff.Context: the type table and
 * the (simplified) name resolution that Confluent's normalizer and compatibility diff use. It is
 * deliberately not protoc's resolution (symbols.ts): Confluent tries `scope.name` for each
 * enclosing scope, then `name`, matching the whole dotted name at every level.
 */

export interface CtxTypeInfo {
  packageName: string;
  /** Reference the type came from; `{subject:'', version:-1}` marks the schema itself (Confluent's dummy reference). */
  ref: { subject: string; version: number } | null;
  type: TypeElement;
  isMap: boolean;
  key: FieldElement | null;
  value: FieldElement | null;
}

export interface Difference {
  type: string;
  path: string;
}

/** A referenced message pair's outcome (paths are relative to the type, so they do not depend on where it is used). */
export interface PairResult {
  diffs: Difference[];
  compatible: boolean;
}

/**
 * State shared by a comparison and all its subcontexts: work counters (PROTOBUF_LIMITS) and the
 * memo of referenced message pairs (see compareReferenced in diff.ts).
 */
export class DiffRun {
  readonly memo = new Map<MessageElement, Map<MessageElement, PairResult>>();
  /** Times a message body was skipped because it was already being compared (a recursive type). */
  guardHits = 0;
  private steps = 0;
  private listed = 0;
  private depth = 0;

  /** Around following a message-typed field into a referenced type: a chain M0 -> M1 -> ... recurses. */
  enter(): void {
    if (++this.depth > PROTOBUF_LIMITS.maxDiffDepth) {
      throw new SchemaParseError(
        `Protobuf compatibility check gave up: referenced message types nested deeper than ${PROTOBUF_LIMITS.maxDiffDepth} levels`,
      );
    }
  }

  leave(): void {
    this.depth--;
  }

  step(): void {
    if (++this.steps > PROTOBUF_LIMITS.maxDiffSteps) {
      throw new SchemaParseError(
        `Protobuf compatibility check gave up: more than ${PROTOBUF_LIMITS.maxDiffSteps} message and field comparisons (schema too complex)`,
      );
    }
  }

  /** Count `n` differences about to be stored, copies of a referenced type's differences included. */
  materialize(n: number): void {
    this.listed += n;
    if (this.listed > PROTOBUF_LIMITS.maxDiffDifferences) {
      throw new SchemaParseError(
        `Protobuf compatibility check gave up: more than ${PROTOBUF_LIMITS.maxDiffDifferences} differences (a referenced message used on many paths repeats its differences on each)`,
      );
    }
  }
}

export class DiffContext {
  originalPackageName = '';
  updatePackageName = '';
  /** Path segments (message names, oneof names, tags) for difference paths. */
  readonly fullPath: string[] = [];
  /** Subset of the path used to qualify names (message names only). */
  readonly fullName: string[] = [];
  readonly diffs: Difference[] = [];
  /** Messages being compared (Confluent's enterSchema guard against recursive types). */
  readonly schemas = new Set<object>();

  constructor(
    readonly compatibleChanges: ReadonlySet<string> = new Set(),
    readonly run: DiffRun = new DiffRun(),
    /** Filled by collectTypeInfo on the top context only, then read-only: subcontexts share them. */
    readonly originalTypes = new Map<string, CtxTypeInfo>(),
    readonly updateTypes = new Map<string, CtxTypeInfo>(),
    /** The last segment of every name in the tables: a name whose last segment is not here resolves to nothing. */
    readonly originalSimpleNames = new Set<string>(),
    readonly updateSimpleNames = new Set<string>(),
  ) {}

  /** The type tables never change after collectTypeInfo: shared, not copied (a copy per message field costs O(types)). */
  subcontext(): DiffContext {
    const c = new DiffContext(
      this.compatibleChanges,
      this.run,
      this.originalTypes,
      this.updateTypes,
      this.originalSimpleNames,
      this.updateSimpleNames,
    );
    for (const s of this.schemas) c.schemas.add(s);
    c.originalPackageName = this.originalPackageName;
    c.updatePackageName = this.updatePackageName;
    c.fullPath.push(...this.fullPath);
    c.fullName.push(...this.fullName);
    return c;
  }

  /** collectTypeInfo(schema): dependencies first, then the schema itself under the dummy reference. */
  collectTypeInfo(files: readonly LoadedFile[], root: LoadedFile, isOriginal: boolean): void {
    for (const f of files) if (f !== root) this.collectFile(f.ref, f.file, isOriginal);
    this.collectFile({ subject: '', version: -1 }, root.file, isOriginal);
  }

  private collectFile(ref: CtxTypeInfo['ref'], file: ProtoFile, isOriginal: boolean): void {
    const pkg = file.packageName ?? '';
    this.setPackageName(pkg, isOriginal);
    const walk = (types: TypeElement[], depth: number): void => {
      if (depth > 128) return;
      for (const t of types) {
        this.fullPath.push(t.name);
        this.fullName.push(t.name);
        let map = false;
        let key: FieldElement | null = null;
        let value: FieldElement | null = null;
        if (t.kind === 'message') {
          map = isMapEntry(t);
          key = t.fields.find((f) => f.name === 'key') ?? null;
          value = t.fields.find((f) => f.name === 'value') ?? null;
        }
        let name = this.fullPath.join('.');
        if (pkg) name = `${pkg}.${name}`;
        const info: CtxTypeInfo = { packageName: pkg, ref, type: t, isMap: map, key, value };
        (isOriginal ? this.originalTypes : this.updateTypes).set(name, info);
        (isOriginal ? this.originalSimpleNames : this.updateSimpleNames).add(t.name);
        if (t.kind === 'message') walk(t.nestedTypes, depth + 1);
        this.fullPath.pop();
        this.fullName.pop();
      }
    };
    walk(file.types, 0);
  }

  setPackageName(p: string, isOriginal: boolean): void {
    if (isOriginal) this.originalPackageName = p;
    else this.updatePackageName = p;
  }

  setFullName(name: string): void {
    const parts = name.split('.');
    this.fullPath.length = 0;
    this.fullName.length = 0;
    this.fullPath.push(...parts);
    this.fullName.push(...parts);
  }

  getTypeForFullName(fullName: string, isOriginal: boolean): CtxTypeInfo | null {
    const n = fullName.startsWith('.') ? fullName.slice(1) : fullName;
    return (isOriginal ? this.originalTypes : this.updateTypes).get(n) ?? null;
  }

  resolve(name: string, isOriginal: boolean): string | null {
    // Every name tried below ends with `.${last segment}` or is the name itself, so none can be in
    // the table unless some type has that simple name: a scalar (`string`, `int64`) is answered
    // here, without building a name per enclosing scope (compare asks this of every field, 4 times).
    if (!(isOriginal ? this.originalSimpleNames : this.updateSimpleNames).has(name.slice(name.lastIndexOf('.') + 1))) return null;
    if (name.startsWith('.')) {
      const n = name.slice(1);
      return this.getTypeForFullName(n, isOriginal) ? n : null;
    }
    const prefix = [...this.fullName];
    const pkg = isOriginal ? this.originalPackageName : this.updatePackageName;
    if (pkg) prefix.unshift(pkg);
    while (prefix.length > 0) {
      const n = `${prefix.join('.')}.${name}`;
      if (this.getTypeForFullName(n, isOriginal)) return n;
      prefix.pop();
    }
    return this.getTypeForFullName(name, isOriginal) ? name : null;
  }

  getType(name: string, isOriginal: boolean): CtxTypeInfo | null {
    const full = this.resolve(name, isOriginal);
    return full !== null ? this.getTypeForFullName(full, isOriginal) : null;
  }

  isCompatible(): boolean {
    return this.diffs.every((d) => this.compatibleChanges.has(d.type));
  }

  addDifference(type: string): void {
    this.run.materialize(1);
    this.diffs.push({ type, path: `#/${this.fullPath.join('/')}` });
  }

  /** Append a subcontext's differences (a loop: spreading a huge array overflows the stack). */
  addAll(diffs: readonly Difference[]): void {
    this.run.materialize(diffs.length);
    for (const d of diffs) this.diffs.push(d);
  }

  /** Runs `fn` with `segment` appended to the path (PathScope). */
  inPath<T>(segment: string, fn: () => T): T {
    this.fullPath.push(segment);
    try {
      return fn();
    } finally {
      this.fullPath.pop();
    }
  }

  /** Runs `fn` with `name` appended to the path and the name scope (NamedScope). */
  inName<T>(name: string, fn: () => T): T {
    this.fullPath.push(name);
    this.fullName.push(name);
    try {
      return fn();
    } finally {
      this.fullName.pop();
      this.fullPath.pop();
    }
  }
}

/** The `map<K, V>` type a map-entry message stands for (TypeElementInfo.getMapType). */
export function mapTypeOf(info: CtxTypeInfo): string | null {
  return info.isMap && info.key && info.value ? `map<${info.key.type}, ${info.value.type}>` : null;
}
