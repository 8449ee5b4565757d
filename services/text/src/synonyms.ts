/**
 * A small domain thesaurus (同义词): words people use for the same thing in suggestions are counted as
 * one term for duplicates and recommendation (not for search, where people type what they mean).
 * Each line: the canonical word first, then its variants.
 */
const GROUPS = [
  '加装 增设 安装 新装',
  '老旧小区 老小区 既有住宅 多层住宅 老旧住宅',
  '电动自行车 电动车 电单车 电瓶车',
  '拖欠 欠薪 欠付 讨薪',
  '工资 工钱 薪酬',
  '农民工 建筑工人 务工人员',
  '独居 空巢',
  '老人 老年人 长者',
  '助餐 吃饭 用餐',
  '老年食堂 助餐点 长者食堂 社区食堂',
  '学位 入学',
  '基站 信号',
  '盲区 信号差 无信号',
  '手机信号 通信信号',
  '共享单车 共享电单车 共享电动车',
  '乱停 乱停乱放 随意停放',
  '拓宽 加宽',
  '村道 通村公路 农村公路',
  '预付卡 办卡 充值卡 预付式',
  '跑路 卷款 关门',
  '黑臭 发黑发臭',
  '河道 河流',
  '油烟 烟气',
  '饭店 餐饮店 餐馆',
  '冷链 冷库 冷藏 预冷',
  '卫生院 乡镇卫生院 基层医疗机构',
  '慢性病 慢特病',
  '报销 报销比例 待遇',
  '快线 直达 大站快车',
  '进城 城区',
  '接送 放学 上下学',
  '拥堵 堵塞 排长队',
  '健身 锻炼 运动',
  '水压 水流',
  '二次供水 增压',
  '物业 物业公司 物业企业',
  '诈骗 骗 反诈',
  '班次 发车',
];

const map = new Map<string, string>();
for (const line of GROUPS) {
  const [head, ...rest] = line.split(' ');
  for (const w of rest) map.set(w, head!);
}

export function canonical(w: string): string {
  return map.get(w) ?? w;
}
