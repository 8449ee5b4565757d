/**
 * A search box's text → what PostgreSQL is asked. Rules:
 * - words are segmented like the documents and ANDed (`公交 & 线路`); a Latin/digit word also matches as a
 *   prefix (`lt3f:*`), so a code or a tag typed in part is found;
 * - "quoted phrases" (ASCII or Chinese quotes) must appear exactly: their words are adjacent in the
 *   tsquery (`<->`, narrowed by the index) and the phrase itself is checked in the title or content;
 * - text with signs that segmentation drops (`%`, `-`, `/` …) is kept as a literal phrase as well, so
 *   `ab%_` means those four characters, not a pattern;
 * - a registration number (立案号, `2026-第0001号`) or a part of one from its start matches that column.
 */
import { normalizeTerm, words } from './segment';

export interface ParsedQuery {
  /** to_tsquery('simple', …) text, or null when nothing searchable remains (e.g. only punctuation). */
  tsquery: string | null;
  /** Exact substrings the title or content must contain (quoted phrases, literal text with signs). */
  phrases: string[];
  /** The raw text to match as the start of a registration number (case-insensitive). */
  registrationPrefix: string | null;
  /** The words used, for highlighting. */
  terms: string[];
  /** Every quoted phrase and unquoted chunk: what a row not yet segmented must contain (substring). */
  literals: string[];
}

const QUOTED = /["“”「」『』'‘’]([^"“”「」『』'‘’]+)["“”「」『』'‘’]/g;
const LATIN = /^[a-z0-9]+$/;
const SIGN = /[^\p{L}\p{N}\s]/u;

/** tsquery lexemes are quoted, so no user character can act as an operator. */
const lexeme = (w: string) => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

export function parseQuery(input: string): ParsedQuery {
  const q = input.trim().slice(0, 200);
  const phrases: string[] = [];
  const parts: string[] = [];
  const terms: string[] = [];
  const literals: string[] = [];
  const rest = q.replace(QUOTED, (_, p: string) => {
    const phrase = p.trim();
    if (phrase) {
      phrases.push(phrase);
      literals.push(phrase);
      const ws = words(phrase);
      terms.push(...ws);
      if (ws.length) parts.push(ws.length === 1 ? lexeme(ws[0]!) : `(${ws.map(lexeme).join(' <-> ')})`);
    }
    return ' ';
  });
  for (const chunk of rest.split(/\s+/).filter(Boolean)) {
    literals.push(chunk);
    // Signs inside a chunk make it a literal (`ab%_`, `r3-x`): its words narrow, the chunk itself decides.
    if (SIGN.test(chunk) && /[\p{L}\p{N}]/u.test(chunk)) phrases.push(chunk);
    for (const w of words(chunk)) {
      terms.push(w);
      parts.push(LATIN.test(w) ? `${lexeme(w)}:*` : lexeme(w));
    }
  }
  const registrationPrefix = /\d{2}/.test(q) && q.length >= 3 && !/\s/.test(q) ? q : null;
  return {
    tsquery: parts.length ? [...new Set(parts)].join(' & ') : null,
    phrases: [...new Set(phrases)],
    registrationPrefix,
    terms: [...new Set(terms.map(normalizeTerm).filter(Boolean))],
    literals: [...new Set(literals)],
  };
}
