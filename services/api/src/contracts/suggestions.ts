/** Contracts of /api/suggestions: the deputy's draft, the reviewer's and coordinator's decisions, the units' steps. */
import { z } from 'zod';
import { suggestionStatuses } from '@jianyi/domain';
import { optionalQuery, queryBool, queryInt } from './common';

/** A deputy's suggestion (建议) as created or edited while it is a draft. */
export const suggestionDraftBody = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(10).max(20000),
  topic: z.string().trim().max(32).optional(),
  /** 联名代表 besides the lead deputy. */
  cosignerDeputyIds: z.array(z.uuid()).max(50).optional(),
});

/** 审查: the reviewer accepts, returns, rejects, converts or merges a submitted item. */
export const reviewDecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('return'), comments: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('convert') }),
  z.object({ decision: z.literal('merge'), intoSuggestionId: z.uuid() }),
]);

const unitIdList = z.array(z.uuid()).max(20);
/** 交办: separately to several units (分别办理), or to a lead unit with co-handlers (主办/协办). */
export const assignmentBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('separate'), unitIds: unitIdList.min(1) }),
  z.object({ mode: z.literal('lead'), leadUnitId: z.uuid(), coUnitIds: unitIdList.default([]) }),
]);

/** 批量交办: many items at once, each with its own assignment. */
export const bulkAssignmentBody = z.object({
  items: z
    .array(z.object({ id: z.uuid(), assignment: assignmentBody }))
    .min(1)
    .max(1000),
});

/** 沟通记录: a unit's contact with the deputy. */
export const contactRecordBody = z.object({
  contactedOn: z.iso.date(),
  form: z.enum(['面商', '电话', '座谈', '视察', '走访', '其他']),
  summary: z.string().trim().min(1).max(5000),
});

/** 答复草稿: a unit's reply draft (category A–D). */
export const replyDraftBody = z.object({
  category: z.enum(['A', 'B', 'C', 'D']),
  body: z.string().trim().min(10).max(50000),
  promisedDate: z.iso.date().optional(),
  explanation: z.string().trim().max(5000).optional(),
});

/** 协办意见: a co-handler unit's opinion for the lead unit. */
export const coHandlerOpinionBody = z.object({ body: z.string().trim().min(1).max(20000) });

/** 测评: the deputy's (or a co-signer's) evaluation of the reply. */
export const evaluationBody = z.object({
  rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: z.string().trim().max(2000).optional(),
});

/** 协商会商: the coordinator's summary of a consultation among the units. */
export const consultationBody = z.object({ summary: z.string().trim().min(1).max(5000) });

/** 催办: a supervisor's or reviewer's urging note, to one unit or all. */
export const urgeBody = z.object({ note: z.string().trim().min(1).max(2000), unitId: z.uuid().optional() });

/** 重点督办: mark the item key, with its supervising leader. */
export const keySupervisionBody = z.object({ supervisingLeaderId: z.uuid().optional() });

/** 申请调整 / 申请延期: a unit's request for re-assignment or more time. */
export const unitRequestBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reassignment'), reason: z.string().trim().min(1).max(5000) }),
  z.object({
    kind: z.literal('extension'),
    reason: z.string().trim().min(1).max(5000),
    amount: z.object({
      amount: z.number().positive().max(1000),
      unit: z.enum(['working_days', 'calendar_days', 'months', 'hours', 'seconds']),
    }),
  }),
]);

/** The coordinator's decision on a unit's request. */
export const unitRequestDecisionBody = z.object({
  approve: z.boolean(),
  note: z.string().trim().max(2000).optional(),
  newUnitId: z.uuid().optional(),
});

/** 跟踪落实: a unit's follow-up report on a promised (B-category) reply. */
export const followUpReportBody = z.object({
  report: z.string().trim().min(1).max(20000),
  final: z.boolean(),
});

/** 退回重办: the reviewer sends a unit's reply back, with the reason. */
export const replyReturnBody = z.object({ reason: z.string().trim().min(1).max(5000) });

/** 不予公开: the reason an item closes unpublished (confidential, or the lead deputy's objection). */
export const withholdPublicationBody = z.object({ reason: z.string().trim().min(1).max(5000) });

/** 重点督办 progress report for the period now due. */
export const progressReportBody = z.object({ summary: z.string().trim().min(1).max(20000) });

export const suggestionSortFields = [
  'createdAt',
  'submittedAt',
  'deadlineAt',
  'registrationNo',
  'updatedAt',
] as const;

/** GET /api/suggestions: filters, sort and page. */
export const suggestionListQuery = z.object({
  // One or several statuses, comma-separated (status=a,b) or repeated (status=a&status=b).
  status: optionalQuery(
    z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
      const parts = [
        ...new Set(
          (Array.isArray(v) ? v.join(',') : v)
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!parts.length || parts.some((x) => !(suggestionStatuses as string[]).includes(x))) {
        ctx.addIssue({
          code: 'invalid_value',
          values: suggestionStatuses,
          input: v,
          message: `status must be one or more of ${suggestionStatuses.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
      return parts;
    }),
  ),
  unitId: optionalQuery(z.uuid()),
  deputyId: optionalQuery(z.uuid()),
  town: optionalQuery(z.string().trim().min(1).max(50)),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  topic: optionalQuery(z.string().trim().min(1).max(32)),
  overdue: optionalQuery(queryBool),
  key: optionalQuery(queryBool),
  q: optionalQuery(z.string().trim().min(1).max(100)),
  sort: z.enum(suggestionSortFields).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(20),
  /** Keyset pagination: `nextCursor` of the previous page (then `page` is ignored). */
  cursor: optionalQuery(z.string().max(200)),
});

export type SuggestionDraftInput = z.infer<typeof suggestionDraftBody>;
export type ReviewDecision = z.infer<typeof reviewDecisionBody>;
export type AssignmentInput = z.infer<typeof assignmentBody>;
export type ContactRecordInput = z.infer<typeof contactRecordBody>;
export type ReplyDraftInput = z.infer<typeof replyDraftBody>;
export type EvaluationInput = z.infer<typeof evaluationBody>;
export type UnitRequestInput = z.infer<typeof unitRequestBody>;
export type UnitRequestDecisionInput = z.infer<typeof unitRequestDecisionBody>;
export type FollowUpReportInput = z.infer<typeof followUpReportBody>;
export type SuggestionListQuery = z.infer<typeof suggestionListQuery>;
