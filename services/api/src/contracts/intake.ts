/** Request schemas of the constituent intake (一码通) and station (家站点) routes: one place for validation and the OpenAPI document. */
import { z } from 'zod';
import { messageCategories, messageRatings, stationKinds } from '@jianyi/domain';

/** Chinese names of the fields a constituent, a deputy or an admin can get wrong. */
export const intakeFieldLabels: Record<string, string> = {
  category: '留言类别',
  content: '留言内容',
  name: '姓名',
  phone: '手机号码',
  consent: '同意联系',
  rating: '评价',
  comment: '评价意见',
  answer: '答复内容',
  unitId: '承办单位',
  note: '转交说明',
  title: '建议标题',
  kind: '站点类型',
  town: '镇(街道)',
  address: '地址',
  openingHours: '开放时间',
  deputyIds: '进站代表',
  staffUserIds: '站点工作人员',
  duties: '值班表',
  stationId: '站点',
};

const phone = z
  .string()
  .trim()
  .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile (11 digits) or landline number');

export const MAX_MESSAGE_CHARS = 2000;

export const messageBody = z.object({
  category: z.enum(messageCategories),
  content: z.string().trim().min(5).max(MAX_MESSAGE_CHARS),
  name: z.string().trim().max(50).optional().nullable(),
  phone: phone
    .optional()
    .nullable()
    .or(z.literal('').transform(() => null)),
  consent: z.boolean().default(false),
  /** Honeypot: a field people never see; a filled one marks a robot. */
  website: z.string().optional(),
});
export type MessageBody = z.infer<typeof messageBody>;

export const offlineMessageBody = messageBody.omit({ website: true }).extend({ stationId: z.uuid() });

export const ratingBody = z.object({
  rating: z.enum(messageRatings),
  comment: z.string().trim().max(500).optional().nullable(),
});
export const answerBody = z.object({ answer: z.string().trim().min(5).max(5000) });
export const forwardBody = z.object({ unitId: z.uuid(), note: z.string().trim().max(1000).default('') });
export const convertBody = z.object({ title: z.string().trim().min(5).max(200) });

export const stationBody = z.object({
  name: z.string().trim().min(2).max(100),
  kind: z.enum(stationKinds),
  town: z.string().trim().max(50).default(''),
  address: z.string().trim().max(200).default(''),
  openingHours: z.string().trim().max(200).default(''),
  deputyIds: z.array(z.uuid()).max(200).default([]),
  staffUserIds: z.array(z.uuid()).max(50).default([]),
});
export const stationPatch = stationBody.partial().extend({ active: z.boolean().optional() });
export const dutiesBody = z.object({
  duties: z
    .array(
      z.object({
        deputyId: z.uuid(),
        day: z.iso.date(),
        slot: z.enum(['am', 'pm', 'day']).default('day'),
      }),
    )
    .max(500),
});
