/**
 * Hash routes (`#/subjects/orders-value?v=3`): the page is one static file, so any route reloads
 * and bookmarks without the server knowing the console's paths.
 */

export interface Route {
  /** The path's segments, decoded: `#/subjects/a%2Fb` → ['subjects', 'a/b']. */
  parts: string[];
  params: URLSearchParams;
}

export function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, q = ''] = hash.split('?', 2);
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  return { parts, params: new URLSearchParams(q) };
}

/** A hash href from segments and query parameters (empty values left out). */
export function href(parts: (string | number)[], params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${parts.map((p) => encodeURIComponent(String(p))).join('/')}${s ? `?${s}` : ''}`;
}

export function go(h: string, replace = false): void {
  if (replace) history.replaceState(null, '', h);
  else location.hash = h;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}
