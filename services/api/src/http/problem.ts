/** RFC 9457 problem documents, in Chinese and English, naming each rejected field. */
import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import type { Decision } from '@jianyi/domain';
import { unavailableProblem } from './unavailable';

export interface FieldError {
  field: string;
  message: string;
  messageEn: string;
}

export class HttpProblem extends Error {
  /** Seconds the client should wait before retrying (sent as `Retry-After`; 503 and 429). */
  retryAfter?: number;
  constructor(
    public status: number,
    public title: string,
    public detail: string,
    public errors: FieldError[] = [],
    public type = 'about:blank',
  ) {
    super(detail);
  }
}

export const problems = {
  unauthorized: () => new HttpProblem(401, '请先登录', 'authentication required'),
  forbidden: (detail = 'your role may not perform this action') =>
    new HttpProblem(403, '无权执行此操作', detail),
  notFound: (what = 'resource') => new HttpProblem(404, '未找到', `${what} not found`),
  conflict: (detail: string, title = '当前状态不允许此操作') => new HttpProblem(409, title, detail),
  invalid: (errors: FieldError[]) =>
    new HttpProblem(
      422,
      '提交的内容有误',
      errors.map((e) => `${e.field}: ${e.messageEn}`).join('; '),
      errors,
    ),
};

/** Field labels for messages: the Chinese name of each field users can get wrong. */
const fieldLabels: Record<string, string> = {
  title: '标题',
  content: '内容',
  username: '用户名',
  password: '密码',
  comments: '退回意见',
  reason: '理由',
  decision: '审查结论',
  'Idempotency-Key': '幂等键',
  mode: '交办方式',
  unitIds: '承办单位',
  leadUnitId: '主办单位',
  coUnitIds: '协办单位',
  contactedOn: '沟通日期',
  form: '沟通方式',
  summary: '内容摘要',
  category: '答复类别',
  body: '正文',
  promisedDate: '承诺解决时间',
  explanation: '情况说明',
  rating: '测评结果',
  status: '状态',
  unitId: '承办单位',
  deputyId: '代表',
  town: '镇(街道)',
  sessionYear: '届次年度',
  topic: '主题',
  overdue: '是否逾期',
  key: '重点督办',
  q: '关键词',
  sort: '排序字段',
  order: '排序方向',
  page: '页码',
  pageSize: '每页条数',
  cursor: '翻页游标',
  note: '催办意见',
  newUnitId: '新承办单位',
  amount: '延期时长',
  cosignerDeputyIds: '联名代表',
  report: '办理情况',
  final: '是否办结',
  intoSuggestionId: '并入的建议',
};

/**
 * A 422 naming each field of a failed zod parse: "<Chinese label>:<Chinese message>" and zod's English
 * message. `labels` (the contract's own) win over the shared ones; a field absent from `value` is
 * "必填" whatever zod's issue (zod does not report the input).
 */
export function zodProblem(err: ZodError, value?: unknown, labels: Record<string, string> = {}): HttpProblem {
  return problems.invalid(
    err.issues.map((i) => {
      const field = i.path.join('.') || '(body)';
      const label = labels[field] ?? fieldLabels[field] ?? field;
      const missing = value !== undefined && i.path.length > 0 && valueAt(value, i.path) === undefined;
      return { field, message: `${label}:${missing ? '必填' : zhMessage(i)}`, messageEn: i.message };
    }),
  );
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function zhMessage(i: ZodError['issues'][number]): string {
  switch (i.code) {
    case 'too_small':
      return i.origin === 'number'
        ? `不能小于 ${String(i.minimum)}`
        : i.origin === 'array'
          ? `至少 ${String(i.minimum)} 项`
          : i.minimum === 1
            ? '不能为空'
            : `至少 ${String(i.minimum)} 个字`;
    case 'too_big':
      return i.origin === 'number'
        ? `不能大于 ${String(i.maximum)}`
        : i.origin === 'array'
          ? `不能超过 ${String(i.maximum)} 项`
          : `不能超过 ${String(i.maximum)} 个字`;
    // zod v4 leaves the input out of the issue; its message says what was received.
    case 'invalid_type':
      return /received undefined/.test(i.message) ? '必填' : '格式不正确';
    case 'invalid_value':
      return '取值不在允许范围内';
    default:
      return '格式不正确';
  }
}

export function sendProblem(res: Response, p: HttpProblem): void {
  if (p.retryAfter !== undefined) res.set('Retry-After', String(p.retryAfter));
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: p.type,
      title: p.title,
      status: p.status,
      detail: p.detail,
      ...(p.errors.length ? { errors: p.errors } : {}),
    });
}

/** Body-parser refusals (http-errors with `expose`): their status, a problem document, never a 500. */
const bodyErrors: Record<string, { title: string; field: string; message: string; messageEn: string }> = {
  'entity.parse.failed': {
    title: '提交的内容有误',
    field: '(body)',
    message: '请求体不是有效的 JSON',
    messageEn: 'request body is not valid JSON',
  },
  'entity.too.large': {
    title: '请求体过大',
    field: '(body)',
    message: '请求体不能超过 1 MB',
    messageEn: 'request body is larger than 1 MB',
  },
  'charset.unsupported': {
    title: '不支持的字符集',
    field: 'Content-Type',
    message: '请使用 UTF-8 编码',
    messageEn: 'use the UTF-8 charset',
  },
  'encoding.unsupported': {
    title: '不支持的内容编码',
    field: 'Content-Encoding',
    message: '不支持此内容编码',
    messageEn: 'unsupported Content-Encoding',
  },
};

/**
 * What is logged of an unexpected error: its name, message, code and stack; never the SQL
 * parameters a database error carries (they hold people's text, confidential items' too).
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 500) };
  const e = err as Error & { code?: unknown; driverError?: { code?: unknown } };
  // Temporal's errors say what failed in their cause (a validator's error type and message).
  const c = (e as { cause?: unknown }).cause;
  const cause =
    c instanceof Error
      ? { name: c.name, message: c.message.slice(0, 500), type: (c as { type?: unknown }).type }
      : undefined;
  return {
    name: e.name,
    message: e.message.slice(0, 500),
    code: e.code ?? e.driverError?.code,
    ...(cause ? { cause } : {}),
    stack: e.stack,
  };
}

/** The one error handler of the API: problem documents only, no stack, no internals. */
export const errorHandler =
  (log: {
    error: (o: unknown, m: string) => void;
    warn?: (o: unknown, m: string) => void;
  }): ErrorRequestHandler =>
  (err, req, res, _next) => {
    if (res.headersSent) return void res.end();
    if (err instanceof HttpProblem) return sendProblem(res, err);
    const e = err as { type?: unknown; status?: unknown; expose?: unknown } | null;
    const known = e && typeof e.type === 'string' ? bodyErrors[e.type] : undefined;
    if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && (known || e.expose)) {
      const status = e.type === 'entity.parse.failed' ? 422 : e.status;
      const k = known ?? {
        title: '请求有误',
        field: '(request)',
        message: '请求格式不正确',
        messageEn: 'malformed request',
      };
      return sendProblem(
        res,
        new HttpProblem(status, k.title, k.messageEn, [
          { field: k.field, message: k.message, messageEn: k.messageEn },
        ]),
      );
    }
    // A backend down for a moment (Temporal, PostgreSQL) is 503 with Retry-After, not a 500.
    const unavailable = unavailableProblem(err);
    if (unavailable) {
      const entry = { err: safeError(err), requestId: req.requestId };
      if (log.warn) log.warn(entry, 'backend unavailable');
      else log.error(entry, 'backend unavailable');
      return sendProblem(res, unavailable);
    }
    log.error({ err: safeError(err), requestId: req.requestId }, 'unhandled error');
    sendProblem(res, new HttpProblem(500, '服务器内部错误', 'internal error; it has been logged'));
  };

/** The refusal of a rules decision (@jianyi/domain `decide()`) as a problem: 403 or 409, reason in both languages, the field at fault. */
export function refusal(d: Exclude<Decision, { ok: true }>): HttpProblem {
  return new HttpProblem(
    d.status,
    d.reason.zh,
    d.reason.en,
    d.field ? [{ field: d.field, message: d.reason.zh, messageEn: d.reason.en }] : [],
  );
}
/** Throws when the rules refuse. */
export function enforce(d: Decision): void {
  if (!d.ok) throw refusal(d);
}
/** Throws when the rules refuse the actor (403: wrong role, not theirs); the state is left to the workflow. */
export function enforceWho(d: Decision): void {
  if (!d.ok && d.status === 403) throw refusal(d);
}
