/**
 * The closure compiler: each schema node becomes one function, built once and cached by node
 * identity (cycles through $ref get a late-bound delegate). No code generation: Workers-safe.
 */
import { DRAFT_RANK } from '../drafts';
import { JSON_LIMITS } from '../limits';
import { arrayKeywords } from './kw-array';
import { fastNode } from './fast-node';
import { logicKeywords } from './kw-logic';
import { objectKeywords } from './kw-object';
import { refKeywords } from './kw-ref';
import { staticUnevaluatedProps, unevaluatedKeywords } from './kw-unevaluated';
import { validationKeywords } from './kw-validation';
import type { Registry } from './registry';
import { type Compiling, type Ev, type Fn, type Loc, SchemaCompileError, fail, newEv, mergeEv } from './types';

export interface EngineOptions {
  /** 'annotate' (default): `format` never fails validation; 'assert': known formats are checked. */
  formats?: 'annotate' | 'assert';
  maxInstanceDepth?: number;
  /**
   * Subschema evaluations of a validate() call given no budget (default JSON_LIMITS.maxValidationSteps).
   * Infinity only where the schema is fixed and trusted, so work is linear in the document (meta-schemas).
   */
  maxSteps?: number;
  /** Regular expression work of a validate() call given no budget (default JSON_LIMITS.maxRegexSteps); Infinity likewise. */
  maxRegexSteps?: number;
  /** The schema was re-read from storage: see `Compiling.storedSchema` (default false: refused patterns are compile errors). */
  storedSchema?: boolean;
}

const TRUE: Fn = () => true;

/** A node's function until its compilation finishes; validation only starts after compileSchema returns. */
const UNCOMPILED: Fn = () => {
  throw new Error('a schema node was evaluated before its compilation finished');
};

interface Slot {
  /** UNCOMPILED while the node compiles (a `$ref` cycle then reaches it through `delegate`). */
  fn: Fn;
  delegate: Fn | undefined;
  /** Where the node was compiled (the expansion bound, expansion.ts, resolves its $refs from here). */
  loc: Loc;
}

export class Compiler implements Compiling {
  /** Every compiled object node (each once, however many $refs reach it). */
  readonly slots = new Map<object, Slot>();
  private count = 0;
  private depth = 0;
  readonly maxDepth: number;
  readonly maxSteps: number;
  readonly maxRegexSteps: number;
  readonly assertFormats: boolean;
  readonly storedSchema: boolean;

  constructor(
    readonly reg: Registry,
    options: EngineOptions,
  ) {
    this.maxDepth = options.maxInstanceDepth ?? JSON_LIMITS.maxInstanceDepth;
    this.maxSteps = options.maxSteps ?? JSON_LIMITS.maxValidationSteps;
    this.maxRegexSteps = options.maxRegexSteps ?? JSON_LIMITS.maxRegexSteps;
    this.assertFormats = options.formats === 'assert';
    this.storedSchema = options.storedSchema === true;
  }

  /** Compile the subschema `node` found at `path` below a schema at `parent`. */
  child(node: unknown, parent: Loc, path: string): Fn {
    return this.compile(node, this.reg.locOf(node, { ...parent, path }));
  }

  compile(node: unknown, loc: Loc): Fn {
    if (node === true) return TRUE;
    if (node === false) {
      const sp = loc.path;
      return (_d, ip, _ev, cx) => fail(cx, ip, sp, 'false schema', 'boolean schema is false');
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new SchemaCompileError(`${loc.path}: a schema must be an object or a boolean`, loc.path);
    }
    let slot = this.slots.get(node);
    if (slot) {
      if (slot.fn !== UNCOMPILED) return slot.fn;
      const s = slot;
      return (slot.delegate ??= (d, ip, ev, cx) => s.fn(d, ip, ev, cx));
    }
    if (++this.count > JSON_LIMITS.maxCompiledNodes) {
      throw new SchemaCompileError(`schema has more than ${JSON_LIMITS.maxCompiledNodes} subschemas`, loc.path);
    }
    slot = { fn: UNCOMPILED, delegate: undefined, loc };
    this.slots.set(node, slot);
    if (++this.depth > JSON_LIMITS.maxCompileDepth) {
      throw new SchemaCompileError(
        `${loc.path}: subschemas nested deeper than ${JSON_LIMITS.maxCompileDepth} levels (through properties, items and chains of $ref)`,
        loc.path,
      );
    }
    slot.fn = this.build(node as Record<string, unknown>, loc);
    this.depth--;
    return slot.fn;
  }

  private build(o: Record<string, unknown>, loc: Loc): Fn {
    const rank = DRAFT_RANK[loc.draft];
    const fns: Fn[] = [];
    const uneval: Fn[] = [];
    if (rank <= 7 && typeof o.$ref === 'string') {
      // drafts 4-7: "All other properties in a "$ref" object MUST be ignored." (draft-07 core 8.3)
      refKeywords(this, o, loc, fns);
    } else {
      if (!loc.vocab.noValidation) validationKeywords(this, o, loc, fns);
      refKeywords(this, o, loc, fns);
      logicKeywords(this, o, loc, fns);
      objectKeywords(this, o, loc, fns);
      arrayKeywords(this, o, loc, fns);
      if (rank >= 8) unevaluatedKeywords(this, o, loc, uneval);
    }
    let fn = sequence(fns);
    let collect = fn;
    if (uneval.length > 0) {
      fn = withUnevaluated(fn, sequence(uneval));
      const plain = rank >= 8 && !loc.vocab.noValidation ? staticUnevaluatedProps(this, o, loc) : undefined;
      // errors, but no annotations wanted above: check unevaluatedProperties without tracking
      collect = plain ? sequence([...fns, plain]) : fn;
    }
    fn = fastNode(this, o, loc, fn, collect);
    if (this.reg.hasDynamic && loc.resource.root === o) {
      const inner = fn;
      const res = loc.resource;
      fn = (d, ip, ev, cx) => {
        cx.dyn.push(res);
        const ok = inner(d, ip, ev, cx);
        cx.dyn.pop();
        return ok;
      };
    }
    return fn;
  }
}

function sequence(fns: Fn[]): Fn {
  switch (fns.length) {
    case 0:
      return TRUE;
    case 1:
      return fns[0];
    case 2: {
      const [a, b] = fns;
      return (d, ip, ev, cx) => {
        if (!a(d, ip, ev, cx)) {
          if (!cx.errors) return false;
          b(d, ip, ev, cx);
          return false;
        }
        return b(d, ip, ev, cx);
      };
    }
    default:
      return (d, ip, ev, cx) => {
        let ok = true;
        for (let i = 0; i < fns.length; i++) {
          if (!fns[i](d, ip, ev, cx)) {
            if (!cx.errors) return false;
            ok = false;
          }
        }
        return ok;
      };
  }
}

/** A node with unevaluated*: its siblings' annotations are gathered locally, then checked, then passed up if valid. */
function withUnevaluated(inner: Fn, uneval: Fn): Fn {
  return (d, ip, ev, cx) => {
    const local: Ev = newEv();
    let ok = inner(d, ip, local, cx);
    if (!ok && !cx.errors) return false;
    ok = uneval(d, ip, local, cx) && ok;
    if (ok && ev) mergeEv(ev, local);
    return ok;
  };
}
