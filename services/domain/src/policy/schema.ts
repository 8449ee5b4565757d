/**
 * Jurisdiction policy: every number of the handling process (docs/process.md)
 * as versioned data, one file per jurisdiction and version in /policies.
 * PURE: safe for Temporal workflow code.
 */
import { z } from 'zod';
import { isCalendarDate } from '../calendar/civil';

/**
 * Units of a {@link Duration}.
 * - 'working_days': skip weekends and holidays, count make-up working days; the
 *   start day is not counted; ends at 23:59:59.999 China time of the last day.
 * - 'calendar_days': plain days; a last day that is a day off moves to the next
 *   working day; ends at 23:59:59.999 China time.
 * - 'months': same day n months later (clamped to the month end), moved to the
 *   next working day if off; ends at 23:59:59.999 China time.
 * - 'hours': plain elapsed time (e.g. the 24-hour claim window).
 * - 'seconds': plain elapsed time. FOR TEST POLICIES ONLY (policies with
 *   `testOnly: true`), so workflow tests can run real timers quickly.
 */
export const durationUnits = ['working_days', 'calendar_days', 'months', 'hours', 'seconds'] as const;
export type DurationUnit = (typeof durationUnits)[number];

/** Units whose amount must be a whole number and whose deadlines end at the end of a China day. */
export const dayBasedUnits: readonly DurationUnit[] = ['working_days', 'calendar_days', 'months'];

export const durationSchema = z
  .strictObject({
    amount: z.number().min(0),
    unit: z.enum(durationUnits),
  })
  .superRefine((d, ctx) => {
    if (dayBasedUnits.includes(d.unit) && !Number.isInteger(d.amount)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `amount in ${d.unit} must be a whole number, got ${d.amount}`,
      });
    }
  });

/** A length of time in one unit, e.g. `{ amount: 3, unit: 'months' }`. */
export type Duration = z.infer<typeof durationSchema>;

const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, { message: "must be a real date written 'YYYY-MM-DD'" });
const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be a time of day 'HH:MM'");
const pointsSchema = z.number().int().min(0);

export const jurisdictionLevels = ['national', 'provincial', 'city', 'county', 'township', 'test'] as const;
export type JurisdictionLevel = (typeof jurisdictionLevels)[number];

/** Who must sign off (签发) a reply. */
export const signOffRoles = ['unit_leader', 'principal_leader'] as const;
export type SignOffRole = (typeof signOffRoles)[number];

const deadlinesSchema = z.strictObject({
  /** Pre-review (预审) of a submitted suggestion, from submission. Default 5 working days. */
  preReview: durationSchema,
  /** Assignment (交办) of a suggestion accepted between sessions, from acceptance. Default 5 working days. */
  assignmentBetweenSessions: durationSchema,
  /** Assignment of suggestions submitted at a session (交办会), from the session's close. Default 30 days. */
  assignmentAfterSession: durationSchema,
  /** Window for a unit's re-assignment request (申请调整), from assignment. Default 7 working days (places use 3–10). */
  reassignmentRequest: durationSchema,
  /** Co-handlers' (协办/会办) written opinions to the lead unit, from assignment. Default 1 month. */
  coHandlerOpinion: durationSchema,
  /** Reply (答复), from assignment. Default 3 months. */
  reply: durationSchema,
  /** Cap on total handling time including all extensions, from assignment. Default 6 months. */
  maxHandling: durationSchema,
  /** Deputy's evaluation (满意度测评), from the reply; none by then = 未反馈. Default 20 working days. */
  evaluation: durationSchema,
  /** Second reply after 不满意 (重新办理), from the send-back. Default 1 month (places use 15 days to 3 months). */
  rehandling: durationSchema,
  /** A station deputy claims a constituent message, from its arrival; else it goes to station staff. Default 24 hours. */
  constituentClaim: durationSchema,
  /** A unit answers a constituent message forwarded to it, from forwarding. Default 7 working days. */
  constituentAnswer: durationSchema,
});

export const jurisdictionPolicySchema = z
  .strictObject({
    /** Optional JSON-schema hint for editors; ignored. */
    $schema: z.string().optional(),
    /** Slug, e.g. 'national-default'. With `version` it names the file: `${id}@${version}.json`. */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "city-x"'),
    /** e.g. '2026.1'. */
    version: z.string().regex(/^[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*$/, 'must look like "2026.1"'),
    /** Chinese display name. */
    name: z.string().min(1),
    description: z.string().optional(),
    jurisdiction: z.strictObject({
      level: z.enum(jurisdictionLevels),
      /** Chinese name of the body or place, e.g. '全国人大常委会' or 'X市人大常委会'. */
      name: z.string().min(1),
      /** Administrative division code (行政区划代码), if any. */
      code: z.string().optional(),
    }),
    /** First China calendar date on which this version applies. */
    effectiveFrom: calendarDateSchema,
    /** Marks a policy for automated tests; only such policies may use 'seconds'. */
    testOnly: z.boolean().optional(),
    deadlines: deadlinesSchema,
    /** Whether the reply and co-handler clocks stop while a re-assignment request is pending. Default false (a lead unit keeps handling). */
    pauseClockDuringReassignment: z.boolean(),
    /** Extensions (延期): how many, how long each; the total is still capped by `deadlines.maxHandling`. */
    extension: z.strictObject({
      maxCount: z.number().int().min(0),
      maxEach: durationSchema,
    }),
    reminders: z.strictObject({
      /** Reminders to the handler at these fractions of the time (default [0.5, 0.75]); ascending, each in (0, 1). */
      fractions: z
        .array(z.number().gt(0).lt(1))
        .refine(
          (xs) => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number)),
          'must be strictly ascending',
        ),
      /** Yellow warning (黄牌) during the last part of the time; default the last 5 working days. */
      yellowLast: durationSchema,
      /** Notices go out only inside these hours of working days (China time); null = any time (test policies). */
      noticeHours: z
        .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
        .refine((h) => h.start < h.end, { message: 'end must be after start', path: ['end'] })
        .nullable(),
    }),
    signOff: z.strictObject({
      /** Who signs an ordinary reply. */
      normal: z.enum(signOffRoles),
      /** Who signs a reply on a key-supervision item (重点督办). */
      key: z.enum(signOffRoles),
    }),
    keySupervision: z.strictObject({
      /** Interval of progress reports on key items. Default 1 month. */
      progressReportEvery: durationSchema,
    }),
    /** Deputy performance points (履职积分) per event. */
    points: z.strictObject({
      submitted: pointsSchema,
      accepted: pointsSchema,
      keySupervision: pointsSchema,
      /** 优秀建议: the item was named an excellent suggestion (optional: older policies give none). */
      excellent: pointsSchema.optional(),
      /** Feedback on a reply within the evaluation window, whatever the rating (points never depend on being satisfied). */
      feedbackOnTime: pointsSchema,
      constituentHandledOnTime: pointsSchema,
      stationDutyDay: pointsSchema,
      trainingAttended: pointsSchema,
      /** 约见 held (the deputy met the constituent; optional: older policies give none). */
      appointmentKept: pointsSchema.optional(),
      /** A station activity attended (接待日, 问政, 视察, 学习; optional: older policies give none). */
      activityAttended: pointsSchema.optional(),
    }),
  })
  .superRefine((p, ctx) => {
    // 'seconds' only in test policies.
    const durations: Array<[PropertyKey[], Duration]> = [
      ...Object.entries(p.deadlines).map(([k, d]): [PropertyKey[], Duration] => [['deadlines', k], d]),
      [['extension', 'maxEach'], p.extension.maxEach],
      [['reminders', 'yellowLast'], p.reminders.yellowLast],
      [['keySupervision', 'progressReportEvery'], p.keySupervision.progressReportEvery],
    ];
    if (p.testOnly !== true) {
      for (const [path, d] of durations) {
        if (d.unit === 'seconds') {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'unit'],
            message: "unit 'seconds' is only allowed in policies with testOnly: true",
          });
        }
      }
    }
    // Ordering that must hold when the units agree.
    const notLonger = (a: keyof typeof p.deadlines, b: keyof typeof p.deadlines): void => {
      const da = p.deadlines[a];
      const db = p.deadlines[b];
      if (da.unit === db.unit && da.amount > db.amount) {
        ctx.addIssue({
          code: 'custom',
          path: ['deadlines', a, 'amount'],
          message: `${a} (${da.amount} ${da.unit}) is longer than ${b} (${db.amount} ${db.unit})`,
        });
      }
    };
    notLonger('reply', 'maxHandling');
    notLonger('coHandlerOpinion', 'reply');
  });

export type JurisdictionPolicy = z.infer<typeof jurisdictionPolicySchema>;
export type PolicyDeadlineName = keyof JurisdictionPolicy['deadlines'];
export type PolicyReminders = JurisdictionPolicy['reminders'];

/** The registry key of a policy: `${id}@${version}`, e.g. 'national-default@2026.1'. */
export function policyKey(policy: Pick<JurisdictionPolicy, 'id' | 'version'>): string {
  return `${policy.id}@${policy.version}`;
}
