/**
 * Likely duplicates (疑似重复) among short Chinese texts. Two signals, because paraphrases of the same
 * proposal share key words but not their order, and sometimes not even the words (电梯加装 / 加装电梯,
 * 公交车 / 公交):
 * - words: jieba words without stop words, weighted TF-IDF (BM25-style saturation of the term count,
 *   IDF from jieba's general-language table, so weights do not depend on what is in the database);
 *   title words count double; cosine of the two vectors;
 * - characters: cosine of character-bigram counts of the title and body (catches re-worded phrases).
 * score = WORD_WEIGHT × words + (1 − WORD_WEIGHT) × characters; items at or above DUPLICATE_THRESHOLD are shown.
 */
import { idf as idfBytes } from '@node-rs/jieba/dict';
import { searchTerms } from './segment';
import { canonical } from './synonyms';

export const DUPLICATE_THRESHOLD = 0.25;

let idfTable: Map<string, number> | null = null;
let idfDefault = 10;
function idfOf(w: string): number {
  if (!idfTable) {
    idfTable = new Map();
    const values: number[] = [];
    for (const line of Buffer.from(idfBytes).toString('utf8').split('\n')) {
      const sp = line.lastIndexOf(' ');
      if (sp <= 0) continue;
      const v = Number(line.slice(sp + 1));
      idfTable.set(line.slice(0, sp), v);
      values.push(v);
    }
    values.sort((a, b) => a - b);
    idfDefault = values[Math.floor(values.length / 2)] ?? 10;
  }
  // Single characters say little; unknown words (local names, new terms) get the median.
  const v = idfTable.get(w) ?? idfDefault;
  return w.length === 1 ? v * 0.3 : v;
}

export interface TextProfile {
  /** word → weight (TF-IDF), and its norm. */
  terms: Map<string, number>;
  termNorm: number;
  /** character bigram → count, and its norm. */
  grams: Map<string, number>;
  gramNorm: number;
}

const K1 = 1.2;

export function profile(title: string, content: string): TextProfile {
  const tf = new Map<string, number>();
  const t = stripBoilerplate(title);
  for (const w of searchTerms(t, { dropStopWords: true })) add(tf, canonical(w), 2);
  for (const w of searchTerms(content, { dropStopWords: true })) add(tf, canonical(w), 1);
  const terms = new Map<string, number>();
  for (const [w, n] of tf) terms.set(w, ((n * (K1 + 1)) / (n + K1)) * idfOf(w));
  const grams = new Map<string, number>();
  const chars = `${t}。${content}`.replace(/[^\p{L}\p{N}。]+/gu, '').toLowerCase();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars.slice(i, i + 2);
    if (g.includes('。')) continue;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return { terms, termNorm: norm(terms), grams, gramNorm: norm(grams) };
}

function add(m: Map<string, number>, k: string, n: number) {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** 关于…的建议: the genre's frame says nothing about the matter. */
export function stripBoilerplate(title: string): string {
  return title
    .replace(/^关于/, '')
    .replace(/(的)?(建议|意见|议案|批评)$/, '')
    .trim();
}

function norm(m: Map<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v * v;
  return Math.sqrt(s);
}

function cosine(a: Map<string, number>, na: number, b: Map<string, number>, nb: number): number {
  if (!na || !nb) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w) dot += v * w;
  }
  return dot / (na * nb);
}

export interface Similarity {
  score: number;
  words: number;
  chars: number;
  /** The heaviest shared words, for the one-line reason shown to people. */
  shared: string[];
}

/** Weight of the word signal in the score (the rest is characters); chosen on training folds (evaluate.ts). */
export const WORD_WEIGHT = 0.65;

export function similarity(a: TextProfile, b: TextProfile, wordWeight = WORD_WEIGHT): Similarity {
  const w = cosine(a.terms, a.termNorm, b.terms, b.termNorm);
  const c = cosine(a.grams, a.gramNorm, b.grams, b.gramNorm);
  const shared = [...a.terms.entries()]
    .filter(([k]) => b.terms.has(k))
    .map(([k, v]) => [k, v * b.terms.get(k)!] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([k]) => k);
  return { score: wordWeight * w + (1 - wordWeight) * c, words: w, chars: c, shared };
}

/** The heaviest words of a text: what the database is asked for candidates (`w1 | w2 | …`). */
export function keyTerms(p: TextProfile, n = 8): string[] {
  return [...p.terms.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([k]) => k);
}

/** An OR query over the key terms, for to_tsquery('simple', …); null when the text has none. */
export function candidateQuery(p: TextProfile, n = 8): string | null {
  const ks = keyTerms(p, n);
  return ks.length ? ks.map((k) => `'${k.replace(/'/g, "''")}'`).join(' | ') : null;
}

/** Sentences (split on 。！？；and line breaks), for the side-by-side comparison. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[。！？!?；;])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Side by side: each sentence of `a` and of `b` marked `same` when the other text has a sentence at
 * least `min` similar in characters (so the page highlights only what differs).
 */
export function compareSentences(a: string, b: string, min = 0.6) {
  const sa = sentences(a).map((s) => ({ s, p: profile('', s) }));
  const sb = sentences(b).map((s) => ({ s, p: profile('', s) }));
  const mark = (xs: typeof sa, ys: typeof sb) =>
    xs.map(({ s, p }) => ({
      text: s,
      same: ys.some((y) => cosine(p.grams, p.gramNorm, y.p.grams, y.p.gramNorm) >= min),
    }));
  return { left: mark(sa, sb), right: mark(sb, sa) };
}
