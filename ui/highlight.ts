/**
 * Syntax highlighting by a small tokenizer: JSON (Avro and JSON Schema are JSON) and Protobuf.
 * Produces spans with classes (styles.css); text nodes only, so nothing in a schema becomes markup.
 * Linear in the text; one regex per language, sticky, no backtracking-prone patterns.
 */

type Kind = 'key' | 'str' | 'num' | 'kw' | 'com' | 'punct' | 'plain';

const JSON_TOKENS = /("(?:[^"\\\n]|\\.)*"?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])|(\s+)|(.)/y;

const PROTO_KEYWORDS = new Set(
  'syntax edition package import public weak option message enum service rpc returns stream oneof map reserved extensions extend to max repeated optional required group true false'.split(
    ' ',
  ),
);
const PROTO_TYPES = new Set('double float int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64 sfixed32 sfixed64 bool string bytes'.split(' '));
const PROTO_TOKENS =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(-?\d[\w.]*)|([A-Za-z_][\w.]*)|([{}[\]()<>;=,])|(\s+)|(.)/y;

function tokenize(text: string, language: 'json' | 'protobuf'): [Kind, string][] {
  const out: [Kind, string][] = [];
  const re = language === 'json' ? JSON_TOKENS : PROTO_TOKENS;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    // Groups that did not take part are undefined (the lib types say string).
    const g: (string | undefined)[] = m;
    if (language === 'json') {
      if (g[1] !== undefined) {
        out.push([g[2] !== undefined ? 'key' : 'str', g[1]]);
        if (g[2] !== undefined) out.push(['punct', g[2]]);
      } else if (g[3] !== undefined) out.push(['num', g[3]]);
      else if (g[4] !== undefined) out.push(['kw', g[4]]);
      else if (g[5] !== undefined) out.push(['punct', g[5]]);
      else out.push(['plain', m[0]]);
    } else if (g[1] !== undefined) out.push(['com', g[1]]);
    else if (g[2] !== undefined) out.push(['str', g[2]]);
    else if (g[3] !== undefined) out.push(['num', g[3]]);
    else if (g[4] !== undefined) out.push([PROTO_KEYWORDS.has(g[4]) ? 'kw' : PROTO_TYPES.has(g[4]) ? 'key' : 'plain', g[4]]);
    else if (g[5] !== undefined) out.push(['punct', g[5]]);
    else out.push(['plain', m[0]]);
  }
  return out;
}

/** The language of a registered schema type. */
export const languageOf = (schemaType: string | undefined): 'json' | 'protobuf' => (schemaType === 'PROTOBUF' ? 'protobuf' : 'json');

/** Pretty-print JSON schemas (registered text is often one line); Protobuf stays as written. */
export function pretty(text: string, schemaType: string | undefined): string {
  if (languageOf(schemaType) !== 'json') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Highlighted content for one piece of text (a whole schema or one diff line). */
export function highlight(text: string, language: 'json' | 'protobuf'): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const [kind, value] of tokenize(text, language)) {
    if (kind === 'plain') frag.append(value);
    else {
      const span = document.createElement('span');
      span.className = `tok-${kind}`;
      span.textContent = value;
      frag.append(span);
    }
  }
  return frag;
}

/** A code block, labelled for assistive technology, keyboard-scrollable. */
export function codeBlock(text: string, language: 'json' | 'protobuf', label: string): HTMLPreElement {
  const pre = document.createElement('pre');
  pre.className = 'code';
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', label);
  pre.setAttribute('role', 'region');
  const code = document.createElement('code');
  code.append(highlight(text, language));
  pre.append(code);
  return pre;
}
