/**
 * Which unit should lead (主办) and which should co-handle (协办): votes of similar past items (k nearest
 * neighbours by `similarity()`; the unit that finally handled them, so a re-assignment counts as the
 * correction it is) plus the match between the item and each unit's remit text (职责, kept by an admin;
 * the only signal on a cold start).
 *   lead(u) = Σ over the k nearest past items led by u of similarity² (normalised to the best unit)
 *           + 2 × cosine(item, remit of u) / best remit cosine
 */
import { type TextProfile, similarity } from './similarity';

export interface PastItem {
  title: string;
  profile: TextProfile;
  lead: string;
  coHandlers: string[];
}
export interface UnitRemit {
  id: string;
  name: string;
  profile: TextProfile;
}
export interface Recommendation {
  unitId: string;
  unitName: string;
  score: number;
  reason: string;
}

const K = 8;
const REMIT_WEIGHT = 2;
const CO_MIN = 0.25;
const REMIT_FLOOR = 0.25;

export function recommendUnits(
  item: TextProfile,
  past: PastItem[],
  units: UnitRemit[],
  opts: { top?: number; k?: number; remitWeight?: number } = {},
): { lead: Recommendation[]; coHandlers: Recommendation[] } {
  const top = opts.top ?? 3;
  const k = opts.k ?? K;
  const remitWeight = opts.remitWeight ?? REMIT_WEIGHT;
  const names = new Map(units.map((u) => [u.id, u.name]));
  const near = past
    .map((p) => ({ p, s: similarity(item, p.profile).lexical }))
    .filter((x) => x.s > 0.05)
    .sort((a, b) => b.s - a.s)
    .slice(0, k);
  const leadVotes = new Map<string, { v: number; example: string }>();
  const coVotes = new Map<string, { v: number; example: string }>();
  for (const { p, s } of near) {
    const w = s * s;
    const l = leadVotes.get(p.lead);
    leadVotes.set(p.lead, { v: (l?.v ?? 0) + w, example: l?.example ?? p.title });
    for (const c of p.coHandlers) {
      const e = coVotes.get(c);
      coVotes.set(c, { v: (e?.v ?? 0) + w, example: e?.example ?? p.title });
    }
  }
  const remit = new Map<string, { v: number; shared: string[] }>();
  for (const u of units) {
    const sim = similarity(item, u.profile);
    remit.set(u.id, { v: sim.words, shared: sim.shared.slice(0, 3) });
  }
  const maxVote = Math.max(1e-9, ...[...leadVotes.values()].map((x) => x.v));
  const maxCoVote = Math.max(1e-9, ...[...coVotes.values()].map((x) => x.v));
  // A floor, so that when no remit really matches, the weak best one is not taken for a strong one.
  const maxRemit = Math.max(REMIT_FLOOR, ...[...remit.values()].map((x) => x.v));

  const rank = (votes: Map<string, { v: number; example: string }>, maxV: number, role: '主办' | '协办') =>
    units
      .map((u) => {
        const vote = votes.get(u.id);
        const r = remit.get(u.id)!;
        const fromPast = vote ? vote.v / maxV : 0;
        const fromRemit = r.v / maxRemit;
        const score = fromPast + remitWeight * fromRemit;
        const reason =
          vote && fromPast >= remitWeight * fromRemit
            ? `相似建议《${vote.example}》由该单位${role}`
            : r.shared.length
              ? `职责与“${r.shared.join('、')}”相关`
              : '职责匹配度较低';
        return { unitId: u.id, unitName: names.get(u.id) ?? u.id, score, reason };
      })
      .sort((a, b) => b.score - a.score);

  const lead = rank(leadVotes, maxVote, '主办').slice(0, top);
  const leadId = lead[0]?.unitId;
  const coHandlers = rank(coVotes, maxCoVote, '协办')
    .filter((r) => r.unitId !== leadId && r.score >= CO_MIN && coVotes.has(r.unitId))
    .slice(0, top);
  return { lead, coHandlers };
}
