/**
 * Subject and context names (Confluent "contexts": `:.ctx:subject`; the default context is ".").
 * A qualified subject carries its context; storage keys by (context, bare subject).
 */
import { errors } from './errors';

export const DEFAULT_CONTEXT = '.';
/** Confluent's wildcard context prefix (`:*:`) used with subjectPrefix to list all contexts. */
export const ALL_CONTEXTS = ':*:';

const CONTEXT_RE = /^\.[A-Za-z0-9_.-]{0,255}$/;

export interface QualifiedSubject {
  context: string;
  /** The subject without its context prefix ('' = the context itself, as in `:.ctx:`). */
  subject: string;
}

/** Split `:.ctx:name` into context and name; a plain name is in the default context. */
export function parseSubject(raw: string): QualifiedSubject {
  if (raw.startsWith(':.')) {
    const end = raw.indexOf(':', 1);
    if (end > 0) {
      const context = raw.slice(1, end);
      if (!CONTEXT_RE.test(context)) throw errors.invalidSubject(raw);
      return { context, subject: raw.slice(end + 1) };
    }
  }
  return { context: DEFAULT_CONTEXT, subject: raw };
}

/**
 * The normal form of a reference's subject: the bare subject name inside the referring schema's
 * context. A reference may be written bare (`typ`: the referring schema's own context, as
 * Confluent's QualifiedSubject.qualifySubjectWithParent resolves it) or qualified (`:.t:typ`,
 * `:.:typ`); both name the same subject, and every lookup by target (referencedby, the delete
 * guards) uses this form. Returns null when the name is qualified with another context: references
 * stay inside their context here (contexts are tenants).
 */
export function referenceTarget(context: string, refSubject: string): string | null {
  const target = parseSubject(refSubject);
  if (target.context === context) return target.subject;
  return refSubject.startsWith(':.') && refSubject.indexOf(':', 1) > 0 ? null : refSubject;
}

/** The subject name as Confluent shows it: bare in the default context, `:.ctx:name` elsewhere. */
export function qualify(context: string, subject: string): string {
  return context === DEFAULT_CONTEXT ? subject : `:${context}:${subject}`;
}

/** Validate a subject for writes (Confluent 42208): non-empty, no control characters, bounded. */
export function checkSubjectName(raw: string): QualifiedSubject {
  const q = parseSubject(raw);
  // Confluent rejects empty names and ISO control characters; `__GLOBAL`/`__EMPTY` are reserved.
  if (!q.subject || q.subject.length > 1024 || /[\u0000-\u001f\u007f]/.test(q.subject) || q.subject === '__GLOBAL' || q.subject === '__EMPTY') {
    throw errors.invalidSubject(raw);
  }
  return q;
}

/** Normalize a context path segment: `/contexts/ctx/...` and `/contexts/.ctx/...` both name ".ctx". */
export function parseContext(raw: string): string {
  // Confluent normalizeContext: strip one leading and trailing ':', then no ':' may remain.
  raw = raw.replace(/^:/, '').replace(/:$/, '');
  if (raw.includes(':')) throw errors.badRequest('Context name cannot contain a colon');
  const context = raw === DEFAULT_CONTEXT || raw === ':.:' ? DEFAULT_CONTEXT : raw.startsWith('.') ? raw : `.${raw}`;
  if (!CONTEXT_RE.test(context)) throw errors.badRequest(`Invalid context '${raw}'`);
  return context;
}
