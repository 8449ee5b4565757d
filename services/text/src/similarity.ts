/**
 * Likely duplicates (疑似重复) among short Chinese texts. Paraphrases of the same proposal share key
 * words but not their order, and sometimes not even the words (电梯加装 / 加装电梯, 公交车 / 公交); items
 * on the same topic that ask for something else (农村生活污水 / 农村人居环境, 候车亭 / 电子站牌) share many
 * words too. Four signals, each in [0, 1]:
 * - words: jieba words without stop words, weighted TF-IDF (BM25-style saturation of the term count,
 *   IDF from jieba's general-language table, so weights do not depend on what is in the database);
 *   title words count double; cosine of the two vectors;
 * - characters: cosine of character-bigram counts of the title and body (catches re-worded phrases);
 * - title coverage: the share of each title's IDF weight (IDF squared if `titlePower` is 2) that the other
 *   text has anywhere; the smaller of the two directions (a title whose key word the other text does
 *   not mention is about something else, however many topic words they share);
 * - the ask (诉求): cosine of the TF-IDF of the proposal sentences (from the first sentence with
 *   建议/希望/呼吁/请求 on), apart from the description of the problem.
 * A text with no title (a constituent message) or no ask sentence yet (a draft) uses the word signal in
 * place of the one it lacks. score = Σ weight × signal (DUPLICATE_WEIGHTS, summing to 1); items at or
 * above DUPLICATE_THRESHOLD are shown. Weights and threshold are chosen by evaluate.ts; on the labelled set
 * the rule keeps only title coverage and the ask (words and characters get weight 0 in the score, and
 * still find the neighbours for unit recommendation: `lexical`).
 */
import { idf as idfBytes } from '@node-rs/jieba/dict';
import { searchTerms } from './segment';
import { canonical } from './synonyms';

export const DUPLICATE_THRESHOLD = 0.338;

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
  /** The title's words → IDF (empty without a title). */
  titleTerms: Map<string, number>;
  /** The ask: TF-IDF of the proposal sentences, and its norm (0 when there is none). */
  ask: Map<string, number>;
  askNorm: number;
}

const K1 = 1.2;

const termsOf = (text: string) => searchTerms(text, { dropStopWords: true }).map(canonical);

function tfidf(parts: [words: string[], weight: number][]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const [ws, weight] of parts) for (const w of ws) add(tf, w, weight);
  const out = new Map<string, number>();
  for (const [w, n] of tf) out.set(w, ((n * (K1 + 1)) / (n + K1)) * idfOf(w));
  return out;
}

const ASKS = /建议|希望|呼吁|请求|恳请/;

/** The proposal part of a suggestion: from the first sentence that asks (建议…) to the end. */
export function askPart(content: string): string {
  const ss = sentences(content);
  const i = ss.findIndex((x) => ASKS.test(x));
  return i < 0 ? '' : ss.slice(i).join('');
}

export function profile(title: string, content: string): TextProfile {
  const t = stripBoilerplate(title);
  const titleWords = termsOf(t);
  const terms = tfidf([
    [titleWords, 2],
    [termsOf(content), 1],
  ]);
  const titleTerms = new Map(titleWords.map((w) => [w, idfOf(w)]));
  const ask = tfidf([[termsOf(askPart(content)), 1]]);
  const grams = new Map<string, number>();
  const chars = `${t}。${content}`.replace(/[^\p{L}\p{N}。]+/gu, '').toLowerCase();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars.slice(i, i + 2);
    if (g.includes('。')) continue;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return { terms, termNorm: norm(terms), grams, gramNorm: norm(grams), titleTerms, ask, askNorm: norm(ask) };
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

/** Share of `title`'s weight (each IDF to the power `power`) whose word `other` has. */
function coverage(title: Map<string, number>, other: Map<string, number>, power: number): number {
  let all = 0;
  let found = 0;
  for (const [k, v] of title) {
    const x = v ** power;
    all += x;
    if (other.has(k)) found += x;
  }
  return all ? found / all : 0;
}

export interface Similarity {
  score: number;
  words: number;
  chars: number;
  /** Title coverage (the smaller direction); the word signal when a text has no title. */
  title: number;
  /** Similarity of the asks; the word signal when a text has none. */
  ask: number;
  /** The former two-signal score (words and characters), used to find neighbours for unit recommendation. */
  lexical: number;
  /** The heaviest shared words, for the one-line reason shown to people. */
  shared: string[];
}

/** Weight of the word signal in the lexical score (the rest is characters), for unit recommendation. */
export const WORD_WEIGHT = 0.65;

export interface DuplicateWeights {
  words: number;
  chars: number;
  title: number;
  ask: number;
  /** 1: title words weighted by IDF; 2: by IDF squared. */
  titlePower: 1 | 2;
}
/** Chosen by the rule of evaluate.ts (best F1 on the labelled set); see README for the cross-validated figures. */
export const DUPLICATE_WEIGHTS: DuplicateWeights = {
  words: 0,
  chars: 0,
  title: 0.6,
  ask: 0.4,
  titlePower: 2,
};

export function similarity(a: TextProfile, b: TextProfile, weights = DUPLICATE_WEIGHTS): Similarity {
  const w = cosine(a.terms, a.termNorm, b.terms, b.termNorm);
  const c = cosine(a.grams, a.gramNorm, b.grams, b.gramNorm);
  const title =
    a.titleTerms.size && b.titleTerms.size
      ? Math.min(
          coverage(a.titleTerms, b.terms, weights.titlePower),
          coverage(b.titleTerms, a.terms, weights.titlePower),
        )
      : w;
  const ask = a.askNorm && b.askNorm ? cosine(a.ask, a.askNorm, b.ask, b.askNorm) : w;
  const shared = [...a.terms.entries()]
    .filter(([k]) => b.terms.has(k))
    .map(([k, v]) => [k, v * b.terms.get(k)!] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([k]) => k);
  return {
    score: weights.words * w + weights.chars * c + weights.title * title + weights.ask * ask,
    words: w,
    chars: c,
    title,
    ask,
    lexical: WORD_WEIGHT * w + (1 - WORD_WEIGHT) * c,
    shared,
  };
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
