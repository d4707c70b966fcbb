/**
 * RFC 3986 URI references, just enough for JSON Schema identifiers: split, resolve a reference
 * against a base (section 5.2), remove dot segments (5.2.4). Written out instead of using `URL`
 * because WHATWG URL rewrites non-special schemes (urn:, tag:) and percent-encodings differently
 * from what the JSON Schema Test Suite expects, and because a schema id need not be a URL at all.
 */

interface Parts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

const URI_RE = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

function split(ref: string): Parts {
  const m = URI_RE.exec(ref);
  if (!m) return { path: ref }; // every part is optional and `s` lets `.` match anything: never
  return {
    scheme: m.at(1)?.toLowerCase(),
    authority: m.at(2),
    path: m.at(3) ?? '',
    query: m.at(4),
    fragment: m.at(5),
  };
}

function join(p: Parts): string {
  let s = '';
  if (p.scheme !== undefined) s += p.scheme + ':';
  if (p.authority !== undefined) s += '//' + p.authority;
  s += p.path;
  if (p.query !== undefined) s += '?' + p.query;
  if (p.fragment !== undefined) s += '#' + p.fragment;
  return s;
}

function removeDotSegments(path: string): string {
  if (!path.includes('.')) return path;
  const input = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const seg = input[i];
    const last = i === input.length - 1;
    if (seg === '.') {
      if (last) out.push('');
    } else if (seg === '..') {
      if (out.length > 1 || (out.length === 1 && out[0] !== '')) out.pop();
      if (last) out.push('');
    } else out.push(seg);
  }
  return out.join('/');
}

function merge(base: Parts, refPath: string): string {
  if (base.authority !== undefined && base.path === '') return '/' + refPath;
  const i = base.path.lastIndexOf('/');
  return i < 0 ? refPath : base.path.slice(0, i + 1) + refPath;
}

/** Resolve `ref` against `base` (RFC 3986 section 5.2.2). An empty base leaves `ref` as is. */
export function resolveUri(base: string, ref: string): string {
  if (base === '') return ref;
  const r = split(ref);
  if (r.scheme !== undefined) return join({ ...r, path: removeDotSegments(r.path) });
  const b = split(base);
  const t: Parts = { scheme: b.scheme, path: '', fragment: r.fragment };
  if (r.authority !== undefined) {
    t.authority = r.authority;
    t.path = removeDotSegments(r.path);
    t.query = r.query;
  } else {
    t.authority = b.authority;
    if (r.path === '') {
      t.path = b.path;
      t.query = r.query !== undefined ? r.query : b.query;
    } else {
      t.path = r.path.startsWith('/') ? removeDotSegments(r.path) : removeDotSegments(merge(b, r.path));
      t.query = r.query;
    }
  }
  return join(t);
}

/** Split off the fragment: `a#/b` -> [`a`, `/b`]; no fragment -> [uri, '']. The fragment is percent-decoded. */
export function splitFragment(uri: string): [string, string] {
  const i = uri.indexOf('#');
  if (i < 0) return [uri, ''];
  let frag = uri.slice(i + 1);
  try {
    frag = decodeURIComponent(frag);
  } catch {
    // keep the raw fragment: an invalid percent-escape simply names nothing
  }
  return [uri.slice(0, i), frag];
}
