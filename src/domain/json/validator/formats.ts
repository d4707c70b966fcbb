/**
 * `format` checks, used only when formats assert (option `formats: 'assert'`, or a 2020-12 meta-schema
 * with the format-assertion vocabulary). By default `format` is an annotation (2019-09/2020-12 default;
 * optional in drafts 4-7). Non-strings always pass (formats apply to strings only). Grammar: RFC 3339
 * (date-time, date, time, duration: appendix A), RFC 5321/1123 (email, hostname), RFC 4291 (ipv6),
 * RFC 3986/3987 (uri, iri), RFC 6570 (uri-template), RFC 6901 (json-pointer), RFC 4122 (uuid).
 */
import { isEcmaRegex } from './ecma-regex';

type Check = (s: string) => boolean;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|([+-])(\d{2}):(\d{2}))$/i;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function date(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : DAYS[mo - 1]);
}

function time(s: string): boolean {
  const m = TIME.exec(s);
  if (!m) return false;
  const h = +m[1];
  const mi = +m[2];
  const sec = +m[3];
  const oh = m[7] ? +m[7] : 0;
  const om = m[8] ? +m[8] : 0;
  if (h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59) return false;
  if (sec === 60) {
    // a leap second is only valid at 23:59:60 UTC
    const sign = m[6] === '-' ? 1 : -1;
    let utcMin = h * 60 + mi + sign * (oh * 60 + om);
    utcMin = ((utcMin % 1440) + 1440) % 1440;
    return utcMin === 23 * 60 + 59;
  }
  return true;
}

function dateTime(s: string): boolean {
  const i = s.search(/[tT]/);
  return i === 10 && date(s.slice(0, 10)) && time(s.slice(11));
}

const DURATION = /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W))$/;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
function hostname(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  return h.split('.').every((l) => (LABEL.test(l) && !/^..--/.test(l)) || (/^xn--/i.test(l) && LABEL.test(l)));
}

function idnHostname(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return s
    .split(/[.\u3002\uff0e\uff61]/)
    .every((l) => l.length > 0 && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-') && !/[\s!"#$%&'()*+,/:;<=>?@[\\\]^`{|}~]/.test(l));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function ipv6(s: string): boolean {
  if (s.includes('%')) return false;
  let str = s;
  const lastColon = str.lastIndexOf(':');
  const groupsNeeded = 8;
  if (str.slice(lastColon + 1).includes('.')) {
    if (!IPV4.test(str.slice(lastColon + 1))) return false;
    str = str.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = str.split('::');
  if (dbl.length > 2) return false;
  const part = (x: string) => (x === '' ? [] : x.split(':'));
  const groups = dbl.map(part);
  const count = groups.reduce((n, g) => n + g.length, 0);
  if (!groups.every((g) => g.every((h) => /^[0-9a-f]{1,4}$/i.test(h)))) return false;
  return dbl.length === 2 ? count < groupsNeeded : count === groupsNeeded;
}

const URI_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const URI_CHARS = /^(?:[a-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9a-f]{2})*$/i;
const IRI_CHARS = /^(?:[^\s<>"{}|\\^`\x00-\x1f\x7f]|%[0-9a-f]{2})*$/iu;
function uriRef(s: string, chars: RegExp): boolean {
  if (!chars.test(s)) return false;
  // brackets only around an IP literal in the authority
  const m = /^(?:[a-z][a-z0-9+.-]*:)?(?:\/\/([^/?#]*))?([^?#]*)/i.exec(s);
  if (!m) return false; // every part is optional: it always matches
  if (/[[\]]/.test(m[2])) return false;
  const authority = m.at(1);
  if (authority !== undefined) {
    const host = authority.replace(/^[^@]*@/, '');
    if (/[[\]]/.test(host) && !/^\[[0-9a-f:.v]+\](:\d*)?$/i.test(host)) return false;
    if (!host.startsWith('[') && /:.*[^\d]/.test(host.replace(/^[^:]*/, ''))) return false;
  }
  return !/#.*#/.test(s);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;
const REL_JSON_POINTER = /^(?:0|[1-9]\d*)(?:#|(?:\/(?:[^~/]|~[01])*)*)$/;
const URI_TEMPLATE =
  /^(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-f]{2}|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+(?:\.(?:[a-z0-9_]|%[0-9a-f]{2})+)*(?::[1-9]\d{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?:\.(?:[a-z0-9_]|%[0-9a-f]{2})+)*(?::[1-9]\d{0,3}|\*)?)*\})*$/iu;
const EMAIL_LOCAL = /^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[^"\\]|\\.)*")$/i;

function email(s: string, idn: boolean): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!(idn ? /^(?:[^\s@".]+(?:\.[^\s@".]+)*|"(?:[^"\\]|\\.)*")$/u.test(local) : EMAIL_LOCAL.test(local))) return false;
  if (/^\[.*\]$/.test(domain)) {
    const lit = domain.slice(1, -1);
    return IPV4.test(lit) || (lit.toLowerCase().startsWith('ipv6:') && ipv6(lit.slice(5)));
  }
  return idn ? idnHostname(domain) : hostname(domain);
}

const str =
  (f: Check) =>
  (d: unknown): boolean =>
    typeof d !== 'string' || f(d);

export const FORMATS: Partial<Record<string, (d: unknown) => boolean>> = {
  'date-time': str(dateTime),
  date: str(date),
  time: str(time),
  duration: str((s) => DURATION.test(s)),
  email: str((s) => email(s, false)),
  'idn-email': str((s) => email(s, true)),
  hostname: str(hostname),
  'idn-hostname': str(idnHostname),
  ipv4: str((s) => IPV4.test(s)),
  ipv6: str(ipv6),
  uri: str((s) => URI_SCHEME.test(s) && uriRef(s, URI_CHARS)),
  'uri-reference': str((s) => uriRef(s, URI_CHARS)),
  iri: str((s) => URI_SCHEME.test(s) && uriRef(s, IRI_CHARS)),
  'iri-reference': str((s) => uriRef(s, IRI_CHARS)),
  'uri-template': str((s) => URI_TEMPLATE.test(s)),
  'json-pointer': str((s) => JSON_POINTER.test(s)),
  'relative-json-pointer': str((s) => REL_JSON_POINTER.test(s)),
  // ECMA-262 syntax by a linear parse (ecma-regex.ts): a document's string is never compiled by V8
  regex: str(isEcmaRegex),
  uuid: str((s) => UUID.test(s)),
};
Object.setPrototypeOf(FORMATS, null);
