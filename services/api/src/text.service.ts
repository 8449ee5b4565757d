/**
 * Duplicates (疑似重复) and unit recommendation (交办推荐) against the database (issue 12). Candidates come
 * from the search index (an OR of the text's heaviest words, best ts_rank_cd first), then services/text
 * scores them; so the cost does not grow with the number of items beyond what the index returns.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isOverseer, type SessionUser } from '@jianyi/platform';
import {
  DUPLICATE_THRESHOLD,
  candidateQuery,
  compareSentences,
  profile,
  recommendUnits,
  similarity,
  type PastItem,
  type TextProfile,
} from '@jianyi/text';
import { PUBLIC_WHERE } from './public.repository';
import { searchIndexIsRum } from './search';

const CANDIDATES = 100;

interface Candidate {
  id: string;
  title: string;
  content: string;
  status: string;
  registrationNo: string | null;
  sessionYear: number | null;
  leadDeputyName: string | null;
  published: boolean;
}

export class TextService {
  constructor(private ds: DataSource) {}

  private async candidates(p: TextProfile, extraWhere: string, params: unknown[]): Promise<Candidate[]> {
    const tq = candidateQuery(p);
    if (!tq) return [];
    const all = [tq, CANDIDATES, ...params];
    // With RUM the best-ranked candidates come from the index in order (search.ts).
    const order = (await searchIndexIsRum(this.ds))
      ? `s.search_tsv <=> to_tsquery('simple', $1)`
      : `ts_rank_cd(s.search_tsv, to_tsquery('simple', $1)) DESC`;
    return this.ds.query(
      `SELECT s.id, s.title, s.content, s.status, s.registration_no AS "registrationNo", s.session_year AS "sessionYear",
         d.name AS "leadDeputyName", (${PUBLIC_WHERE}) AS published
       FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id
       WHERE s.search_tsv @@ to_tsquery('simple', $1) AND ${extraWhere}
       ORDER BY ${order} LIMIT $2`,
      all,
    );
  }

  /**
   * Items that look like the same proposal as this text. Everyone who drafts or reviews may ask;
   * a deputy sees other deputies' items only once submitted and not confidential, and the reply
   * text only of published items (公开的答复); reviewers see every submitted item.
   */
  async similar(
    user: SessionUser,
    title: string,
    content: string,
    opts: { excludeId?: string; limit?: number } = {},
  ) {
    const p = profile(title, content);
    const params: unknown[] = [opts.excludeId ?? '00000000-0000-0000-0000-000000000000'];
    const where = [`s.status NOT IN ('draft', 'withdrawn')`, `s.id <> $3::uuid`];
    if (user.role === 'deputy') where.push('NOT s.confidential');
    const found = (await this.candidates(p, where.join(' AND '), params))
      .map((c) => ({ c, sim: similarity(p, profile(c.title, c.content)) }))
      .filter((x) => x.sim.score >= DUPLICATE_THRESHOLD)
      .sort((a, b) => b.sim.score - a.sim.score)
      .slice(0, opts.limit ?? 5);
    const ids = found.map((x) => x.c.id);
    const replies: { suggestionId: string; unitName: string; category: string; body: string }[] = ids.length
      ? await this.ds.query(
          `SELECT r.suggestion_id AS "suggestionId", u.name AS "unitName", r.category, r.body FROM replies r JOIN units u ON u.id = r.unit_id
           WHERE r.suggestion_id = ANY($1::uuid[]) AND r.kind = 'reply' AND r.sent_at IS NOT NULL ORDER BY r.round DESC, u.code`,
          [ids],
        )
      : [];
    const mayReadReply = (c: Candidate) => user.role !== 'deputy' || c.published;
    return found.map(({ c, sim }) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      registrationNo: c.registrationNo,
      sessionYear: c.sessionYear,
      leadDeputyName: c.leadDeputyName,
      score: Math.round(sim.score * 100) / 100,
      sharedTerms: sim.shared,
      replies: replies
        .filter((r) => r.suggestionId === c.id)
        .map((r) => ({ unitName: r.unitName, category: r.category, body: mayReadReply(c) ? r.body : null })),
      // Side by side for the reviewer: sentences the other text does not have are marked.
      ...(user.role === 'deputy' ? {} : { compare: compareSentences(content, c.content) }),
    }));
  }

  /**
   * 疑似重复 of a constituent message: the messages that read alike among `others` (those a merge may
   * go to: same station, visible, not merged), and the suggestions that read alike. Suggestions as in
   * `similar` for a deputy (submitted, not confidential) and an overseer (every submitted item); for
   * station staff and units only published ones (答复公开), as the public sees them.
   */
  async similarToMessage(
    user: SessionUser,
    content: string,
    others: { id: string; trackingCode: string; status: string; content: string; createdAt: string }[],
  ) {
    const p = profile('', content);
    const best = <T>(xs: { x: T; score: number }[]) =>
      xs
        .filter((a) => a.score >= DUPLICATE_THRESHOLD)
        .sort((a, b) => b.score - a.score)
        .slice(0, 5);
    const messages = best(
      others.map((o) => {
        const sim = similarity(p, profile('', o.content));
        return { x: { o, sim }, score: sim.score };
      }),
    ).map(({ x: { o, sim } }) => ({
      id: o.id,
      trackingCode: o.trackingCode,
      status: o.status,
      excerpt: o.content.slice(0, 120),
      createdAt: o.createdAt,
      score: Math.round(sim.score * 100) / 100,
      sharedTerms: sim.shared,
    }));
    const where = [`s.status NOT IN ('draft', 'withdrawn')`];
    if (user.role === 'deputy') where.push('NOT s.confidential');
    else if (!isOverseer(user)) where.push(PUBLIC_WHERE);
    const suggestions = best(
      (await this.candidates(p, where.join(' AND '), [])).map((c) => {
        const sim = similarity(p, profile(c.title, c.content));
        return { x: { c, sim }, score: sim.score };
      }),
    ).map(({ x: { c, sim } }) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      registrationNo: c.registrationNo,
      sessionYear: c.sessionYear,
      score: Math.round(sim.score * 100) / 100,
      sharedTerms: sim.shared,
    }));
    return { messages, suggestions };
  }

  /** The three likeliest lead units and co-handlers, each with a one-line reason. */
  async recommend(suggestionId: string) {
    const rows: { title: string; content: string }[] = await this.ds.query(
      `SELECT title, content FROM suggestions WHERE id = $1`,
      [suggestionId],
    );
    const item = rows[0];
    if (!item) return null;
    const p = profile(item.title, item.content);
    const units: { id: string; name: string; remit: string }[] = await this.ds.query(
      `SELECT id, name, remit FROM units ORDER BY code`,
    );
    // Past items: those with a handling unit in their latest round; a unit whose part was re-assigned
    // away does not count (the re-assignment is the correction).
    const past = await this.candidates(
      p,
      `s.id <> $3::uuid AND EXISTS (SELECT 1 FROM assignments x WHERE x.suggestion_id = s.id)`,
      [suggestionId],
    );
    const asg: { suggestionId: string; unitId: string; role: string }[] = past.length
      ? await this.ds.query(
          `SELECT a.suggestion_id AS "suggestionId", a.unit_id AS "unitId", a.role FROM assignments a
           WHERE a.suggestion_id = ANY($1::uuid[]) AND a.status <> 'reassigned'
             AND a.round = (SELECT max(r.round) FROM assignments r WHERE r.suggestion_id = a.suggestion_id)`,
          [past.map((x) => x.id)],
        )
      : [];
    const pastItems: PastItem[] = [];
    for (const c of past) {
      const mine = asg.filter((a) => a.suggestionId === c.id);
      const lead = mine.find((a) => a.role === 'lead') ?? mine.find((a) => a.role === 'separate');
      if (!lead) continue;
      pastItems.push({
        title: c.title,
        profile: profile(c.title, c.content),
        lead: lead.unitId,
        coHandlers: mine.filter((a) => a.role === 'co').map((a) => a.unitId),
      });
    }
    return recommendUnits(
      p,
      pastItems,
      units.map((u) => ({ id: u.id, name: u.name, profile: profile(u.name, u.remit) })),
    );
  }

  /** Records the reviewer's lead unit against what was recommended (for the agreement panel). */
  async recordChoice(suggestionId: string, chosenUnitId: string, decidedBy: string) {
    const r = await this.recommend(suggestionId);
    if (!r) return;
    const ids = r.lead.map((x) => x.unitId);
    const rank = ids.indexOf(chosenUnitId);
    await this.ds.query(
      `INSERT INTO unit_recommendations (id, suggestion_id, recommended_unit_ids, chosen_unit_id, chosen_rank, decided_by)
       VALUES ($1, $2, $3::uuid[], $4, $5, $6)`,
      [randomUUID(), suggestionId, ids, chosenUnitId, rank < 0 ? null : rank + 1, decidedBy],
    );
  }

  /** Top-1 and top-3 agreement of the recommendation with the reviewers' choices over the last `days`. */
  async agreement(days: number) {
    const rows: { total: number; top1: number; top3: number }[] = await this.ds.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE chosen_rank = 1)::int AS top1,
         count(*) FILTER (WHERE chosen_rank <= 3)::int AS top3
       FROM unit_recommendations WHERE created_at > now() - make_interval(days => $1::int)`,
      [days],
    );
    const r = rows[0]!;
    return {
      days,
      total: r.total,
      top1: r.total ? r.top1 / r.total : null,
      top3: r.total ? r.top3 / r.total : null,
    };
  }
}
