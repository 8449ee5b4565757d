/**
 * 履职积分 rules as data (policies/points/rules.json): which event credits which deputies, under a
 * name. The numbers come from the item's jurisdiction policy (`policy.points.<key>`), or a rule
 * gives a plain number. PURE: safe anywhere.
 */
import { z } from 'zod';

export const pointKeys = [
  'submitted',
  'accepted',
  'keySupervision',
  'excellent',
  'feedbackOnTime',
  'constituentHandledOnTime',
  'stationDutyDay',
  'trainingAttended',
  'appointmentKept',
  'activityAttended',
] as const;

export const pointsRulesSchema = z.object({
  $comment: z.string().optional(),
  version: z.literal(1),
  rules: z.array(
    z.object({
      rule: z.string().regex(/^[a-z_]{1,40}$/),
      event: z.string().regex(/^(suggestion|message|station)\./),
      /** Conditions on the event's data: each field must take one of the listed values. */
      when: z
        .record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])))
        .optional(),
      points: z.union([z.enum(pointKeys), z.number().int()]),
      /** lead = the lead deputy (领衔代表); signers = lead and co-signers (联名代表); actor = the deputy who acted;
       * claimer = the deputy who claimed a constituent message (一码通); attendees = the deputies a station
       * record names as having taken part (duty day, appointment held, activity, training). */
      to: z.enum(['lead', 'signers', 'actor', 'claimer', 'attendees']),
      /** suggestion = at most once per suggestion, deputy and rule (a resubmission is not a second submission). */
      once: z.enum(['event', 'suggestion']).default('event'),
      reason: z.string().min(1).max(200),
    }),
  ),
});
export type PointsRules = z.infer<typeof pointsRulesSchema>;
export type PointsRule = PointsRules['rules'][number];
