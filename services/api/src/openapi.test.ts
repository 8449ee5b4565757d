/**
 * The OpenAPI document tells the truth about the routes: every route Express registers is in the
 * document, and the document names no route that does not exist. No stack needed: the app is built
 * with dependencies it never calls while routes are only being registered.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { registeredRoutes } from './http/routes';
import { openapi, openApiPath } from './openapi';

const app = createApp({
  ds: {} as DataSource,
  temporal: {} as Client,
  log: { error: () => undefined } as never,
});
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

describe('OpenAPI document', () => {
  const doc = openapi as unknown as {
    servers: { url: string }[];
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => key(m, doc.servers[0]!.url + path)),
  );
  const registered = registeredRoutes(app).map((r) => key(r.method, openApiPath(r.path)));

  it('documents every route Express has registered', () => {
    expect(registered.length).toBeGreaterThan(60);
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('names no route that does not exist', () => {
    expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
  });

  it('gives every operation a success response and a problem document for each refusal', () => {
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(
        ops as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>,
      )) {
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => s.startsWith('2')),
          `${method} ${path}`,
        ).toBe(true);
        // Open311 answers the standard's error list in JSON or XML; every other route a problem document.
        const refusal = path.startsWith('/open311/')
          ? ['application/json', 'application/xml']
          : ['application/problem+json'];
        for (const s of statuses.filter((x) => Number(x) >= 400))
          expect(Object.keys(op.responses[s]!.content ?? {}), `${method} ${path} ${s}`).toEqual(refusal);
      }
  });
});
