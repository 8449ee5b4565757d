/**
 * The printed documents of one item as the caller may see it: the data comes from the timeline
 * (TimelineService applies the one visibility rule: a deputy never gets an unsent draft, a unit never
 * another unit's draft), so a print shows nothing the page would not. Every print is audited
 * (who printed which document of which item).
 */
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { audit, type SessionUser } from '@jianyi/platform';
import { problems } from '../http/problem';
import { TimelineService } from '../timeline.service';
import { AttachmentService } from '../attachments/attachment.service';
import {
  renderDossier,
  renderReplyLetter,
  renderSuggestionForm,
  type ReplyLetterData,
  type SuggestionFormData,
} from './documents';

type Timeline = NonNullable<Awaited<ReturnType<TimelineService['timeline']>>>;
/** A reply or opinion row of the timeline (timeline.repository.ts). */
interface TimelineReply {
  unitId: string;
  unitName: string;
  round: number;
  category: string | null;
  body: string;
  promisedDate: string | null;
  explanation: string | null;
  signedAt: Date | string | null;
  signedByName: string | null;
  sentAt: Date | string | null;
  documentNo?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
}

/** The step details a reader of the archive needs, with their labels. */
const detailLabels: Record<string, string> = {
  registrationNo: '立案号',
  reason: '理由',
  comments: '修改意见',
  category: '答复类别',
  note: '说明',
  promisedDate: '承诺日期',
  rating: '评价',
  summary: '摘要',
};

export type PrintDocument = 'suggestion' | 'reply_letter' | 'dossier';

export class PrintService {
  private timelines: TimelineService;
  private attachments: AttachmentService;

  constructor(
    private ds: DataSource,
    policies?: PolicyRegistry,
  ) {
    this.timelines = new TimelineService(ds, policies);
    this.attachments = new AttachmentService(ds);
  }

  private async visible(user: SessionUser, id: string): Promise<Timeline> {
    const t = await this.timelines.timeline(user, id);
    if (!t) throw problems.notFound('suggestion');
    return t;
  }

  private form(t: Timeline): SuggestionFormData {
    const s = t.suggestion;
    return {
      registrationNo: s.registrationNo,
      title: s.title,
      content: s.content,
      status: s.status,
      leadDeputyName: s.leadDeputyName,
      cosigners: s.cosigners.map((c) => c.name),
      topic: s.topic,
      submittedAt: s.submittedAt,
      keySupervision: s.keySupervision,
    };
  }

  private letter(t: Timeline, r: TimelineReply): ReplyLetterData {
    const s = t.suggestion;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      unitName: r.unitName,
      documentNo: str(r.documentNo),
      signedByName: str(r.signedByName),
      category: str(r.category),
      registrationNo: s.registrationNo,
      title: s.title,
      deputies: [s.leadDeputyName ?? '', ...s.cosigners.map((c) => c.name)].filter(Boolean),
      body: String(r.body),
      promisedDate: str(r.promisedDate),
      explanation: str(r.explanation),
      date: r.sentAt ?? r.signedAt ?? null,
      contactPerson: str(r.contactPerson),
      contactPhone: str(r.contactPhone),
      publication: t.steps.some((x) => x.type === 'suggestion.publication_withheld') ? 'withheld' : 'public',
      keyItem: s.keySupervision,
      draft: !r.sentAt,
    };
  }

  private async audited(
    user: SessionUser,
    id: string,
    document: PrintDocument,
    extra: Record<string, unknown>,
    requestId: string | null,
  ): Promise<void> {
    await audit(this.ds.manager, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'print.document',
      entityType: 'suggestion',
      entityId: id,
      after: { document, ...extra },
      requestId,
    });
  }

  /** 代表建议: the suggestion with its signers. */
  async suggestion(user: SessionUser, id: string, requestId: string | null) {
    const t = await this.visible(user, id);
    const pdf = await renderSuggestionForm(this.form(t));
    await this.audited(user, id, 'suggestion', {}, requestId);
    return { pdf, registrationNo: t.suggestion.registrationNo };
  }

  /**
   * 答复函 of one unit's reply: `unitId` (required when several units replied) and `round` (the
   * latest by default). A reply the caller may not see (another unit's draft; a draft, for a deputy)
   * is 404 like a missing one.
   */
  async replyLetter(
    user: SessionUser,
    id: string,
    q: { unitId?: string; round?: number },
    requestId: string | null,
  ) {
    const t = await this.visible(user, id);
    const candidates = (t.replies as unknown as TimelineReply[]).filter(
      (r) => (!q.unitId || r.unitId === q.unitId) && (q.round === undefined || r.round === q.round),
    );
    if (!candidates.length) throw problems.notFound('reply');
    const latestRound = Math.max(...candidates.map((r) => r.round));
    const inRound = candidates.filter((r) => r.round === latestRound);
    if (inRound.length > 1)
      throw problems.invalid([
        {
          field: 'unitId',
          message: '承办单位：本件有多个单位的答复，请指定单位',
          messageEn: 'several units replied: name the unit',
        },
      ]);
    const reply = inRound[0]!;
    const pdf = await renderReplyLetter(this.letter(t, reply));
    await this.audited(
      user,
      id,
      'reply_letter',
      { unitId: reply.unitId, round: reply.round, draft: !reply.sentAt },
      requestId,
    );
    return { pdf, registrationNo: t.suggestion.registrationNo, unitName: String(reply.unitName) };
  }

  /** 办理案卷: everything the caller may see of the item, for the archive. */
  async dossier(user: SessionUser, id: string, printedBy: string, requestId: string | null) {
    const t = await this.visible(user, id);
    const steps = t.steps.map((st) => ({
      type: st.type,
      occurredAt: st.occurredAt ?? '',
      actorName: st.actor.name,
      unitName: st.unitName,
      details: Object.entries(detailLabels)
        .filter(([k]) => typeof st.details[k] === 'string' && st.details[k] !== '')
        .map(([k, label]) => [label, String(st.details[k])] as [string, string]),
    }));
    const rows = <T>(v: unknown) => v as T[];
    // 附件: what the caller may see of them (the same rule as the list); JPEG/PNG embedded, at most 20.
    const owners: Record<string, string> = { suggestion: '建议', contact: '沟通记录', reply: '答复/意见' };
    let embedded = 0;
    const files = await Promise.all(
      (await this.attachments.listForItem(user, id)).map(async (a) => ({
        fileName: a.fileName,
        ownerLabel: owners[a.ownerType] ?? a.ownerType,
        unitName: a.unitName,
        sizeBytes: a.sizeBytes,
        createdAt: a.createdAt,
        image:
          (a.mediaType === 'image/jpeg' || a.mediaType === 'image/png') && embedded++ < 20
            ? await this.attachments.bytesOf(a)
            : null,
      })),
    );
    const pdf = await renderDossier({
      attachments: files,
      suggestion: this.form(t),
      steps,
      contacts: rows<{ unitName: string; contactedOn: string; form: string; summary: string }>(t.contacts),
      opinions: (t.opinions as unknown as TimelineReply[]).map((o) => ({
        unitName: String(o.unitName),
        round: o.round,
        body: String(o.body),
        sentAt: o.sentAt,
      })),
      replies: (t.replies as unknown as TimelineReply[]).map((r) => ({
        letter: this.letter(t, r),
        round: r.round,
        sentAt: r.sentAt,
      })),
      evaluations: rows<{
        round: number;
        rating: string;
        comment: string | null;
        ratedByName: string | null;
      }>(t.evaluations),
      requests: rows<{
        unitName: string;
        kind: string;
        reason: string;
        status: string;
        decisionNote: string | null;
      }>(t.requests),
      replyReturns: rows<{ unitName: string; round: number; reason: string }>(t.replyReturns),
      consultationSummary: t.suggestion.consultationSummary,
      printedBy,
      printedAt: new Date(),
    });
    await this.audited(user, id, 'dossier', {}, requestId);
    return { pdf, registrationNo: t.suggestion.registrationNo };
  }
}
