/**
 * Demo data (zh-CN): units, deputies, one account per role, draft suggestions. Idempotent: fixed
 * ids and ON CONFLICT DO NOTHING, so running it twice changes nothing.
 */
import { config } from '../config';
import { createHash } from 'node:crypto';
import { hashPassword } from '../auth/password';
import { seedCalendar } from './calendar';
import { openDataSource } from './data-source';
import { demoTextSuggestions, demoUnitRemits } from './demo-text';

/** A stable UUID derived from a name, so demo rows keep their ids across runs. */
export function demoId(name: string): string {
  const h = createHash('sha256').update(`jianyi-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const DEMO_PASSWORD = config.demoPassword;

export const demoUnits = [
  { code: 'JTJ', name: '市交通运输局' },
  { code: 'JYJ', name: '市教育局' },
  { code: 'ZJJ', name: '市住房和城乡建设局' },
  { code: 'WJW', name: '市卫生健康委员会' },
  { code: 'NYJ', name: '市农业农村局' },
];

/** Dev-only units of the other 单位类别 (the demo units above are 政府工作部门). */
const demoMoreUnits = [
  { code: 'LCJD', name: '溧城街道办事处', kind: 'township' },
  { code: 'TMHZ', name: '天目湖镇人民政府', kind: 'township' },
  { code: 'FY', name: '市人民法院', kind: 'judicial' },
  { code: 'SWJ', name: '国家税务总局溧阳市税务局', kind: 'vertical' },
  { code: 'GDGS', name: '国网溧阳市供电公司', kind: 'enterprise' },
];

/** Dev-only: 96 more deputies over four towns' delegations, named from common surnames and given names. */
function demoRoll(): { name: string; town: string; delegation: string; level: string }[] {
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜';
  const given = [
    '建华',
    '秀兰',
    '志明',
    '丽娟',
    '国强',
    '海燕',
    '文斌',
    '晓梅',
    '永康',
    '春花',
    '德胜',
    '玉珍',
  ];
  const towns = ['溧城街道', '天目湖镇', '戴埠镇', '别桥镇'];
  return Array.from({ length: 96 }, (_, i) => ({
    name: `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}`,
    town: towns[i % towns.length]!,
    delegation: `${towns[i % towns.length]!.replace(/(街道|镇)$/, '')}代表团`,
    level: i % 12 === 0 ? 'provincial' : 'city',
  }));
}

export const demoDeputies = [
  { key: 'wang', name: '王建国', town: '溧城街道', delegation: '溧城代表团' },
  { key: 'li', name: '李秀英', town: '天目湖镇', delegation: '天目湖代表团' },
  { key: 'zhang', name: '张志强', town: '戴埠镇', delegation: '戴埠代表团' },
  { key: 'chen', name: '陈丽华', town: '别桥镇', delegation: '别桥代表团' },
];

export const demoUsers = [
  { username: 'wangjianguo', displayName: '王建国', role: 'deputy', deputy: 'wang' },
  { username: 'lixiuying', displayName: '李秀英', role: 'deputy', deputy: 'li' },
  { username: 'zhangzhiqiang', displayName: '张志强', role: 'deputy', deputy: 'zhang' },
  { username: 'chenlihua', displayName: '陈丽华', role: 'deputy', deputy: 'chen' },
  { username: 'reviewer', displayName: '赵敏(代表工委)', role: 'reviewer' },
  { username: 'coordinator', displayName: '孙伟(政府督查室)', role: 'coordinator' },
  { username: 'supervisor', displayName: '周涛(常委会督办)', role: 'supervisor' },
  { username: 'jtj.handler', displayName: '刘洋(交通局经办人)', role: 'unit_handler', unit: 'JTJ' },
  // 局长 are principal leaders (主要负责人): they sign replies on key items; a 副局长 signs ordinary ones.
  {
    username: 'jtj.leader',
    displayName: '吴刚(交通局局长)',
    role: 'unit_leader',
    unit: 'JTJ',
    principal: true,
  },
  { username: 'jtj.vice', displayName: '何平(交通局副局长)', role: 'unit_leader', unit: 'JTJ' },
  { username: 'jyj.handler', displayName: '郑芳(教育局经办人)', role: 'unit_handler', unit: 'JYJ' },
  {
    username: 'jyj.leader',
    displayName: '黄磊(教育局局长)',
    role: 'unit_leader',
    unit: 'JYJ',
    principal: true,
  },
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  // 家站点工作人员: enters 线下反馈 and takes messages nobody claimed in time (一码通).
  { username: 'lc.staff', displayName: '钱蕾(溧城联络站工作人员)', role: 'station_staff' },
  { username: 'tmh.staff', displayName: '冯静(天目湖代表之家工作人员)', role: 'station_staff' },
];

/** Demo stations (家站点) with fixed QR codes (/m/<code>), their deputies and staff. */
export const demoStations = [
  {
    key: 'lc',
    code: 'CZ3K7M',
    name: '溧城街道人大代表联络站',
    kind: 'station',
    town: '溧城街道',
    address: '溧城街道燕山中路 18 号便民服务中心二楼',
    openingHours: '每周二、周四 9:00–11:30;每月 15 日代表接待日',
    deputies: ['wang', 'chen'],
    staff: ['lc.staff'],
  },
  {
    key: 'tmh',
    code: 'TMH4X9',
    name: '天目湖镇人大代表之家',
    kind: 'home',
    town: '天目湖镇',
    address: '天目湖镇平陵东路 6 号',
    openingHours: '工作日 8:30–17:00',
    deputies: ['li', 'zhang'],
    staff: ['tmh.staff'],
  },
];
/** Each demo deputy's own code. */
export const demoDeputyCodes: Record<string, string> = {
  wang: 'WJG5R8',
  li: 'XYK6P2',
  zhang: 'ZQ7N3B',
  chen: 'CH8D4F',
};

export const demoSuggestions = [
  {
    key: 's1',
    topic: '交通',
    deputy: 'wang',
    title: '关于优化城区公交线路和站点设置的建议',
    content:
      '城区部分新建小区周边公交覆盖不足,早晚高峰候车时间长。建议根据居民出行数据调整线路,增设社区微循环公交,并在学校、医院周边加密班次。',
  },
  {
    key: 's2',
    topic: '教育',
    deputy: 'li',
    title: '关于加强农村中小学校车安全管理的建议',
    content:
      '天目湖镇部分村距学校较远,学生上下学依赖校车和接送车辆。建议完善校车购置补贴,落实驾驶员资质审查和车辆定期检测,建立家校共管机制。',
  },
  {
    key: 's3',
    topic: '城乡建设',
    deputy: 'zhang',
    title: '关于推进老旧小区加装电梯的建议',
    content:
      '戴埠镇多个老旧小区老年住户比例高,上下楼困难。建议简化加装电梯审批流程,加大财政补贴力度,协调低层住户利益,推广统一设计和施工标准。',
  },
  {
    key: 's4',
    topic: '卫生健康',
    deputy: 'chen',
    title: '关于提升基层卫生院服务能力的建议',
    content:
      '别桥镇卫生院医技人员不足,常见病诊疗能力有限。建议通过医联体下派专家坐诊,完善乡村医生待遇保障,配置必要的检查设备。',
  },
  {
    key: 's5',
    topic: '农业农村',
    deputy: 'wang',
    title: '关于完善农产品冷链物流体系的建议',
    content:
      '本地特色农产品外销受限于冷链设施不足,损耗率较高。建议规划建设镇级冷链集配中心,支持合作社购置冷藏设备,打通农产品上行通道。',
  },
];

export async function seed(): Promise<void> {
  const ds = await openDataSource();
  try {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await ds.transaction(async (m) => {
      for (const u of demoUnits) {
        await m.query(`INSERT INTO units (id, code, name) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [
          demoId(`unit:${u.code}`),
          u.code,
          u.name,
        ]);
      }
      // A group robot to show on /admin/robots (企业微信, switched off: the demo sends nothing out).
      await m.query(
        `INSERT INTO unit_webhooks (unit_id, url, secret, active, kind) VALUES ($1, $2, '', false, 'wecom') ON CONFLICT DO NOTHING`,
        [demoId('unit:WJW'), 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-wjw-robot-key'],
      );
      // 届次: one past session; items submitted on other days belong to 闭会期间.
      await m.query(
        `INSERT INTO congress_sessions (id, term, session, name, starts_on, ends_on) VALUES ($1, 17, 5, $2, '2026-01-10', '2026-01-14') ON CONFLICT DO NOTHING`,
        [demoId('congress-session:17-5'), '第十七届人民代表大会第五次会议'],
      );
      for (const d of demoDeputies) {
        await m.query(
          `INSERT INTO deputies (id, name, level, town, delegation) VALUES ($1,$2,'city',$3,$4) ON CONFLICT DO NOTHING`,
          [demoId(`deputy:${d.key}`), d.name, d.town, d.delegation],
        );
      }
      for (const u of demoUsers) {
        const deputyId = 'deputy' in u && u.deputy ? demoId(`deputy:${u.deputy}`) : null;
        const unitId = 'unit' in u && u.unit ? demoId(`unit:${u.unit}`) : null;
        await m.query(
          `INSERT INTO users (id, username, password_hash, display_name, role, deputy_id, unit_id, email, principal)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
          [
            demoId(`user:${u.username}`),
            u.username,
            passwordHash,
            u.displayName,
            u.role,
            deputyId,
            unitId,
            `${u.username}@example.test`,
            'principal' in u && u.principal === true,
          ],
        );
      }
      for (const st of demoStations) {
        const id = demoId(`station:${st.key}`);
        await m.query(
          `INSERT INTO stations (id, code, name, kind, town, address, opening_hours) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
          [id, st.code, st.name, st.kind, st.town, st.address, st.openingHours],
        );
        for (const d of st.deputies)
          await m.query(
            `INSERT INTO station_deputies (station_id, deputy_id) VALUES ($1,$2) ON CONFLICT DO NOTHING`,
            [id, demoId(`deputy:${d}`)],
          );
        for (const u of st.staff)
          await m.query(
            `INSERT INTO station_staff (station_id, user_id) VALUES ($1,$2) ON CONFLICT DO NOTHING`,
            [id, demoId(`user:${u}`)],
          );
      }
      for (const [d, code] of Object.entries(demoDeputyCodes))
        await m.query(`INSERT INTO deputy_codes (deputy_id, code) VALUES ($1,$2) ON CONFLICT DO NOTHING`, [
          demoId(`deputy:${d}`),
          code,
        ]);
      for (const s of demoSuggestions) {
        await m.query(
          `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, topic, session_year) VALUES ($1,$2,$3,'draft',$4,$5,$6,2026) ON CONFLICT DO NOTHING`,
          [
            demoId(`suggestion:${s.key}`),
            s.title,
            s.content,
            demoId(`deputy:${s.deputy}`),
            demoId(`user:${demoUsers.find((u) => 'deputy' in u && u.deputy === s.deputy)!.username}`),
            s.topic,
          ],
        );
      }
      // Issue 12's demo (dev stack only, so the test stack's counts do not change): the units' remit
      // texts (an admin's edit is kept) and more drafts, which demo-activity drives on.
      if (config.env === 'dev') {
        // Issue 15's demo: units of each 单位类别 and a roll of deputies long enough to page and filter.
        for (const u of demoMoreUnits)
          await m.query(
            `INSERT INTO units (id, code, name, kind) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`,
            [demoId(`unit:${u.code}`), u.code, u.name, u.kind],
          );
        for (const [i, d] of demoRoll().entries())
          await m.query(
            `INSERT INTO deputies (id, name, town, delegation, level) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
            [demoId(`deputy:roll-${i}`), d.name, d.town, d.delegation, d.level],
          );
        for (const [code, remit] of Object.entries(demoUnitRemits))
          await m.query(`UPDATE units SET remit = $2 WHERE id = $1 AND remit = ''`, [
            demoId(`unit:${code}`),
            remit,
          ]);
        for (const s of demoTextSuggestions)
          await m.query(
            `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, topic, session_year) VALUES ($1,$2,$3,'draft',$4,$5,$6,2026) ON CONFLICT DO NOTHING`,
            [
              demoId(`suggestion:${s.key}`),
              s.title,
              s.content,
              demoId(`deputy:${s.deputy}`),
              demoId(`user:${demoUsers.find((u) => 'deputy' in u && u.deputy === s.deputy)!.username}`),
              s.topic,
            ],
          );
      }
    });
    // The working-day calendar (holidays and 调休) from the chinese-days package, 2024 to next year;
    // admin edits and years an admin loaded are kept. Says which years it seeded and warns about a
    // year the package does not have yet (provisional until an admin loads the State Council notice).
    const nextYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear() + 1;
    const cal = await seedCalendar(ds, 2024, Math.max(nextYear, 2027));
    console.log(`calendar: seeded ${cal.years.join(', ')} from chinese-days (${cal.inserted} days added)`);
    if (cal.missing.length)
      console.warn(
        `calendar: WARNING no holiday data for ${cal.missing.join(', ')}: provisional (counted as ordinary weeks) ` +
          `until an admin loads the State Council notice at /admin/calendar / 节假日安排未公布,暂按常规工作日计算`,
      );
  } finally {
    await ds.destroy();
  }
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
  seed()
    .then(() => console.log('demo data loaded'))
    .catch((err) => {
      console.error('seed failed:', err);
      process.exit(1);
    });
}
