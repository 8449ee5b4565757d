/**
 * Open311 GeoReport v2 (mounted at /api/open311/v2; the web app serves it at /open311/v2): the
 * message categories as services, service requests that become constituent messages (the same
 * `message-<id>` workflow as the QR page; the client's station receives them), and the public list
 * of requests received through Open311, with public fields only (never name, phone, e-mail or device;
 * a phone number or the sender's name written into the text is masked). JSON or XML by the path's
 * extension; refusals are the standard's `[{code, description}]`. No session and no cookie: the
 * api_key of a client an admin registered authorises a request, so the router sits before the CSRF
 * check and answers any origin (CORS *). Rate limited per address like the public form; the
 * per-sender limit of the form counts per device (device_id) or address.
 */
import express, {
  Router,
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import {
  messageCategoryLabels,
  plainProgress,
  type MessageCategory,
  type MessageStatus,
} from '@jianyi/domain';
import { config } from '@jianyi/platform';
import {
  formatParams,
  open311FieldLabels,
  requestBody,
  requestParams,
  requestsQuery,
  serviceParams,
  jurisdictionQuery,
  type Open311Format,
  type ServiceRequest,
} from './contracts/open311';
import { publicRateLimit, rejectNul } from './http/hardening';
import { HttpProblem } from './http/problem';
import { validate } from './http/validate';
import { publicBase } from './intake-public.routes';
import { sourceHash, type IntakeService } from './intake.service';
import { Open311Repository, type RequestRow } from './open311.repository';
import type { DataSource } from 'typeorm';

/** Keywords a client's search can use, per category. */
const keywords: Record<MessageCategory, string> = {
  transport: '道路,公交,停车,交通',
  education: '学校,幼儿园,教育',
  housing: '住房,小区,物业,城建',
  health: '医院,卫生,医疗',
  environment: '环境,污染,绿化,垃圾',
  social: '社保,养老,救助,就业',
  agriculture: '农业,农村,农民',
  other: '其他',
};

const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

/** Open311's XML: nulls as empty elements, arrays as repeated elements under the root. */
function toXml(root: string, item: string | null, data: unknown): string {
  const clean = (v: unknown): unknown =>
    v === null || v === undefined
      ? ''
      : Array.isArray(v)
        ? v.map(clean)
        : typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
          : typeof v === 'boolean'
            ? String(v)
            : v;
  const body = item ? { [root]: { [item]: clean(data) } } : { [root]: clean(data) };
  return `<?xml version="1.0" encoding="utf-8"?>${xml.build(body) as string}`;
}

function send(
  res: Response,
  f: Open311Format,
  status: number,
  data: unknown,
  xmlShape: { root: string; item: string | null },
) {
  if (f === 'xml')
    res
      .status(status)
      .type('application/xml')
      .send(toXml(xmlShape.root, xmlShape.item, data));
  else res.status(status).json(data);
}

/** An Open311 refusal: `code` is the HTTP status; `description` says the field and the reason, zh / en. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly errors: { code: number; description: string }[],
  ) {
    super(errors.map((e) => e.description).join('; '));
  }
}
const o311 = (status: number, zh: string, en: string) =>
  new Open311Error(status, [{ code: status, description: `${zh} / ${en}` }]);
const notFound = (what: string) => o311(404, '未找到', `${what} not found`);

/** The format a refusal is written in: the extension of the path (json when it has none we know). */
const formatOf = (req: Request): Open311Format => (/\.xml$/i.test(req.path) ? 'xml' : 'json');

/** Validates with the contract; a refusal is 400 naming each field (Open311 uses 400 where the API uses 422). */
function check<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof HttpProblem && e.status === 422)
      throw new Open311Error(
        400,
        e.errors.map((x) => ({ code: 400, description: `${x.message} / ${x.field}: ${x.messageEn}` })),
      );
    throw e;
  }
}
/** Path parameters: a format other than json/xml, or an over-long id, is a path that does not exist. */
function pathOf<T>(run: () => T): T {
  try {
    return run();
  } catch {
    throw notFound('path');
  }
}

/** Masks a phone number or the sender's own name written into public text. */
export function mask(text: string, row: { name: string | null; phone: string | null }): string {
  let out = text.replace(/(?<!\d)(1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)/g, '***');
  if (row.phone) out = out.split(row.phone).join('***');
  if (row.name && row.name.trim().length >= 2) out = out.split(row.name.trim()).join('**');
  return out;
}

function present(r: RequestRow): ServiceRequest {
  const status = r.status as MessageStatus;
  const notes = [
    r.merged ? plainProgress('merged') : null,
    r.suggestionAnswered ? '由此形成的代表建议已答复。' : plainProgress(status, r.unitName),
    r.answer ? `答复：${r.answer}` : null,
  ]
    .filter(Boolean)
    .join('');
  return {
    service_request_id: r.id,
    status: r.closed ? 'closed' : 'open',
    status_notes: mask(notes, r),
    service_name: messageCategoryLabels[r.category as MessageCategory] ?? '其他',
    service_code: r.category,
    description: mask(r.content, r),
    agency_responsible: r.unitName ?? r.stationName,
    service_notice: null,
    requested_datetime: r.requestedAt,
    updated_datetime: r.updatedAt,
    expected_datetime: r.expectedAt,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat === null ? null : Number(r.lat),
    long: r.long === null ? null : Number(r.long),
    media_url: null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function open311Routes(ds: DataSource, intake: IntakeService): Router {
  const r = Router();
  const repo = new Open311Repository(ds);
  r.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  r.use(publicRateLimit);
  const limit = config.intake.maxBodyBytes;
  r.use(express.urlencoded({ extended: false, limit, parameterLimit: 100 }));
  r.use(express.json({ limit }));
  r.use(rejectNul);

  const services = () =>
    Object.entries(messageCategoryLabels).map(([code, name]) => ({
      service_code: code,
      service_name: name,
      description: `向代表反映${name}方面的问题（一码通）`,
      metadata: false,
      type: 'realtime' as const,
      keywords: keywords[code as MessageCategory],
      group: '群众留言',
    }));

  r.get('/services.:format', (req, res) => {
    const { format } = pathOf(() => validate(formatParams, req.params));
    check(() => validate(jurisdictionQuery, req.query, open311FieldLabels));
    send(res, format, 200, services(), { root: 'services', item: 'service' });
  });

  /** A service definition: no extra attributes (metadata false), as the standard allows. */
  r.get('/services/:service_code.:format', (req, res) => {
    const p = pathOf(() => validate(serviceParams, req.params));
    check(() => validate(jurisdictionQuery, req.query, open311FieldLabels));
    if (!(p.service_code in messageCategoryLabels)) throw notFound('service_code');
    send(
      res,
      p.format,
      200,
      { service_code: p.service_code, attributes: [] },
      { root: 'service_definition', item: null },
    );
  });

  r.post('/requests.:format', async (req, res) => {
    const { format } = pathOf(() => validate(formatParams, req.params));
    const b = check(() => validate(requestBody, req.body ?? {}, open311FieldLabels));
    const client = await repo.clientByKey(b.api_key);
    if (!client) throw o311(403, 'api_key 无效或已停用', 'invalid api_key');
    const name = [b.last_name, b.first_name].filter(Boolean).join('') || null;
    const { id, trackingCode } = await intake
      .create({
        stationId: client.stationId,
        deputyId: null,
        category: b.service_code,
        content: b.description,
        name,
        phone: b.phone ?? null,
        // Open311 has no consent field: a sender who gives a phone number asks to be called back.
        consent: !!b.phone,
        channel: 'open311',
        // The form's per-sender limit: per device when the client says which, else per address.
        sourceHash: sourceHash(`open311:${client.id}:${b.device_id ?? req.ip ?? 'unknown'}`),
        createdBy: null,
        open311Client: client.id,
        address: b.address_string ?? b.address_id ?? null,
        lat: b.lat ?? null,
        long: b.long ?? null,
      })
      .catch((e: unknown) => {
        if (e instanceof HttpProblem && e.status === 429) throw o311(429, e.title, e.detail);
        throw e;
      });
    const trackingUrl = `${publicBase(req)}/m/track/${trackingCode}`;
    send(
      res,
      format,
      201,
      [
        {
          service_request_id: id,
          service_notice: `已收到，请保存查询码 ${trackingCode}，凭码查看办理进展并评价答复：${trackingUrl}`,
          account_id: b.account_id ?? null,
          tracking_code: trackingCode,
          tracking_url: trackingUrl,
        },
      ],
      { root: 'service_requests', item: 'request' },
    );
  });

  r.get('/requests.:format', async (req, res) => {
    const { format } = pathOf(() => validate(formatParams, req.params));
    const q = check(() => validate(requestsQuery, req.query, open311FieldLabels));
    const ids = q.service_request_id
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => UUID.test(s))
      .slice(0, 100);
    const rows = await repo.requests({
      ids: q.service_request_id !== undefined ? (ids ?? []) : undefined,
      serviceCode: q.service_code,
      from: q.start_date,
      to: q.end_date,
      statuses: q.status?.split(',') as ('open' | 'closed')[] | undefined,
      limit: 1000,
    });
    send(res, format, 200, rows.map(present), { root: 'service_requests', item: 'request' });
  });

  r.get('/requests/:service_request_id.:format', async (req, res) => {
    const p = pathOf(() => validate(requestParams, req.params));
    check(() => validate(jurisdictionQuery, req.query, open311FieldLabels));
    // Only requests received through Open311, by their id; anything else is the same 404.
    const rows = UUID.test(p.service_request_id)
      ? await repo.requests({ ids: [p.service_request_id], limit: 1 })
      : [];
    if (!rows[0]) throw notFound('service_request_id');
    send(res, p.format, 200, rows.map(present), { root: 'service_requests', item: 'request' });
  });

  // A path under /open311/v2 that no route matches (e.g. a request id with an empty or unknown format
  // suffix, `/requests/x.`) is the standard's 404 in its error list, like every other refusal here.
  r.use((_req, _res, next) => next(o311(404, '未找到', 'no such Open311 resource')));
  r.use(open311ErrorHandler);
  return r;
}

/** Every refusal of these routes as the standard's error list, in the request's format; a 500 stays ours (logged by the app). */
const open311ErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  let e: Open311Error | null = null;
  if (err instanceof Open311Error) e = err;
  else if (err instanceof HttpProblem && err.status < 500)
    e =
      err.status === 422
        ? new Open311Error(
            400,
            (err.errors.length
              ? err.errors
              : [{ field: '(request)', message: err.title, messageEn: err.detail }]
            ).map((x) => ({ code: 400, description: `${x.message} / ${x.field}: ${x.messageEn}` })),
          )
        : o311(err.status, err.title, err.detail);
  else {
    // Body-parser refusals (too large, malformed): their status, as the standard's error.
    const b = err as { status?: unknown; expose?: unknown; type?: unknown } | null;
    if (b && typeof b.status === 'number' && b.status >= 400 && b.status < 500 && b.expose)
      e =
        b.status === 413
          ? o311(413, '请求体过大', 'request body too large')
          : o311(400, '请求格式不正确', `malformed request (${String(b.type ?? 'body')})`);
  }
  if (!e) return next(err);
  if (e.status === 429) res.set('Retry-After', res.get('Retry-After') ?? '60');
  send(res, formatOf(req), e.status, e.errors, { root: 'errors', item: 'error' });
};
