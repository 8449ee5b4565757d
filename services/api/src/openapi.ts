/**
 * The OpenAPI document served at /api/openapi.json, generated from the contracts (contracts/routes.ts):
 * the same zod schemas the routes validate with, so the document cannot drift from what they accept.
 */
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { config as platformConfig } from '@jianyi/platform';
import type { z } from 'zod';
import { open311Errors } from './contracts/open311';
import { problemDocument, routes, type ProblemStatus, type RouteContract } from './contracts/routes';

const problemTitles: Record<ProblemStatus | 405, string> = {
  400: '请求有误 / Open311: a parameter is missing or wrong; each error names it',
  401: '未登录 / not signed in',
  403: '无权执行此操作 / this role may not do this, or a state-changing request from another site (CSRF check)',
  404: '未找到 / not found (also a malformed id in the path)',
  409: '当前状态不允许此操作 / the item is not in a state that allows this',
  413: '请求体过大 / request body too large (a file over its limit, or a record over its number or total size of files)',
  415: '文件类型不允许 / the file type (detected from the content) is not allowed',
  422: '提交的内容有误 / invalid input; errors[] names each field',
  429: '请求过于频繁 / too many requests; Retry-After says when to try again',
  405: '不支持该方法 / method not allowed on this path (Allow lists the methods)',
};
const unavailableTitle =
  '服务暂时不可用 / a backend (Temporal, PostgreSQL) is down or failing over for a moment; Retry-After says when to try again. ' +
  'Nothing half-written remains: a step Temporal did not take wrote nothing, an Idempotency-Key is not used up; ' +
  'if the step was taken after all, the retry answers 409 (already done)';

/** '/suggestions/:id/units/:unitId' → '/suggestions/{id}/units/{unitId}'. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** Open311: the success in JSON or XML, refusals as the standard's error list in either. */
function open311Responses(r: RouteContract): Record<string, ResponseConfig> {
  const xml = { schema: { type: 'string' as const } };
  const out: Record<string, ResponseConfig> = {
    [String(r.success.status)]: {
      description: `${r.success.description} (format json or xml)`,
      content: { 'application/json': { schema: r.success.schema as z.ZodType }, 'application/xml': xml },
    },
  };
  for (const status of r.problems)
    out[String(status)] = {
      description: problemTitles[status],
      content: { 'application/json': { schema: open311Errors }, 'application/xml': xml },
    };
  return out;
}

function responses(r: RouteContract): Record<string, ResponseConfig> {
  if (r.errorFormat === 'open311') return open311Responses(r);
  const out: Record<string, ResponseConfig> = {};
  const ok = r.success;
  out[String(ok.status)] =
    ok.schema === undefined
      ? { description: ok.description }
      : ok.schema === 'svg'
        ? { description: ok.description, content: { 'image/svg+xml': { schema: { type: 'string' } } } }
        : ok.schema === 'xlsx'
          ? {
              description: ok.description,
              content: {
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', format: 'binary' },
                },
              },
            }
          : ok.schema === 'pdf'
            ? {
                description: ok.description,
                content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
              }
            : ok.schema === 'jpeg'
              ? {
                  description: ok.description,
                  content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
                }
              : ok.schema === 'file'
                ? {
                    description: ok.description,
                    // The stored file's own (detected) type: an image, PDF, Word, Excel or WPS file.
                    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
                  }
                : { description: ok.description, content: { 'application/json': { schema: ok.schema } } };
  for (const status of r.problems)
    out[String(status)] = {
      description: problemTitles[status],
      content: { 'application/problem+json': { schema: problemDocument } },
    };
  if (r.backend !== false)
    out['503'] = {
      description: unavailableTitle,
      headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
      content: { 'application/problem+json': { schema: problemDocument } },
    };
  return out;
}

export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: platformConfig.cookieName,
  });
  for (const r of routes) {
    const config: RouteConfig = {
      method: r.method,
      path: openApiPath(r.path),
      summary: r.summary,
      tags: [r.tag],
      security: r.auth === false ? [] : [{ session: [] }],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query as never } : {}),
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.body
          ? {
              body: {
                required: !r.bodyOptional,
                content:
                  r.errorFormat === 'open311'
                    ? {
                        'application/x-www-form-urlencoded': { schema: r.body },
                        'application/json': { schema: r.body },
                      }
                    : { 'application/json': { schema: r.body } },
              },
            }
          : {}),
        ...(r.multipart
          ? { body: { required: true, content: { 'multipart/form-data': { schema: r.multipart } } } }
          : {}),
      },
      responses: responses(r),
    };
    registry.registerPath(config);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '代表建议办理平台 API',
      version: '0.1.0',
      description:
        "Deputies' suggestion handling platform. Every refusal is an RFC 9457 problem document in Chinese and English; " +
        'a method a path does not declare answers 405 with Allow.',
    },
    servers: [{ url: '/api' }],
  });
}

export const openapi = buildOpenApiDocument();
