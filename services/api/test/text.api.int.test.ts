import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';
import { demoId } from '@jianyi/platform/src/db/seed';
import { TextService } from '../src/text.service';

// Issue 12 through the API: Chinese keyword search (segmented, ranked, highlighted, kept current on
// every write), likely duplicates while drafting and at pre-review, recommended units at assignment.
// Every item carries a random Latin tag, so other data in the database does not change what is found.

const tag = `TX${randomBytes(4).toString('hex')}`;
const wangUser = demoId('user:wangjianguo');
const deputy = (k: string) => demoId(`deputy:${k}`);
const unit = (code: string) => demoId(`unit:${code}`);

let ds: DataSource;
let wang: ApiSession;
let li: ApiSession;
let reviewer: ApiSession;

/** A submitted item written by SQL (as imports and the worker do): not segmented until the indexer runs. */
async function sqlItem(
  title: string,
  content: string,
  extra: { status?: string; lead?: string; regNo?: string } = {},
) {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, registration_no, submitted_at, session_year)
     VALUES ($1,$2,$3,$4,$5,$6,$7, now(), 2025)`,
    [
      id,
      title,
      content,
      extra.status ?? 'submitted',
      deputy(extra.lead ?? 'zhang'),
      wangUser,
      extra.regNo ?? null,
    ],
  );
  return id;
}
async function segmented(id: string): Promise<boolean> {
  return (await ds.query(`SELECT search_segmented AS s FROM suggestions WHERE id = $1`, [id]))[0].s;
}
async function waitSegmented(id: string) {
  for (let i = 0; i < 100 && !(await segmented(id)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await segmented(id)).toBe(true);
}
const titles = (body: { items: { title: string }[] }) => body.items.map((x) => x.title);

beforeAll(async () => {
  ds = await openDataSource();
  [wang, li, reviewer] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('lixiuying'),
    ApiSession.login('reviewer'),
  ]);
});
afterAll(async () => {
  await ds?.destroy();
});

describe('keyword search (分词检索)', () => {
  it('finds a draft by a word inside a domain term, marks it, and follows an edit at once', async () => {
    const created = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: `关于完善城乡公交线路的建议 ${tag}a`,
        content: '溧城街道到别桥镇的城乡公交班次少，建议加密班次，优化线路。',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await segmented(id)).toBe(true); // written by the API with its vector

    const found = await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`公交 ${tag}a`)}`);
    expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    const marked = found.body.items[0].highlight.title
      .filter((p: { hit?: boolean }) => p.hit)
      .map((p: { text: string }) => p.text);
    expect(marked).toContain('公交');
    // Words in any order match; a quoted phrase must appear as written.
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`线路 城乡公交 ${tag}a`)}`)).body
        .total,
    ).toBe(1);
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`"城乡公交线路" ${tag}a`)}`)).body
        .total,
    ).toBe(1);
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`"线路城乡公交" ${tag}a`)}`)).body
        .total,
    ).toBe(0);
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`电梯 ${tag}a`)}`)).body.total,
    ).toBe(0);

    const edited = await wang.call('PATCH', `/api/suggestions/${id}`, {
      title: `关于推进老旧小区加装电梯的建议 ${tag}a`,
      content: '老旧小区老人上下楼困难，建议简化加装电梯审批，加大补贴。',
    });
    expect(edited.status).toBe(200);
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`公交 ${tag}a`)}`)).body.total,
    ).toBe(0);
    expect(
      (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(`电梯 ${tag}a`)}`)).body.total,
    ).toBe(1);
    // Another deputy does not find it: search stays inside what the caller may see.
    expect(
      (await li.call('GET', `/api/suggestions?q=${encodeURIComponent(`电梯 ${tag}a`)}`)).body.total,
    ).toBe(0);
  });

  it('finds a row written by SQL by substring at once, and by its words after the indexer segmented it', async () => {
    const id = await sqlItem(
      `关于整治餐饮油烟扰民的建议 ${tag}b`,
      '南大街餐饮店油烟直排，周边居民深受其扰。',
    );
    const now = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`油烟直排 ${tag}b`)}`);
    expect(now.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    await waitSegmented(id);
    const later = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`直排 油烟 ${tag}b`)}`);
    expect(later.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
  });

  it('ranks the item that is more about the words first, and matches a registration number exactly', async () => {
    const weak = await sqlItem(`关于改善社区环境的建议 ${tag}c`, '社区绿化少，顺带一提充电桩不足。');
    const strong = await sqlItem(
      `关于加快充电桩建设的建议 ${tag}c`,
      '新能源汽车充电桩少，小区充电桩安装难，公共充电桩排队。',
      { regNo: `${tag}-第0042号` },
    );
    await waitSegmented(weak);
    await waitSegmented(strong);
    const r = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`充电桩 ${tag}c`)}`);
    expect(r.body.items.map((x: { id: string }) => x.id)).toEqual([strong, weak]);
    const byNo = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`${tag}-第0042号`)}`);
    expect(byNo.body.items.map((x: { id: string }) => x.id)).toEqual([strong]);
  });

  it('searches the unit inbox within the unit', async () => {
    const id = await sqlItem(`关于拓宽农村公路的建议 ${tag}d`, '戴埠镇村道狭窄，建议拓宽。', {
      status: 'assigned',
    });
    await ds.query(
      `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, assigned_at) VALUES ($1,$2,$3,'lead',1,'pending', now())`,
      [randomUUID(), id, unit('JTJ')],
    );
    await waitSegmented(id);
    const jtj = await ApiSession.login('jtj.handler');
    const r = await jtj.call('GET', `/api/unit-inbox?q=${encodeURIComponent(`村道 ${tag}d`)}`);
    expect(r.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    const jyj = await ApiSession.login('jyj.handler');
    expect(
      (await jyj.call('GET', `/api/unit-inbox?q=${encodeURIComponent(`村道 ${tag}d`)}`)).body.total,
    ).toBe(0);
    expect((await jtj.call('GET', `/api/unit-inbox?q=${'x'.repeat(101)}`)).status).toBe(422);
  });
});

describe('likely duplicates (疑似重复)', () => {
  let original: string;
  beforeAll(async () => {
    original = await sqlItem(
      `关于治理电动自行车楼道充电火灾隐患的建议 ${tag}e`,
      '很多居民把电动自行车推进楼道、拉飞线充电，极易引发火灾。建议在小区建设集中充电棚和智能充电桩，加强消防检查。',
      { lead: 'chen' },
    );
    await sqlItem(`关于规范校外培训机构的建议 ${tag}e`, '部分校外培训机构无证办学，收费不规范。', {
      lead: 'chen',
    });
    await waitSegmented(original);
  });

  it('shows a drafting deputy the earlier item that is the same proposal, not an unrelated one', async () => {
    const r = await li.call(
      'GET',
      `/api/suggestions/similar?title=${encodeURIComponent('关于消除电动车楼道充电消防隐患的建议')}&content=${encodeURIComponent(
        '老旧小区居民把电动车停在楼道里拉电线充电，起火事故时有发生。建议建设小区集中充电设施。',
      )}`,
    );
    expect(r.status).toBe(200);
    const hit = r.body.items.find((x: { id: string }) => x.id === original);
    expect(hit).toBeDefined();
    expect(hit.status).toBe('submitted');
    expect(hit.compare).toBeUndefined(); // the side-by-side view is the reviewer's
    expect(titles(r.body).some((t: string) => t.includes('校外培训'))).toBe(false);
    const unrelated = await li.call(
      'GET',
      `/api/suggestions/similar?title=${encodeURIComponent('关于加强古树名木保护的建议')}&content=${encodeURIComponent('古树缺乏养护。')}`,
    );
    expect(unrelated.body.items.find((x: { id: string }) => x.id === original)).toBeUndefined();
  });

  it('shows the reviewer an item’s duplicates side by side with the differing sentences marked', async () => {
    const second = await sqlItem(
      `关于建设小区电动车集中充电设施消除消防隐患的建议 ${tag}e`,
      '老旧小区缺少电动车充电设施，居民只能从家里拉电线充电。电动车在楼道停放充电起火的事故时有发生。建议住建部门和消防部门推动小区建设充电车棚。',
      { lead: 'wang' },
    );
    await waitSegmented(second);
    const r = await reviewer.call('GET', `/api/suggestions/${second}/similar`);
    expect(r.status).toBe(200);
    const hit = r.body.items.find((x: { id: string }) => x.id === original);
    expect(hit).toBeDefined();
    expect(hit.compare.left.length).toBeGreaterThan(0);
    expect(hit.compare.left.some((s: { same: boolean }) => !s.same)).toBe(true);
    expect(r.body.items.find((x: { id: string }) => x.id === second)).toBeUndefined(); // never itself
    expect((await wang.call('GET', `/api/suggestions/${second}/similar`)).status).toBe(403);
  });

  it('refuses bad input with a problem document naming the field', async () => {
    const r = await wang.call('GET', `/api/suggestions/similar?title=${'长'.repeat(201)}`);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.errors)).toContain('title');
  });
});

describe('recommended units (交办推荐)', () => {
  it('proposes the unit that handled similar items, with a reason, and records the reviewer’s choice', async () => {
    const past = await sqlItem(
      `关于增设城区公交站点候车亭的建议 ${tag}f`,
      '公交站点没有候车亭，群众雨天等车不便，建议建设候车亭。',
      {
        status: 'assigned',
      },
    );
    await ds.query(
      `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, assigned_at) VALUES ($1,$2,$3,'lead',1,'pending', now()), ($4,$2,$5,'co',1,'pending', now())`,
      [randomUUID(), past, unit('JTJ'), randomUUID(), unit('ZJJ')],
    );
    const item = await sqlItem(
      `关于在农村公交站点建设候车亭的建议 ${tag}f`,
      '农村公交站点只有站牌没有候车亭，建议分批建设候车亭。',
    );
    await waitSegmented(past);
    await waitSegmented(item);
    const r = await reviewer.call('GET', `/api/suggestions/${item}/recommended-units`);
    expect(r.status).toBe(200);
    expect(r.body.lead).toHaveLength(3);
    expect(r.body.lead[0].unitId).toBe(unit('JTJ'));
    expect(r.body.lead[0].reason).toContain('候车亭');
    expect(r.body.coHandlers.map((x: { unitId: string }) => x.unitId)).toContain(unit('ZJJ'));
    expect((await wang.call('GET', `/api/suggestions/${item}/recommended-units`)).status).toBe(403);

    const before = (await reviewer.call('GET', '/api/stats/recommendation-agreement?days=90')).body;
    await new TextService(ds).recordChoice(item, unit('JTJ'), demoId('user:reviewer'));
    const after = (await reviewer.call('GET', '/api/stats/recommendation-agreement?days=90')).body;
    expect(after.total).toBe(before.total + 1);
    const row = (
      await ds.query(`SELECT chosen_rank FROM unit_recommendations WHERE suggestion_id = $1`, [item])
    )[0];
    expect(row.chosen_rank).toBe(1);
    expect((await reviewer.call('GET', '/api/stats/recommendation-agreement?days=abc')).status).toBe(422);
  });

  it('lets an admin keep a unit’s remit text, which then drives a cold start', async () => {
    const admin = await ApiSession.login('admin');
    const remit = `负责${tag}g 特色业务：古树名木养护和登记。`;
    const put = await admin.call('PUT', `/api/admin/unit-remits/${unit('NYJ')}`, { remit });
    expect(put.status).toBe(200);
    expect(put.body.remit, JSON.stringify(put.body)).toBe(remit);
    expect((await reviewer.call('PUT', `/api/admin/unit-remits/${unit('NYJ')}`, { remit: 'x' })).status).toBe(
      403,
    );
    expect((await admin.call('PUT', `/api/admin/unit-remits/${unit('NYJ')}`, { remit: 1 })).status).toBe(422);
    const item = await sqlItem(`关于古树名木养护的建议 ${tag}g`, `村里古树名木缺乏养护和登记 ${tag}g。`);
    await waitSegmented(item);
    const r = await reviewer.call('GET', `/api/suggestions/${item}/recommended-units`);
    expect(r.body.lead[0].unitId).toBe(unit('NYJ'));
    expect(r.body.lead[0].reason).toMatch(/职责/);
  });
});
