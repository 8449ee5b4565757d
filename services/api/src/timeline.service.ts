/**
 * 办理轨迹 (timeline) of one suggestion: every step from its outbox events, in order, with who acted
 * and when, plus the records a person reading the item needs beside the steps (contacts, co-handler
 * opinions, replies, evaluations, unit requests) and each open deadline counted in working days.
 *
 * Same visibility as GET /api/suggestions/:id (null when the caller may not see the item). A deputy
 * sees replies only once they are sent (a draft or an unsigned reply is the unit's own business).
 */
import type { DataSource } from 'typeorm';
import { chinaDateOf, isDeadlineProvisional, policyDeadline, type PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import {
  activeUnits,
  eventVisible,
  loadWorkCalendar,
  type SessionUser,
  type VisibleEvent,
} from '@jianyi/platform';
import { CLOSED_ASSIGNMENT, deadlineLevel, yellowWorkingDays, type TimelineDeadline } from './deadlines';
import { allowedActionsFor } from './rules.facts';
import { SuggestionRepository } from './suggestion.repository';
import { TimelineRepository } from './timeline.repository';

/** Statuses in which the item's own clock no longer runs. */
// A returned item waits for its deputy (no clock of the item runs): the pre-review deadline the
// projection still holds from the last submission is not shown.
const ITEM_CLOCK_STOPPED = [
  'draft',
  'returned',
  'published',
  'closed',
  'rejected',
  'converted',
  'merged',
  'withdrawn',
];

const iso = (v: Date | string | null | undefined) => (v == null ? null : new Date(v).toISOString());

export class TimelineService {
  private suggestions: SuggestionRepository;
  private repo: TimelineRepository;

  constructor(
    private ds: DataSource,
    private policies?: PolicyRegistry,
  ) {
    this.suggestions = new SuggestionRepository(ds);
    this.repo = new TimelineRepository(ds);
  }

  /** The timeline of item `id` as `user` may see it, or null when they may not see the item. */
  async timeline(user: SessionUser, id: string) {
    const s = await this.suggestions.findVisible(user, id);
    if (!s) return null;
    const [records, cal] = await Promise.all([this.repo.records(user, id), loadWorkCalendar(this.ds)]);
    const { extra, cosigners, events, assignments, replies, versions: versionRows } = records;

    // What changed from the version before (the first submission changed nothing).
    const versions = versionRows.map((v, i) => {
      const prev = versionRows[i - 1];
      const changed: ('title' | 'content' | 'cosigners')[] = [];
      if (prev) {
        if (prev.title !== v.title) changed.push('title');
        if (prev.content !== v.content) changed.push('content');
        if ([...prev.cosignerDeputyIds].sort().join() !== [...v.cosignerDeputyIds].sort().join())
          changed.push('cosigners');
      }
      return { ...v, submittedAt: iso(v.submittedAt), changed };
    });

    const unitNames = new Map<string, string>(assignments.map((a) => [a.unitId, a.unitName]));
    const missingUnits = [
      ...new Set(
        events.flatMap((e) => {
          const d = (e.payload.data ?? {}) as Record<string, unknown>;
          return [d.unitId, d.newUnitId].filter(
            (u): u is string => typeof u === 'string' && !unitNames.has(u),
          );
        }),
      ),
    ];
    for (const u of await this.repo.unitNames(missingUnits)) unitNames.set(u.id, u.name);

    const parts = (await activeUnits(this.ds, [id])).get(id) ?? [];
    const visibleEvents = events.filter((e) =>
      eventVisible(user, e.payload as unknown as VisibleEvent, parts),
    );
    const steps = visibleEvents.map((e) => {
      const p = e.payload as {
        occurredAt?: string;
        actor?: { userId?: string | null; role?: string | null; name?: string; unitId?: string | null };
        data?: Record<string, unknown>;
      };
      // The audience is for consumers' filtering, not for people.
      const details = { ...(p.data ?? {}) };
      delete details.audience;
      const unitId = typeof details.unitId === 'string' ? details.unitId : null;
      return {
        seq: Number(e.seq),
        eventId: e.eventId,
        type: e.type,
        occurredAt: p.occurredAt ?? iso(e.createdAt),
        actor: { userId: p.actor?.userId ?? null, name: p.actor?.name ?? null, role: p.actor?.role ?? null },
        unitId,
        unitName: unitId ? (unitNames.get(unitId) ?? null) : null,
        from: typeof details.from === 'string' ? details.from : null,
        to: typeof details.to === 'string' ? details.to : null,
        details,
      };
    });

    this.policies ??= loadPolicyRegistry();
    const yellowDays = yellowWorkingDays(
      extra?.policyVersion ? this.policies.find(extra.policyVersion) : undefined,
    );
    const now = new Date();
    const latestRound = Math.max(0, ...assignments.map((a) => a.round));
    const deadlines: TimelineDeadline[] = assignments
      .filter((a) => a.round === latestRound && a.deadlineAt && !CLOSED_ASSIGNMENT.has(a.status))
      .map((a) => ({
        scope: 'unit' as const,
        unitId: a.unitId,
        unitName: a.unitName,
        role: a.role,
        round: a.round,
        ...deadlineLevel(
          cal,
          now,
          new Date(a.deadlineAt!),
          yellowDays,
          a.assignedAt ? new Date(a.assignedAt) : null,
        ),
      }));
    if (extra?.deadlineAt && !ITEM_CLOCK_STOPPED.includes(s.status)) {
      deadlines.unshift({
        scope: 'item',
        unitId: null,
        unitName: null,
        role: null,
        round: extra.round,
        ...deadlineLevel(
          cal,
          now,
          new Date(extra.deadlineAt),
          yellowDays,
          assignments
            .filter((a) => a.round === extra.round && a.assignedAt)
            .map((a) => new Date(a.assignedAt))
            .sort((x, y) => x.getTime() - y.getTime())[0] ?? null,
        ),
      });
    }

    // 满意度测评: while the reply waits for the lead deputy's rating, the window (policy, from the reply)
    // is shown to the deputy (and everyone who reads the item); no answer by then is 未反馈.
    let evaluationDeadline: (ReturnType<typeof deadlineLevel> & { round: number }) | null = null;
    const round = extra?.round ?? 1;
    const lastReplied = [...events].reverse().find((e) => e.type === 'suggestion.replied');
    // The item's policy as the reply event carries it (every event names the policy it was made under).
    const policyKey =
      (lastReplied?.payload as { policyVersion?: string } | undefined)?.policyVersion ?? extra?.policyVersion;
    const evaluationPolicy = policyKey ? this.policies.find(policyKey) : undefined;
    if (
      s.status === 'replied' &&
      evaluationPolicy &&
      lastReplied &&
      !records.evaluations.some((e) => e.round === round)
    ) {
      const from = new Date(
        (lastReplied.payload as { occurredAt?: string }).occurredAt ?? lastReplied.createdAt,
      );
      const at = policyDeadline(cal, evaluationPolicy, 'evaluation', from.getTime());
      evaluationDeadline = { round, ...deadlineLevel(cal, now, new Date(at), yellowDays, from) };
    }

    const byKind = (kind: string) =>
      replies
        .filter((x) => x.kind === kind)
        .map((x) => {
          const rest = { ...x };
          delete rest.kind;
          return rest;
        });
    return {
      suggestion: {
        ...s,
        topic: extra?.topic ?? '',
        keySupervision: extra?.keySupervision ?? false,
        round: extra?.round ?? 1,
        mergedIntoId: extra?.mergedIntoId ?? null,
        consultationSummary: extra?.consultationSummary ?? null,
        cosigners,
        allowedActions: await allowedActionsFor(this.ds, user, s),
      },
      today: chinaDateOf(now.getTime()),
      steps,
      assignments: assignments.map((a) => ({
        ...a,
        deadlineProvisional: isDeadlineProvisional(cal, a.deadlineAt, a.assignedAt),
        deadlineAt: iso(a.deadlineAt),
        signedInAt: iso(a.signedInAt),
        assignedAt: iso(a.assignedAt),
        endedAt: iso(a.endedAt),
      })),
      deadlines,
      evaluationDeadline,
      contacts: records.contacts,
      opinions: byKind('opinion'),
      replies: byKind('reply'),
      evaluations: records.evaluations,
      requests: records.requests,
      cosignerEvaluations: records.cosignerEvaluations,
      replyReturns: records.replyReturns,
      progressReports: records.progressReports,
      versions,
    };
  }
}
