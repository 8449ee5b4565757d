/**
 * Demo activity (for `./dev up` only, never in tests): drives the seeded demo drafts through the
 * real path — the API, the workflows, the outbox and Kafka — into different states, so the
 * dashboard, the supervision lists and the public replies have something to show. Each item is
 * moved on only while it is still a draft, so running it again changes nothing.
 *
 *   s1 王建国 → 交通局: contact 面商, reply A, rated 满意 → published
 *   s2 李秀英 → 教育局: contact 电话, reply B with a promised date, rated 基本满意 → published
 *   s3 张志强 → 交通局 (lead) + 住建局 (co-handler): signed in, handling
 *   s4 陈丽华 → 教育局: assigned, waiting for sign-in
 *   s5 王建国: submitted, waiting for pre-review
 *
 * and a few constituent messages (群众留言, 一码通) through the public API, unless the station has some:
 *   溧城联络站: one waiting to be claimed, one claimed by 王建国, one forwarded to 交通局, one answered
 *   by 王建国 and rated 满意; 天目湖代表之家: one answered by 李秀英, waiting for the rating; a duplicate
 *   merged; two in one draft of 王建国; one turned into 王建国's suggestion that 交通局 answered (the
 *   constituent is told on the tracking page); an Open311 client of 溧城 with one request; both
 *   stations' duty rosters for the next two weeks.
 * and the stations' records (家站点履职, unless 王建国 has appointments): at 溧城联络站 today, an
 *   appointment (约见) with 王建国 confirmed and held, his duty day served, a 接待日 he and 陈丽华
 *   attended; one appointment waiting for his confirmation on his next duty day and one 陈丽华
 *   declined; a 代表讲堂 session 王建国, 李秀英 and 张志强 attended. So /record shows a filled 履职档案.
 * Then issue 12's items (demo-text.ts): past items assigned to the unit their label names (what the
 * unit recommendation learns from, and what the agreement panel counts), near-duplicates waiting for
 * pre-review or assignment, and near-duplicate drafts (the deputy sees the likely duplicates on opening).
 */
import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { ApiSession, waitFor } from '../testing';
import { DEMO_PHOTO } from '../testing/photo';
import { demoId, demoUsers } from './seed';
import { demoTextSuggestions } from './demo-text';

type Res = Awaited<ReturnType<ApiSession['call']>>;

const unit = (code: string) => demoId(`unit:${code}`);
/** 附件 on a demo item: the unit's site photo on its contact and the printed reply letter as the signed scan. */
async function demoAttachments(handler: ApiSession, id: string, unitId: string): Promise<void> {
  const t = await handler.call('GET', `/api/suggestions/${id}/timeline`);
  const contact = (t.body?.contacts as { id: string; unitId: string }[] | undefined)?.find(
    (c) => c.unitId === unitId,
  );
  const reply = (t.body?.replies as { id: string; unitId: string }[] | undefined)?.find(
    (r) => r.unitId === unitId,
  );
  const key = () => ({ 'Idempotency-Key': randomUUID() });
  if (contact)
    await handler.upload(
      `/api/suggestions/${id}/contacts/${contact.id}/attachments`,
      { name: '现场走访照片.jpg', bytes: DEMO_PHOTO, type: 'image/jpeg' },
      key(),
    );
  if (reply) {
    const letter = await handler.download(`/api/suggestions/${id}/print/reply-letter.pdf?unitId=${unitId}`);
    if (letter.status === 200)
      await handler.upload(
        `/api/suggestions/${id}/replies/${reply.id}/attachments`,
        { name: '答复函（盖章扫描件）.pdf', bytes: letter.bytes, type: 'application/pdf' },
        key(),
      );
  }
}
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Retries a step the workflow may not be ready for yet (409 while the previous step lands, 404 before a unit's workflow starts). */
async function step(what: string, fn: () => Promise<Res>, ok = [200, 202]): Promise<Res> {
  let last: Res | undefined;
  await waitFor(
    what,
    async () => {
      last = await fn();
      if (ok.includes(last.status)) return true;
      if (![404, 409].includes(last.status))
        throw new Error(`${what}: ${last.status} ${JSON.stringify(last.body)}`);
      return false;
    },
    60_000,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; last answer ${last?.status} ${JSON.stringify(last?.body)}`);
  });
  return last!;
}

async function untilStatus(s: ApiSession, id: string, status: string): Promise<void> {
  await waitFor(
    `${id} → ${status}`,
    async () => (await s.call('GET', `/api/suggestions/${id}`)).body?.status === status,
    60_000,
  );
}

/** The demo constituent messages in several states (see above); skipped when the station has messages. */
export async function demoMessages(): Promise<void> {
  const staff = await ApiSession.login('lc.staff');
  const existing = await staff.call('GET', '/api/messages?limit=1');
  if (existing.status !== 200 || existing.body.items.length) return;
  const anon = new ApiSession();
  const wang = await ApiSession.login('wangjianguo');
  const li = await ApiSession.login('lixiuying');
  let n = 0;
  const write = async (code: string, category: string, content: string, extra: object = {}) => {
    n += 1;
    const r = await anon.call(
      'POST',
      `/api/intake/targets/${code}/messages`,
      { category, content, consent: true, ...extra },
      { 'X-Forwarded-For': `203.0.113.${n}` },
    );
    if (r.status !== 201) throw new Error(`demo message: ${r.status} ${JSON.stringify(r.body)}`);
    return { code: r.body.trackingCode as string };
  };
  const idFor = async (s: ApiSession, code: string) => {
    let id = '';
    await waitFor('message visible', async () => {
      const list = await s.call('GET', '/api/messages?limit=200');
      id = list.body.items.find((m: { trackingCode: string }) => m.trackingCode === code)?.id ?? '';
      return !!id;
    });
    return id;
  };
  await write('CZ3K7M', 'environment', '小区旁的河道最近有异味，傍晚尤其明显，希望有关部门查一查排污口。', {
    name: '周女士',
    phone: '13900001111',
  });
  const claimed = await write(
    'CZ3K7M',
    'education',
    '学校门口早晚高峰家长车辆乱停，孩子过马路很危险，建议设置临时停车区。',
  );
  const forwarded = await write(
    'CZ3K7M',
    'transport',
    '燕山中路公交站台没有遮雨棚，雨天老人候车很不方便，希望加装。',
    {
      name: '陈大爷',
      phone: '13900002222',
    },
  );
  const rated = await write('CZ3K7M', 'social', '社区养老服务中心的助餐点什么时候开放？老人们都很关心。');
  const waiting = await write('TMH4X9', 'agriculture', '村里的灌溉水渠年久失修，漏水严重，影响春耕用水。');
  for (const m of [claimed, forwarded, rated]) {
    const id = await idFor(wang, m.code);
    await step('claim message', () => wang.call('POST', `/api/messages/${id}/claim`));
  }
  const fid = await idFor(wang, forwarded.code);
  await step('forward message', () =>
    wang.call('POST', `/api/messages/${fid}/forward`, {
      unitId: unit('JTJ'),
      note: '请核实站台情况并答复群众',
    }),
  );
  const rid = await idFor(wang, rated.code);
  await step('answer message', () =>
    wang.call('POST', `/api/messages/${rid}/answer`, {
      answer: '已与街道和民政部门核实，助餐点将于下月 1 日开放，每日 11:00–12:30 供餐。',
    }),
  );
  await step('rate message', () =>
    anon.call('POST', `/api/intake/track/${rated.code}/rating`, { rating: 'satisfied', comment: '谢谢代表' }),
  );
  const wid = await idFor(li, waiting.code);
  await step('claim message', () => li.call('POST', `/api/messages/${wid}/claim`));
  await step('answer message', () =>
    li.call('POST', `/api/messages/${wid}/answer`, {
      answer: '已请镇农业服务中心实地查看，水渠维修已列入本月计划。',
    }),
  );
  // 合并重复留言: a second message about the same bus stop, merged by the staff into the forwarded one.
  const duplicate = await write('CZ3K7M', 'transport', '燕山中路那个公交站没有棚子，下雨天等车全身淋湿。');
  const did = await idFor(staff, duplicate.code);
  await step('merge message', () =>
    staff.call('POST', `/api/messages/${did}/merge`, {
      intoMessageId: fid,
      reason: '同一公交站台遮雨棚问题',
    }),
  );
  // 转为代表建议 and 并入已有建议: two messages about school traffic become one draft of 王建国.
  const school = await write(
    'CZ3K7M',
    'education',
    '实验小学周边上下学时段交通拥堵，建议错峰放学并增设护学岗。',
  );
  const school2 = await write(
    'CZ3K7M',
    'education',
    '学校周边接送车辆太多，能不能开放附近停车场给家长临时停车？',
  );
  const [sid, sid2] = [await idFor(wang, school.code), await idFor(wang, school2.code)];
  for (const id of [sid, sid2])
    await step('claim message', () => wang.call('POST', `/api/messages/${id}/claim`));
  const converted = await wang.call('POST', `/api/messages/${sid}/convert`, {
    title: '关于缓解城区学校周边上下学交通拥堵的建议',
  });
  if (converted.status === 200 && converted.body.suggestionId)
    await step('link message', () =>
      wang.call('POST', `/api/messages/${sid2}/link`, { suggestionId: converted.body.suggestionId }),
    );
  // 建议已答复: a message about street lights becomes 王建国's suggestion, which 交通局 answers; the
  // message's tracking page then tells the constituent (and the station's staff get a notice).
  const lights = await write(
    'CZ3K7M',
    'transport',
    '燕山中路到河滨路一段的路灯坏了好几盏，晚上走路很黑，老人孩子出行不安全，希望尽快修好。',
    { name: '吴先生', phone: '13900003333' },
  );
  const lid = await idFor(wang, lights.code);
  await step('claim message', () => wang.call('POST', `/api/messages/${lid}/claim`));
  const lit = await step('convert message', () =>
    wang.call('POST', `/api/messages/${lid}/convert`, { title: '关于尽快修复燕山中路沿线路灯的建议' }),
  );
  const as: Record<string, ApiSession> = { wangjianguo: wang };
  for (const u of ['reviewer', 'jtj.handler', 'jtj.leader']) as[u] = await ApiSession.login(u);
  await drive(as, String(lit.body.suggestionId), {
    deputy: 'wangjianguo',
    to: 'replied',
    lead: 'JTJ',
    co: [],
    handler: 'jtj.handler',
    leader: 'jtj.leader',
    form: '电话',
    replyBody:
      '经现场排查，燕山中路至河滨路段共有 7 盏路灯损坏，已全部更换为 LED 灯具并恢复照明；今后将每月巡查一次，发现故障 48 小时内修复。',
  });
  await waitFor(
    'the constituent is told the suggestion was answered',
    async () =>
      (await anon.call('GET', `/api/intake/track/${lights.code}`)).body?.suggestion?.answered === true,
    60_000,
  );

  // Open311: a registered third-party client and one request through it (the key is not printed: the
  // admin draws a new one on /admin/open311 to try the API).
  const admin = await ApiSession.login('admin');
  const client = await admin.call('POST', '/api/admin/open311/clients', {
    name: '“随手拍”演示应用',
    stationId: demoId('station:lc'),
  });
  let open311 = '';
  if (client.status === 201) {
    const r = await anon.call(
      'POST',
      '/api/open311/v2/requests.json',
      {
        api_key: client.body.apiKey,
        service_code: 'environment',
        description: '河滨路口的垃圾桶已经满了好几天没人清运，气味很大。',
        address_string: '溧城街道河滨路与燕山中路交叉口',
        lat: 31.4312,
        long: 119.4851,
        device_id: 'demo-device-1',
      },
      { 'X-Forwarded-For': '203.0.113.200' },
    );
    open311 =
      r.status === 201
        ? ` Open311 client registered (a new api_key on /admin/open311), request ${String(r.body[0]?.service_request_id)};`
        : '';
  }

  // 值班表: the next two weeks' roster of both demo stations (weekdays), set as the admin does.
  const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000);
  // Weekdays, and today in any case (the demo's 约见 and duty day are today's).
  const weekdays = [...Array(14).keys()].map(day).filter((d, i) => i === 0 || d.getUTCDay() % 6 !== 0);
  const roster = (a: string, b: string) =>
    weekdays.flatMap((d, i) => [
      { deputyId: demoId(`deputy:${i % 2 ? b : a}`), day: d.toISOString().slice(0, 10), slot: 'am' },
      { deputyId: demoId(`deputy:${i % 2 ? a : b}`), day: d.toISOString().slice(0, 10), slot: 'pm' },
    ]);
  await admin.call('PUT', `/api/admin/stations/${demoId('station:lc')}/duties`, {
    duties: roster('wang', 'chen'),
  });
  await admin.call('PUT', `/api/admin/stations/${demoId('station:tmh')}/duties`, {
    duties: roster('li', 'zhang'),
  });

  console.log(
    `demo messages: 9 written;${open311} duty rosters set; tracking codes ${[claimed, forwarded, rated, waiting, duplicate, school, school2, lights].map((m) => m.code).join(', ')} (${duplicate.code} merged into ${forwarded.code}; ${school.code} and ${school2.code} in one suggestion draft; ${lights.code} became a suggestion that was answered)`,
  );
}

/** The stations' records of the demo (see above); skipped when 王建国 already has appointments. */
export async function demoStationRecords(): Promise<void> {
  const wang = await ApiSession.login('wangjianguo');
  const existing = await wang.call('GET', '/api/appointments?limit=1');
  if (existing.status !== 200 || existing.body.items.length) return;
  const [chen, staff, reviewer] = (await Promise.all(
    ['chenlihua', 'lc.staff', 'reviewer'].map((u) => ApiSession.login(u)),
  )) as [ApiSession, ApiSession, ApiSession];
  const anon = new ApiSession();
  const lc = demoId('station:lc');
  const slots = await anon.call('GET', '/api/intake/targets/CZ3K7M/slots');
  type Slot = { deputyId: string; day: string; slot: string; available: boolean };
  const free = (slots.body.items as Slot[]).filter((x) => x.available);
  const first = (deputy: string, after = '') =>
    free.find((x) => x.deputyId === demoId(`deputy:${deputy}`) && x.day > after);
  let n = 0;
  const book = async (x: Slot, topic: string, name: string) => {
    n += 1;
    const r = await anon.call(
      'POST',
      '/api/intake/targets/CZ3K7M/appointments',
      {
        deputyId: x.deputyId,
        day: x.day,
        slot: x.slot,
        topic,
        name,
        phone: `1390000${String(n).padStart(4, '0')}`,
      },
      { 'X-Forwarded-For': `203.0.113.${100 + n}` },
    );
    if (r.status !== 201) throw new Error(`demo appointment: ${r.status} ${JSON.stringify(r.body)}`);
    let id = '';
    await waitFor('appointment visible', async () => {
      const list = await staff.call('GET', `/api/appointments?stationId=${lc}&limit=200`);
      id =
        list.body.items.find((a: { trackingCode: string }) => a.trackingCode === r.body.trackingCode)?.id ??
        '';
      return !!id;
    });
    return { id, code: r.body.trackingCode as string };
  };
  const today = first('wang', '');
  const codes: string[] = [];
  if (today && today.day === new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)) {
    const held = await book(today, '想当面反映燕山中路人行道被占用、老人出行不便的问题。', '周先生');
    codes.push(held.code);
    await step('confirm appointment', () => wang.call('POST', `/api/appointments/${held.id}/confirm`));
    await step('appointment held', () =>
      staff.call('POST', `/api/appointments/${held.id}/attendance`, { held: true }),
    );
    const desk = await staff.call('GET', `/api/stations/${lc}/day`);
    const duty = (desk.body.duties as { id: string; deputyId: string; served: boolean | null }[]).find(
      (d) => d.deputyId === demoId('deputy:wang') && d.served === null,
    );
    if (duty)
      await step('duty served', () =>
        staff.call('POST', `/api/stations/${lc}/duties/${duty.id}/attendance`, { served: true }),
      );
  }
  const later = first('wang', today?.day ?? '');
  if (later) codes.push((await book(later, '咨询小区加装电梯的补贴政策和申请流程。', '钱女士')).code);
  const chenSlot = first('chen');
  if (chenSlot) {
    const declined = await book(chenSlot, '反映菜市场周边夜间噪声扰民。', '孙先生');
    codes.push(declined.code);
    await step('decline appointment', () =>
      chen.call('POST', `/api/appointments/${declined.id}/decline`, {
        reason: '当天需参加市人大常委会视察，请改约下周或扫码留言',
      }),
    );
  }
  const todayIso = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await step(
    'activity',
    () =>
      wang.call(
        'POST',
        '/api/activities',
        {
          stationId: lc,
          kind: 'reception',
          day: todayIso,
          title: '代表接待日：燕山社区群众来访',
          summary: '接待群众 8 人次，收集意见建议 5 条，其中 2 条已转为代表建议。',
          attendeeDeputyIds: [demoId('deputy:wang'), demoId('deputy:chen')],
        },
        { 'Idempotency-Key': randomUUID() },
      ),
    [201],
  );
  const lastWeek = new Date(Date.now() + 8 * 3600_000 - 7 * 86_400_000).toISOString().slice(0, 10);
  await step(
    'training',
    () =>
      reviewer.call(
        'POST',
        '/api/trainings',
        {
          title: '代表讲堂：如何提出高质量的代表建议',
          day: lastWeek,
          venue: '市人大常委会第一会议室',
          speaker: '刘明',
          deputyIds: ['wang', 'li', 'zhang'].map((k) => demoId(`deputy:${k}`)),
        },
        { 'Idempotency-Key': randomUUID() },
      ),
    [201, 409],
  );
  console.log(`demo stations' records: appointments ${codes.join(', ')}; a 接待日, a 代表讲堂 session`);
}

interface Plan {
  deputy: string;
  /** Where the item stops: 'replied' leaves the rating to the deputy. */
  to: string;
  lead: string;
  co: string[];
  handler: string;
  leader: string;
  form?: string;
  category?: string;
  rating?: string;
  /** The reply's text (category A) instead of the stock ones. */
  replyBody?: string;
}

/** Moves a demo draft through the real steps to `p.to`; an item no longer a draft was moved by an earlier run. */
async function drive(as: Record<string, ApiSession>, id: string, p: Plan): Promise<void> {
  const deputy = as[p.deputy]!;
  const current = await deputy.call('GET', `/api/suggestions/${id}`);
  if (current.body?.status !== 'draft') return; // already moved on by an earlier run
  await step('submit', () => deputy.call('POST', `/api/suggestions/${id}/submit`));
  await untilStatus(deputy, id, 'submitted');
  if (p.to === 'submitted') return;
  await step('accept', () =>
    as.reviewer!.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' }),
  );
  await untilStatus(deputy, id, 'accepted');
  await step('assign', () =>
    as.reviewer!.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: unit(p.lead),
      coUnitIds: p.co.map(unit),
    }),
  );
  await untilStatus(deputy, id, 'assigned');
  if (p.to === 'assigned') return;
  const u = `/api/suggestions/${id}/units/${unit(p.lead)}`;
  const handler = as[p.handler]!;
  await step('sign-in', () => handler.call('POST', `${u}/sign-in`));
  await untilStatus(deputy, id, 'handling');
  if (p.to === 'handling') return;
  await step('contact', () =>
    handler.call('POST', `${u}/contacts`, {
      contactedOn: today(),
      form: p.form,
      summary: '与领衔代表沟通办理思路和时间安排',
    }),
  );
  const reply = p.replyBody
    ? { category: 'A', body: p.replyBody }
    : p.category === 'A'
      ? {
          category: 'A',
          body: '经研究,已采纳代表建议:调整三条公交线路,新增社区微循环线路两条,学校和医院周边高峰班次加密至每 8 分钟一班。',
        }
      : {
          category: 'B',
          body: '代表建议已列入明年校车安全专项计划,将完善购置补贴并建立驾驶员资质年审制度,预计明年六月底前完成。',
          promisedDate: `${new Date().getFullYear() + 1}-06-30`,
        };
  await step('reply draft', () => handler.call('POST', `${u}/reply`, reply));
  await step('sign-off', () => as[p.leader]!.call('POST', `${u}/reply/sign-off`));
  await step('send', () => handler.call('POST', `${u}/reply/send`));
  await untilStatus(deputy, id, 'replied');
  if (p.to === 'replied') return;
  await step('rate', () =>
    deputy.call('POST', `/api/suggestions/${id}/rate`, {
      rating: p.rating,
      comment: '办理认真,沟通充分',
    }),
  );
  await untilStatus(deputy, id, 'published');
  await demoAttachments(handler, id, unit(p.lead));
}

export async function demoActivity(): Promise<void> {
  const users = [
    'wangjianguo',
    'lixiuying',
    'zhangzhiqiang',
    'chenlihua',
    'reviewer',
    'jtj.handler',
    'jtj.leader',
    'jyj.handler',
    'jyj.leader',
  ];
  const as = Object.fromEntries(
    await Promise.all(users.map(async (u) => [u, await ApiSession.login(u)] as const)),
  ) as Record<string, ApiSession>;
  const plan = [
    {
      key: 's1',
      deputy: 'wangjianguo',
      to: 'published',
      lead: 'JTJ',
      co: [] as string[],
      handler: 'jtj.handler',
      leader: 'jtj.leader',
      form: '面商',
      category: 'A',
      rating: 'satisfied',
    },
    {
      key: 's2',
      deputy: 'lixiuying',
      to: 'published',
      lead: 'JYJ',
      co: [],
      handler: 'jyj.handler',
      leader: 'jyj.leader',
      form: '电话',
      category: 'B',
      rating: 'basically_satisfied',
    },
    {
      key: 's3',
      deputy: 'zhangzhiqiang',
      to: 'handling',
      lead: 'JTJ',
      co: ['ZJJ'],
      handler: 'jtj.handler',
      leader: 'jtj.leader',
    },
    {
      key: 's4',
      deputy: 'chenlihua',
      to: 'assigned',
      lead: 'JYJ',
      co: [],
      handler: 'jyj.handler',
      leader: 'jyj.leader',
    },
    { key: 's5', deputy: 'wangjianguo', to: 'submitted', lead: '', co: [], handler: '', leader: '' },
  ];
  await Promise.all(plan.map((p) => drive(as, demoId(`suggestion:${p.key}`), p)));

  const login = (key: string) => demoUsers.find((u) => 'deputy' in u && u.deputy === key)!.username;
  const pending = demoTextSuggestions.filter((x) => x.stage !== 'draft');
  // Past items first (in order, a few at a time), so later ones find them.
  for (let i = 0; i < pending.length; i += 4)
    await Promise.all(
      pending.slice(i, i + 4).map(async (x) => {
        const id = demoId(`suggestion:${x.key}`);
        const deputy = as[login(x.deputy)]!;
        if ((await deputy.call('GET', `/api/suggestions/${id}`)).body?.status !== 'draft') return;
        await step('submit', () => deputy.call('POST', `/api/suggestions/${id}/submit`));
        await untilStatus(deputy, id, 'submitted');
        if (x.stage === 'submitted') return;
        await step('accept', () =>
          as.reviewer!.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' }),
        );
        await untilStatus(deputy, id, 'accepted');
        if (x.stage === 'accepted') return;
        await step('assign', () =>
          as.reviewer!.call('POST', `/api/suggestions/${id}/assign`, {
            mode: 'lead',
            leadUnitId: unit(x.lead),
            coUnitIds: x.co.map(unit),
          }),
        );
        await untilStatus(deputy, id, 'assigned');
      }),
    );
}

if (require.main === module) {
  // Demo accounts share one published password: never on a deployment (issue 10).
  if (config.env !== 'dev' && config.env !== 'test') {
    console.error(
      `refusing to load demo data outside the dev and test stacks (JIANYI_ENV=${config.env}); ` +
        '演示数据只能在开发和测试环境中加载',
    );
    process.exit(2);
  }
  demoActivity()
    .then(() => demoMessages())
    .then(() => demoStationRecords())
    .then(() => console.log('demo activity done'))
    .catch((err) => {
      console.error('demo activity failed:', err);
      process.exit(1);
    });
}
