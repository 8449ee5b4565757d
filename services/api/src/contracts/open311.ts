/**
 * Contracts of Open311 GeoReport v2 (the open standard city service-request systems speak:
 * FixMyStreet, SeeClickFix and their apps), served at /open311/v2 (and /api/open311/v2): the message
 * categories as services, service requests that become constituent messages (群众留言), and the
 * public list of requests received through Open311. Field names are the standard's (snake_case).
 * Refusals are the standard's error list `[{code, description}]` (description in Chinese and English),
 * in JSON or XML as the path's extension says; the admin's registration of clients (api_key) is
 * an ordinary JSON API under /api/admin/open311/clients.
 */
import { z } from 'zod';
import { messageCategories, messageStatuses } from '@jianyi/domain';
import type { FieldLabels } from './common';
import { uuid } from './common';
import { MAX_MESSAGE_CHARS } from './intake';

export const open311FieldLabels: FieldLabels = {
  api_key: 'api_key(接入密钥)',
  service_code: 'service_code(服务代码)',
  description: 'description(问题描述)',
  lat: 'lat(纬度)',
  long: 'long(经度)',
  address_string: 'address_string(地址)',
  address_id: 'address_id(地址编号)',
  phone: 'phone(手机号码)',
  first_name: 'first_name(名)',
  last_name: 'last_name(姓)',
  email: 'email(电子邮箱)',
  device_id: 'device_id(设备编号)',
  account_id: 'account_id(账号)',
  media_url: 'media_url(图片地址)',
  jurisdiction_id: 'jurisdiction_id(辖区)',
  service_request_id: 'service_request_id(请求编号)',
  start_date: 'start_date(起始时间)',
  end_date: 'end_date(截止时间)',
  status: 'status(状态)',
  format: 'format(格式)',
  name: '名称',
  stationId: '站点',
  active: '启用',
};

/** The path's extension: the answer's format (`services.json`, `services.xml`). Anything else is 404. */
export const format = z.enum(['json', 'xml']);
export type Open311Format = z.infer<typeof format>;
export const formatParams = z.object({ format });
export const serviceParams = z.object({ service_code: z.string().max(40), format });
export const requestParams = z.object({ service_request_id: z.string().max(100), format });

/** A number, or a number written as text (form bodies carry text only). */
const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d{1,3}(\.\d{1,12})?$/.test(v.trim()) ? Number(v) : v),
    z.number().min(min).max(max),
  );
/** An optional text field: an empty one counts as not given (HTML forms send every field). */
const text = (max: number) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(max).optional());

/** POST requests.{format}: the standard's fields (form-urlencoded, or JSON). */
export const requestBody = z.object({
  api_key: z.string().min(1).max(200),
  jurisdiction_id: text(100),
  service_code: z.enum(messageCategories),
  description: z.string().trim().min(5).max(MAX_MESSAGE_CHARS),
  lat: z.preprocess((v) => (v === '' ? undefined : v), coordinate(-90, 90).optional()),
  long: z.preprocess((v) => (v === '' ? undefined : v), coordinate(-180, 180).optional()),
  address_string: text(200),
  address_id: text(100),
  email: text(200),
  device_id: text(100),
  account_id: text(100),
  first_name: text(25),
  last_name: text(25),
  phone: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile (11 digits) or landline number')
      .optional(),
  ),
  media_url: text(1000),
});
export type Open311RequestBody = z.infer<typeof requestBody>;

/** GET requests.{format}: the standard's filters (default: the last 90 days, newest first, at most 1,000). */
export const requestsQuery = z.object({
  jurisdiction_id: text(100),
  service_request_id: text(2000),
  service_code: z.preprocess((v) => (v === '' ? undefined : v), z.enum(messageCategories).optional()),
  start_date: z.preprocess((v) => (v === '' ? undefined : v), z.iso.datetime({ offset: true }).optional()),
  end_date: z.preprocess((v) => (v === '' ? undefined : v), z.iso.datetime({ offset: true }).optional()),
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^(open|closed)(,(open|closed))?$/, 'open, closed or open,closed')
      .optional(),
  ),
});
export const jurisdictionQuery = z.object({ jurisdiction_id: text(100) });

// ---- answers (JSON form; the XML form has the same fields under the standard's element names) ----

export const service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export const serviceList = z.array(service);
export const serviceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(z.object({ code: z.string() }).loose()),
});

/** One service request as anyone may read it: never the sender's name, phone, e-mail or device. */
export const serviceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});
export type ServiceRequest = z.infer<typeof serviceRequest>;
export const serviceRequestList = z.array(serviceRequest);

/** POST requests: the id at once (the message exists when this answers), and the tracking code for the sender only. */
export const requestCreated = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string(),
    account_id: z.string().nullable(),
    /** Extension: the 查询码 the constituent follows and rates the answer with on /m/track/<code>. */
    tracking_code: z.string(),
    tracking_url: z.string(),
  }),
);

/** The standard's error list. */
export const open311Errors = z
  .array(z.object({ code: z.number().int(), description: z.string() }))
  .meta({ id: 'Open311Errors' });

// ---- the admin's registration of clients (/api/admin/open311/clients) ----

export const clientBody = z.object({
  name: z.string().trim().min(2).max(100),
  stationId: z.uuid(),
});
export const clientPatch = z.object({
  name: z.string().trim().min(2).max(100).optional(),
  stationId: z.uuid().optional(),
  active: z.boolean().optional(),
  /** true: a new api_key is drawn (answered once), the old one stops working. */
  rotateKey: z.boolean().optional(),
});
const clientView = z.object({
  id: z.string(),
  name: z.string(),
  stationId: z.uuid(),
  stationName: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  requests: z.number().int(),
});
export const clientList = z.object({ items: z.array(clientView) });
/** A client as created (or with a rotated key): the api_key is shown this once; only its hash is kept. */
export const clientWithKey = clientView.extend({ apiKey: z.string().nullable() });
export const clientParams = z.object({ id: uuid });

/** What messages' statuses are in Open311's two. */
export const closedStatuses: readonly (typeof messageStatuses)[number][] = ['answered', 'rated', 'closed'];
