/** Markdown helpers shared by test/bench/bench.mjs and load/run-local.mjs. */

/** A GitHub-flavoured markdown table. */
export function table(head, rows) {
  const esc = (v) => String(v).replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/**
 * Replace what lies between `<!-- name:start -->` and `<!-- name:end -->` in a document (the markers
 * stay); without the markers, append them with the content at the end.
 */
export function replaceSection(doc, name, content) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  const block = `${start}\n${content.trim()}\n${end}`;
  if (i === -1 || j === -1 || j < i) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, i) + block + doc.slice(j + end.length);
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
