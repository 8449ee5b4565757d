/**
 * Highlighted snippets: pieces of the original text with the matched words marked, so the page can
 * render `<mark>` without trusting HTML from the server.
 */
export interface Piece {
  text: string;
  hit?: true;
}

/** Marks every occurrence of the terms (longest first) in `text`. */
export function highlight(text: string, terms: string[]): Piece[] {
  const ts = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (!ts.length) return [{ text }];
  const lower = text.toLowerCase();
  const marks: [number, number][] = [];
  for (const t of ts) {
    let from = 0;
    for (;;) {
      const i = lower.indexOf(t, from);
      if (i < 0) break;
      const end = i + t.length;
      if (!marks.some(([a, b]) => i < b && end > a)) marks.push([i, end]);
      from = end;
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const out: Piece[] = [];
  let at = 0;
  for (const [a, b] of marks) {
    if (a > at) out.push({ text: text.slice(at, a) });
    out.push({ text: text.slice(a, b), hit: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** A window of about `width` characters around the first hit, highlighted; ellipses where cut. */
export function snippet(text: string, terms: string[], width = 80): Piece[] {
  const lower = text.toLowerCase();
  let first = -1;
  for (const t of terms) {
    const i = t ? lower.indexOf(t) : -1;
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  const start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 4));
  const end = Math.min(text.length, start + width);
  const pieces = highlight(text.slice(start, end), terms);
  if (start > 0) pieces.unshift({ text: '…' });
  if (end < text.length) pieces.push({ text: '…' });
  return pieces;
}
