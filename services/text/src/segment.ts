/**
 * Chinese word segmentation (分词) with jieba (`@node-rs/jieba`, Rust, prebuilt inside the npm package)
 * and a user dictionary of this platform's terms (data/userdict.txt: place names of the jurisdiction,
 * unit names, 加装电梯, 城乡公交 …). PostgreSQL cannot segment Chinese, so the app segments and stores
 * the space-joined terms as a `simple` tsvector; queries are segmented the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | null = null;
const extraTerms = new Set<string>();

/** The shared segmenter (loading the dictionary takes about a second, so once per process). */
export function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(readFileSync(join(__dirname, '..', 'data', 'userdict.txt')));
  }
  return jieba;
}

/** Adds terms (unit names, place names read from the database) to the dictionary. */
export function addTerms(terms: Iterable<string>): void {
  const fresh = [...terms].map((t) => t.trim()).filter((t) => t.length >= 2 && !extraTerms.has(t));
  if (!fresh.length) return;
  for (const t of fresh) extraTerms.add(t);
  segmenter().loadDict(Buffer.from(fresh.map((t) => `${t.replace(/\s+/g, '')} 3000 n`).join('\n')));
}

/** Words that carry no meaning for search or similarity (function words and the genre's boilerplate). */
export const STOP_WORDS = new Set(
  (
    '的 了 和 与 及 或 在 是 对 为 把 被 将 等 也 都 而 并 其 之 中 上 下 有 无 不 要 会 能 可 让 给 从 向 以 于 由 到 这 那 该 此 各 ' +
    '我 我们 你 他 她 它 他们 一 个 些 很 更 还 又 再 就 已 已经 进一步 关于 建议 建议书 意见 问题 情况 方面 工作 有关 相关 目前 当前 ' +
    '近年来 存在 通过 进行 开展 加强 推进 提升 提高 完善 加大 做好 落实 积极 切实 有效 尽快 希望 能够 需要 一些 部分 以及 同时 因此 ' +
    '但是 但 如 如果 由于 所以 没有 较 比较 非常 主要 我市 本市 市 镇 街道 确保 实现 形成 作为 对于'
  ).split(/\s+/),
);

const WORD = /[\p{L}\p{N}]/u;

/** Normalises a term: full-width ASCII to half-width, lower case, only letters and digits kept. */
export function normalizeTerm(t: string): string {
  return t
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Precise-mode words (精确模式) of a text, normalised, punctuation dropped; stop words kept unless asked. */
export function words(text: string, opts: { dropStopWords?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const raw of segmenter().cut(text.normalize('NFKC'), false)) {
    if (!WORD.test(raw)) continue;
    const w = normalizeTerm(raw);
    if (!w || (opts.dropStopWords && STOP_WORDS.has(w))) continue;
    out.push(w);
  }
  return out;
}

/**
 * The terms stored in the search vector: search mode (搜索引擎模式) also emits the dictionary words inside
 * long words (城乡公交 → 城乡, 公交, 城乡公交), so a query for 公交 finds 城乡公交.
 */
export function searchTerms(text: string, opts: { dropStopWords?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const raw of segmenter().cutForSearch(text.normalize('NFKC'), false)) {
    if (!WORD.test(raw)) continue;
    const w = normalizeTerm(raw);
    if (!w || (opts.dropStopWords && STOP_WORDS.has(w))) continue;
    out.push(w);
  }
  return out;
}

/** The text PostgreSQL turns into the search vector: `to_tsvector('simple', <this>)`. */
export function searchDocument(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p)
    .map((p) => searchTerms(p).join(' '))
    .join(' ');
}
