/**
 * The audit log (issue 10; ASVS V7): a refused access to someone else's record is recorded, and the
 * admin and supervisors read and export the log with filters; nobody else may. Against the running API.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let wang: ApiSession;
let jtj: ApiSession;
let supervisor: ApiSession;
let admin: ApiSession;
let draftId: string;
beforeAll(async () => {
  [wang, jtj, supervisor, admin] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('supervisor'),
    ApiSession.login('admin'),
  ]);
  const d = await wang.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于规范夜间施工噪声管理的建议 ${randomUUID().slice(0, 6)}`,
      content: '夜间施工扰民,建议加强审批与巡查。',
    },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(d.status).toBe(201);
  draftId = d.body.id;
});

describe('the audit log (审计日志)', () => {
  it("records a unit user's refused look at a deputy's draft, with who, what and from where", async () => {
    const r = await jtj.call('GET', `/api/suggestions/${draftId}`, undefined, {
      'user-agent': 'audit-probe/1.0',
    });
    expect(r.status).toBe(404);
    const found = async () =>
      (await supervisor.call('GET', `/api/audit?entityId=${draftId}&action=access.refused`)).body.items as {
        actorName: string;
        actorRole: string;
        after: Record<string, unknown>;
      }[];
    await waitFor('the refusal in the audit log', async () => (await found()).length === 1);
    const [row] = await found();
    expect(row).toMatchObject({
      actorName: expect.any(String),
      actorRole: 'unit_handler',
      after: {
        method: 'GET',
        path: `/api/suggestions/${draftId}`,
        status: 404,
        userAgent: 'audit-probe/1.0',
      },
    });
    // The deputy's own reading of it is no refusal.
    expect((await wang.call('GET', `/api/suggestions/${draftId}`)).status).toBe(200);
    expect(await found()).toHaveLength(1);
  });

  it('filters by action prefix and time, pages, and names a bad filter', async () => {
    const auth = await admin.call('GET', '/api/audit?action=auth.&pageSize=20');
    expect(auth.status).toBe(200);
    expect(auth.body.items.length).toBeGreaterThan(0);
    expect(auth.body.items.every((x: { action: string }) => x.action.startsWith('auth.'))).toBe(true);
    expect(auth.body).toMatchObject({ page: 1, pageSize: 20, total: expect.any(Number) });
    const future = await admin.call('GET', '/api/audit?from=2099-01-01');
    expect(future.body).toMatchObject({ items: [], total: 0 });
    const bad = await admin.call('GET', '/api/audit?action=DROP%20TABLE&from=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'from']);
  });

  it('exports the filtered log as .xlsx (the export itself audited); other roles are refused', async () => {
    const res = await supervisor.call('GET', `/api/audit/export.xlsx?entityId=${draftId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(String(res.body).startsWith('PK')).toBe(true); // a ZIP: the OOXML workbook
    const exported = (await admin.call('GET', '/api/audit?action=export.audit_log')).body.items;
    expect(exported[0]).toMatchObject({ action: 'export.audit_log', actorRole: 'supervisor' });

    for (const who of ['reviewer', 'coordinator', 'jtj.leader', 'wangjianguo']) {
      const s = await ApiSession.login(who);
      expect((await s.call('GET', '/api/audit')).status, who).toBe(403);
    }
  });
});
