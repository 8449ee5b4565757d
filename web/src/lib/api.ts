/**
 * Thin client for services/api, reached through the same-origin proxy in hooks.server.ts.
 * Every failure becomes an `ApiError` carrying an RFC 9457 problem document, so the UI has
 * exactly one error shape to render.
 */
import type { draftSaved, SessionUserView, SuggestionListPage } from '@jianyi/api/contracts';
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
  messageEn?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

// Answers of the API: inferred from its contracts (services/api/src/contracts), never copied.
/** The signed-in user (POST /api/auth/login, GET /api/me). */
export type User = SessionUserView;
/** GET /api/suggestions (for a deputy: their own). */
export type SuggestionList = SuggestionListPage;
/** POST /api/suggestions: the draft as saved. */
export type SuggestionCreated = z.infer<typeof draftSaved>;

/** The envelope the tracker sends as `event: suggestion` over SSE. */
export interface SuggestionEvent {
  id: string;
  type: string;
  version: number;
  suggestionId: string;
  occurredAt: string;
  actor?: unknown;
  policyVersion?: unknown;
  data?: { from?: string; to?: string; registrationNo?: string | null; [key: string]: unknown };
}

type Fetch = typeof fetch;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as `Idempotency-Key`; pass the same key again when retrying the same action. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** SvelteKit's `fetch` inside load functions; the global one otherwise. */
  fetch?: Fetch;
}

const PROBLEM_TITLES: Record<number, string> = {
  400: '请求有误',
  401: '请先登录',
  403: '无权进行此操作',
  404: '未找到',
  409: '操作冲突',
  422: '输入有误',
  429: '请求过于频繁',
  500: '服务器错误',
  502: '服务暂时不可用',
  503: '服务暂时不可用',
  504: '服务响应超时',
};

function problemFromStatus(status: number, statusText: string, text: string): Problem {
  return {
    type: 'about:blank',
    title: PROBLEM_TITLES[status] ?? '请求失败',
    status,
    detail: text.trim().slice(0, 300) || statusText || `HTTP ${status}`,
  };
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).title === 'string';
}

async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isProblem(parsed)) {
      return { ...parsed, status: typeof parsed.status === 'number' ? parsed.status : response.status };
    }
  } catch {
    // not JSON: fall through
  }
  return problemFromStatus(response.status, response.statusText, text);
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, idempotencyKey, signal } = options;
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...options.headers,
  };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

  let response: Response;
  try {
    response = await doFetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      credentials: 'include',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError({
      type: 'urn:jianyi:problem:network',
      title: '网络连接失败',
      status: 0,
      detail: cause instanceof Error ? cause.message : 'The request could not be sent.',
    });
  }

  if (!response.ok) throw new ApiError(await readProblem(response));
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
  /** A file upload (附件): multipart/form-data with the file in the part `file`. */
  upload: <T>(path: string, file: File, options?: Omit<RequestOptions, 'method' | 'body'>) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return request<T>(path, { ...options, method: 'POST', body });
  },
};

/** A query string (`?a=1&b=x`, or '') from the defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** A problem document for any thrown value, so components render one error shape. */
export function toProblem(error: unknown, title = '请求失败'): Problem {
  return isApiError(error) ? error.problem : { type: 'about:blank', title, status: 0, detail: String(error) };
}

/** Field errors keyed by field name; a JSON pointer such as `/title` is reduced to `title`. */
export function fieldErrors(problem: Problem | null | undefined): Map<string, FieldError[]> {
  const byField = new Map<string, FieldError[]>();
  for (const error of problem?.errors ?? []) {
    const field = error.field.replace(/^\/+/, '').replace(/^body[./]/, '');
    byField.set(field, [...(byField.get(field) ?? []), error]);
  }
  return byField;
}
