import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { XMLParser } from 'fast-xml-parser';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor, webBase } from '@jianyi/platform/src/testing';

// Open311 GeoReport v2 as a third-party client uses it: through the web app's public address
// (/open311/v2, no cookie, no session), with the api_key an admin registered for it. A request
// becomes a constituent message of the client's station (the same workflow as the QR page); the
// station's deputy handles it as any other; the public list shows public fields only, as JSON and XML.
const LC = demoId('station:lc'); // 溧城街道人大代表联络站: deputies 王建国, 陈丽华
const base = () => `${webBase()}/open311/v2`;
const device = () => `dev-${randomBytes(6).toString('hex')}`;
const phone = () => `139${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
let ds: DataSource;
let admin: ApiSession, wang: ApiSession;
let apiKey: string;
let clientId: string;

/** A form-urlencoded POST, as the standard's clients send it. */
async function post(path: string, fields: Record<string, string>, from = '198.51.100.9') {
  const res = await fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
/** Reads come from addresses of their own, so polling stays under the public per-address budget. */
async function get(path: string) {
  const res = await fetch(`${base()}${path}`, {
    headers: { 'x-forwarded-for': `203.0.113.${1 + (randomBytes(1)[0]! % 250)}` },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['request', 'service', 'error'].includes(name),
});

beforeAll(async () => {
  ds = await openDataSource();
  [admin, wang] = await Promise.all([ApiSession.login('admin'), ApiSession.login('wangjianguo')]);
  const r = await admin.call('POST', '/api/admin/open311/clients', {
    name: `随手拍测试客户端${randomBytes(3).toString('hex')}`,
    stationId: LC,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  apiKey = String(r.body.apiKey);
  clientId = String(r.body.id);
  expect(apiKey).toMatch(/^o311_[\w-]{40,}$/);
});
afterAll(() => ds?.destroy());

describe('Open311 GeoReport v2: a third-party client', () => {
  it('reads the services (the message categories) as JSON and XML, and one service definition', async () => {
    const j = await get('/services.json');
    expect(j.status).toBe(200);
    expect(j.type).toMatch(/^application\/json/);
    const services = JSON.parse(j.text) as {
      service_code: string;
      service_name: string;
      metadata: boolean;
    }[];
    expect(services.map((s) => s.service_code)).toContain('transport');
    expect(services.find((s) => s.service_code === 'transport')).toMatchObject({
      service_name: '交通出行',
      metadata: false,
      type: 'realtime',
    });
    const x = await get('/services.xml');
    expect(x.status).toBe(200);
    expect(x.type).toMatch(/^application\/xml/);
    const parsed = xml.parse(x.text) as { services: { service: { service_code: string }[] } };
    expect(parsed.services.service.map((s) => s.service_code)).toEqual(services.map((s) => s.service_code));
    const def = await get('/services/transport.json');
    expect(JSON.parse(def.text)).toEqual({ service_code: 'transport', attributes: [] });
    const none = await get('/services/nosuch.json');
    expect(none.status).toBe(404);
    expect(JSON.parse(none.text)).toEqual([
      { code: 404, description: expect.stringContaining('service_code') },
    ]);
    // An extension the standard does not have is a path that does not exist.
    // An extension the standard does not have, or none after the dot, is a path that does not exist,
    // refused like everything here: the standard's error list, not the API's problem document.
    for (const path of ['/services.yaml', '/requests/-1.7%5D%3BF.', '/nowhere']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.text), path).toEqual([
        { code: 404, description: expect.stringContaining('未找到') },
      ]);
    }
  });

  it('posts a request: it becomes a message of the station, handled by its deputy; GET shows public fields only', async () => {
    const p = phone();
    const created = await post('/requests.json', {
      api_key: apiKey,
      service_code: 'environment',
      description: `河滨路垃圾桶满溢，气味很大，请联系我 ${p}，希望尽快清运。`,
      address_string: '溧城街道河滨路 18 号',
      lat: '31.4312',
      long: '119.4851',
      first_name: '小明',
      last_name: '周',
      phone: p,
      email: 'zhou@example.com',
      device_id: device(),
    });
    expect(created.status, created.text).toBe(201);
    const [answer] = JSON.parse(created.text) as {
      service_request_id: string;
      tracking_code: string;
      tracking_url: string;
      service_notice: string;
    }[];
    expect(answer!.tracking_code).toMatch(/^[2-9A-Z]{10}$/);
    expect(answer!.service_notice).toContain(answer!.tracking_code);
    expect(answer!.tracking_url).toContain(`/m/track/${answer!.tracking_code}`);
    const id = answer!.service_request_id;

    // The message exists at the client's station, through Open311, with the sender's name and phone for its handlers.
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT station_id, channel, open311_client, name, phone, consent_contact, address, lat, long FROM messages WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({
      station_id: LC,
      channel: 'open311',
      open311_client: clientId,
      name: '周小明',
      phone: p,
      consent_contact: true,
      address: '溧城街道河滨路 18 号',
      lat: 31.4312,
      long: 119.4851,
    });

    // The public request: open, no name, no phone (also not the one written into the text), no e-mail.
    const one = await get(`/requests/${id}.json`);
    expect(one.status).toBe(200);
    const [r] = JSON.parse(one.text) as Record<string, unknown>[];
    expect(r).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'environment',
      service_name: '生态环境',
      address: '溧城街道河滨路 18 号',
      lat: 31.4312,
      long: 119.4851,
      agency_responsible: '溧城街道人大代表联络站',
    });
    for (const secret of [p, '周小明', 'zhou@example.com', answer!.tracking_code])
      expect(one.text).not.toContain(secret);
    expect(String(r!.description)).toContain('***');

    // The station's deputy sees it in the inbox and answers it; the public request closes with the answer.
    await waitFor('workflow started', async () => {
      const v = await wang.call('GET', `/api/messages/${id}`);
      return v.status === 200 && v.body.allowedActions.includes('claim');
    });
    const v = await wang.call('GET', `/api/messages/${id}`);
    expect(v.body).toMatchObject({ channel: 'open311', phone: p, name: '周小明' });
    expect((await wang.call('POST', `/api/messages/${id}/claim`)).status).toBe(200);
    const answered = await wang.call('POST', `/api/messages/${id}/answer`, {
      answer: '已联系环卫所，今日起每天清运两次。',
    });
    expect(answered.status).toBe(200);
    const closed = await waitFor('closed', async () => {
      const g = await get(`/requests/${id}.json`);
      const [x] = JSON.parse(g.text) as Record<string, unknown>[];
      return x?.status === 'closed' ? x : null;
    });
    expect(String(closed.status_notes)).toContain('已联系环卫所');

    // The same as XML.
    const x = await get(`/requests/${id}.xml`);
    expect(x.type).toMatch(/^application\/xml/);
    const px = xml.parse(x.text) as { service_requests: { request: Record<string, string>[] } };
    expect(px.service_requests.request[0]).toMatchObject({
      service_request_id: id,
      status: 'closed',
      service_code: 'environment',
    });
    expect(x.text).not.toContain(p);

    // In the list (last 90 days), filtered by service and status; the constituent's code works on the tracking page.
    const list = JSON.parse((await get('/requests.json?service_code=environment&status=closed')).text) as {
      service_request_id: string;
    }[];
    expect(list.map((l) => l.service_request_id)).toContain(id);
    const open = JSON.parse((await get('/requests.json?status=open')).text) as {
      service_request_id: string;
    }[];
    expect(open.map((l) => l.service_request_id)).not.toContain(id);
    const byId = JSON.parse(
      (await get(`/requests.json?service_request_id=${id},not-an-id`)).text,
    ) as unknown[];
    expect(byId).toHaveLength(1);
    const track = await new ApiSession().call('GET', `/api/intake/track/${answer!.tracking_code}`);
    expect(track.body).toMatchObject({ status: 'answered', answer: '已联系环卫所，今日起每天清运两次。' });
  });

  it('lists only requests received through Open311, never messages written on the QR page', async () => {
    const qr: { tracking_code: string; id: string }[] = await ds.query(
      `SELECT tracking_code, id FROM messages WHERE channel <> 'open311' ORDER BY created_at DESC LIMIT 1`,
    );
    if (qr[0]) {
      expect((await get(`/requests/${qr[0].id}.json`)).status).toBe(404);
      const all = await get('/requests.json');
      expect(all.text).not.toContain(qr[0].id);
    }
    expect((await get('/requests/00000000-0000-4000-8000-000000000000.xml')).text).toContain(
      '<code>404</code>',
    );
  });

  it('refuses a bad api_key with 403 and a missing field with 400 naming it, in the standard error format', async () => {
    const bad = await post('/requests.json', {
      api_key: 'o311_not-a-key',
      service_code: 'transport',
      description: '路灯不亮，晚上很黑。',
    });
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.text)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const badXml = await post('/requests.xml', {
      api_key: 'o311_not-a-key',
      service_code: 'transport',
      description: '路灯不亮，晚上很黑。',
    });
    expect(badXml.status).toBe(403);
    expect(xml.parse(badXml.text)).toMatchObject({
      errors: { error: [{ code: '403', description: expect.stringContaining('api_key') }] },
    });

    const missing = await post('/requests.json', { api_key: apiKey, description: '路灯不亮，晚上很黑。' });
    expect(missing.status).toBe(400);
    const errors = JSON.parse(missing.text) as { code: number; description: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(400);
    expect(errors[0]!.description).toContain('service_code');
    expect(errors[0]!.description).toContain('必填');

    const several = await post('/requests.json', {
      api_key: apiKey,
      service_code: 'nosuch',
      description: '短',
      lat: 'north',
    });
    expect(several.status).toBe(400);
    const named = (JSON.parse(several.text) as { description: string }[])
      .map((e) => e.description)
      .join('\n');
    for (const f of ['service_code', 'description', 'lat']) expect(named).toContain(f);
    // Nothing was stored by the refusals.
    const n: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM messages WHERE content = '路灯不亮，晚上很黑。'`,
    );
    expect(n[0]!.n).toBe(0);

    // A deactivated client's key stops working.
    const off = await admin.call('PATCH', `/api/admin/open311/clients/${clientId}`, { active: false });
    expect(off.status).toBe(200);
    const refused = await post('/requests.json', {
      api_key: apiKey,
      service_code: 'transport',
      description: '路灯不亮，晚上很黑，请修理。',
    });
    expect(refused.status).toBe(403);
    const on = await admin.call('PATCH', `/api/admin/open311/clients/${clientId}`, { active: true });
    expect(on.body).toMatchObject({ active: true, apiKey: null });
  });

  it('limits one device like the public form limits one sender (429 in the standard format)', async () => {
    const d = device();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await post('/requests.json', {
            api_key: apiKey,
            service_code: 'other',
            description: `小区门口道路破损第${i}处，请修补。`,
            device_id: d,
          })
        ).status,
      );
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses[5]).toBe(429);
    // Another device of the same client is not limited.
    const other = await post('/requests.json', {
      api_key: apiKey,
      service_code: 'other',
      description: '小区门口道路破损，请修补。',
      device_id: device(),
    });
    expect(other.status).toBe(201);
  });

  it('only the admin registers clients; the key is shown once and kept as a hash', async () => {
    expect(
      (await wang.call('POST', '/api/admin/open311/clients', { name: '代表的客户端', stationId: LC })).status,
    ).toBe(403);
    const list = await admin.call('GET', '/api/admin/open311/clients');
    const mine = (list.body.items as Record<string, unknown>[]).find((c) => c.id === clientId);
    expect(mine).toMatchObject({ stationName: '溧城街道人大代表联络站', active: true });
    expect(JSON.stringify(list.body)).not.toContain(apiKey);
    const stored: { key_hash: string }[] = await ds.query(
      `SELECT key_hash FROM open311_clients WHERE id = $1`,
      [clientId],
    );
    expect(stored[0]!.key_hash).not.toContain(apiKey);
    expect(stored[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const wrong = await admin.call('POST', '/api/admin/open311/clients', { name: 'x', stationId: 'nope' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'stationId']);
  });
});
