/**
 * Demo items for search, duplicates and unit recommendation (issue 12), dev stack only: from the labelled
 * set (services/text/data/labelled-suggestions.txt, ids in `source`). `stage` is how far demo-activity
 * drives each: assigned ones are the past assignments the recommendation learns from (and the agreement
 * panel counts); submitted and accepted ones wait for the reviewer with their likely duplicates; drafts
 * show the duplicate hints when their deputy opens them.
 */
export const demoTextSuggestions: {
  key: string;
  source: string;
  deputy: string;
  stage: 'assigned' | 'accepted' | 'submitted' | 'draft';
  lead: string;
  co: string[];
  topic: string;
  title: string;
  content: string;
}[] = [
  {
    key: 'x01',
    source: 'T003',
    deputy: 'li',
    stage: 'assigned',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于开通天目湖镇至城区城乡公交快线的建议',
    content:
      '天目湖镇到城区的城乡公交站点多、绕行多，单程要一个半小时。建议开通早晚高峰直达快线，减少停靠站点，方便群众进城上班和就医。',
  },
  {
    key: 'x02',
    source: 'T005',
    deputy: 'zhang',
    stage: 'assigned',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于加快农村公路提档升级的建议',
    content:
      '戴埠镇部分村道路面仅有三点五米宽，破损严重，会车困难，农产品运输车辆通行不便。建议将这些村道列入农村公路提档升级计划，拓宽路面并完善安全防护设施。',
  },
  {
    key: 'x03',
    source: 'T014',
    deputy: 'chen',
    stage: 'assigned',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于在城乡公交站台增设候车亭的建议',
    content:
      '许多农村公交站点只有一块站牌，没有候车亭和座椅，群众刮风下雨只能站在路边等车。建议分批在客流较大的站点建设候车亭，并更新电子站牌显示车辆到站信息。',
  },
  {
    key: 'x04',
    source: 'T152',
    deputy: 'wang',
    stage: 'assigned',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于推广公交到站实时查询服务的建议',
    content:
      '年轻人习惯用手机查车，但本地公交没有实时位置查询，老年人在站台等车也不知道还要等多久。建议为公交车安装定位设备，开发实时公交查询，并在站台设置电子显示屏。',
  },
  {
    key: 'x05',
    source: 'T018',
    deputy: 'li',
    stage: 'assigned',
    lead: 'JYJ',
    co: [],
    topic: '教育',
    title: '关于提高乡村教师待遇稳定教师队伍的建议',
    content:
      '乡镇学校年轻教师流失严重，骨干教师纷纷调往城区。建议提高乡村教师生活补助，改善教师周转宿舍条件，在职称评聘上向乡村教师倾斜。',
  },
  {
    key: 'x06',
    source: 'T019',
    deputy: 'chen',
    stage: 'assigned',
    lead: 'JYJ',
    co: [],
    topic: '教育',
    title: '关于加强中小学校食堂食品安全管理的建议',
    content:
      '部分学校食堂由外包公司经营，饭菜质量参差不齐，家长反映较多。建议教育部门和市场监管部门加强对学校食堂的检查，推行明厨亮灶，建立家长陪餐制度。',
  },
  {
    key: 'x07',
    source: 'T030',
    deputy: 'wang',
    stage: 'assigned',
    lead: 'ZJJ',
    co: [],
    topic: '城乡建设',
    title: '关于规范住宅小区物业管理服务的建议',
    content:
      '一些小区物业公司服务质量差，收费不透明，业主投诉无门。建议加强对物业企业的考核监管，推动成立业主委员会，公开物业费和公共收益使用情况。',
  },
  {
    key: 'x08',
    source: 'T034',
    deputy: 'zhang',
    stage: 'assigned',
    lead: 'ZJJ',
    co: [],
    topic: '城乡建设',
    title: '关于加强城镇燃气安全管理的建议',
    content:
      '老旧小区燃气管道老化、部分餐饮店违规使用液化气瓶，安全隐患较大。建议开展燃气安全专项排查，推动老旧燃气管网改造，推广燃气泄漏报警装置。',
  },
  {
    key: 'x09',
    source: 'T037',
    deputy: 'chen',
    stage: 'assigned',
    lead: 'WJW',
    co: [],
    topic: '卫生健康',
    title: '关于加强乡镇卫生院人才和设备建设的建议',
    content:
      '乡镇卫生院留不住医生，很多检查项目做不了，群众小病也往市区医院跑。建议城区医院专家定期到乡镇卫生院坐诊，为卫生院配置CT等设备，提高基层医生待遇。',
  },
  {
    key: 'x10',
    source: 'T040',
    deputy: 'li',
    stage: 'assigned',
    lead: 'WJW',
    co: [],
    topic: '卫生健康',
    title: '关于缓解市人民医院就诊排队难的建议',
    content:
      '市人民医院门诊挂号、检查、取药排队时间长，一次看病要大半天。建议推广分时段预约就诊，增加自助机，优化检查预约流程，推行诊间结算。',
  },
  {
    key: 'x11',
    source: 'T058',
    deputy: 'zhang',
    stage: 'assigned',
    lead: 'NYJ',
    co: [],
    topic: '农业农村',
    title: '关于加快高标准农田建设的建议',
    content:
      '部分农田灌排设施老化，田块零碎，机械化作业难。建议加快高标准农田建设，完善沟渠路配套，建成后加强管护。',
  },
  {
    key: 'x12',
    source: 'T061',
    deputy: 'wang',
    stage: 'assigned',
    lead: 'NYJ',
    co: [],
    topic: '农业农村',
    title: '关于建设镇村冷链设施减少农产品损耗的建议',
    content:
      '天目湖白茶、水产和水果采摘后缺少预冷和冷藏设施，运输途中损耗大。建议在产地建设冷库和预冷设施，给予合作社建设补贴，发展冷链配送。',
  },
  {
    key: 'x13',
    source: 'T043',
    deputy: 'chen',
    stage: 'assigned',
    lead: 'WJW',
    co: ['JTJ'],
    topic: '卫生健康',
    title: '关于完善农村急救网络的建议',
    content:
      '偏远村庄距离急救站较远，救护车到达时间长。建议在中心镇增设急救站点，配备救护车，加强对村医和群众的急救知识培训。',
  },
  {
    key: 'x14',
    source: 'T016',
    deputy: 'wang',
    stage: 'assigned',
    lead: 'JYJ',
    co: ['ZJJ'],
    topic: '教育',
    title: '关于新建城区小学缓解入学难的建议',
    content:
      '昆仑街道近年新增住宅小区多，学龄儿童快速增加，附近小学班额严重超标。建议尽快规划新建一所小学，同步扩建现有学校，解决就近入学问题。',
  },
  {
    key: 'x15',
    source: 'T020',
    deputy: 'li',
    stage: 'accepted',
    lead: 'JYJ',
    co: [],
    topic: '教育',
    title: '关于提升学校食堂饭菜质量和卫生的建议',
    content:
      '多名家长反映孩子在学校食堂吃不饱、饭菜口味差，食堂后厨卫生状况不明。建议加强对学校食堂承包企业的监管，公开食材来源，邀请家长代表参与监督。',
  },
  {
    key: 'x16',
    source: 'T028',
    deputy: 'li',
    stage: 'submitted',
    lead: 'ZJJ',
    co: [],
    topic: '城乡建设',
    title: '关于破解老小区电梯加装难题的建议',
    content:
      '老小区电梯加装意愿强烈但落地难，主要是楼上楼下意见不一、资金分摊难、审批环节多。建议政府给予资金补助，推行一站式审批，并明确后期维保责任。',
  },
  {
    key: 'x17',
    source: 'T002',
    deputy: 'zhang',
    stage: 'submitted',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于加密新建小区公交班次、增设站点的建议',
    content:
      '昆仑街道燕山新村等新建小区入住率逐年提高，但附近只有一条公交线路经过，班次间隔四十分钟以上，居民上班、就医很不方便。建议交通部门对新建小区周边线路重新规划，增加站点，高峰时段缩短发车间隔。',
  },
  {
    key: 'x18',
    source: 'T041',
    deputy: 'wang',
    stage: 'submitted',
    lead: 'WJW',
    co: [],
    topic: '卫生健康',
    title: '关于优化医院就医流程减少排队时间的建议',
    content:
      '群众反映到大医院看病排队挂号、排队缴费、排队检查，老年人尤其吃不消。建议医院实行分时段精准预约，推广线上缴费和检查结果互认，减少群众往返次数。',
  },
  {
    key: 'x19',
    source: 'T017',
    deputy: 'chen',
    stage: 'submitted',
    lead: 'JYJ',
    co: [],
    topic: '教育',
    title: '关于解决昆仑片区学位紧张问题的建议',
    content:
      '昆仑片区人口增长快，现有小学每班达到五十多人，很多孩子被分流到较远的学校。建议在片区规划新建学校，加快学校建设进度，增加学位供给。',
  },
  {
    key: 'x20',
    source: 'T027',
    deputy: 'chen',
    stage: 'draft',
    lead: 'ZJJ',
    co: [],
    topic: '城乡建设',
    title: '关于加快既有住宅增设电梯工作的建议',
    content:
      '不少上世纪九十年代建成的多层住宅没有电梯，住在五六楼的老人出门非常困难。建议出台既有住宅增设电梯的补贴和审批办法，由社区牵头协调，破解低层住户不同意的难题。',
  },
  {
    key: 'x21',
    source: 'T004',
    deputy: 'li',
    stage: 'draft',
    lead: 'JTJ',
    co: [],
    topic: '交通',
    title: '关于增开天目湖镇直达城区公交快车的建议',
    content:
      '目前天目湖镇群众乘公交进城沿途停靠二十多个站，耗时太长。希望在上下班时段增开直达或大站快车，缩短通勤时间，同时研究票价优惠。',
  },
];

/** Remit texts (职责) of the demo units, from services/text/data/units.json (the recommendation's cold start). */
export const demoUnitRemits: Record<string, string> = {
  JTJ: '负责公路、农村公路的建设和养护管理；城乡公交、出租车、网约车等道路客运管理；道路货运和客运站场；交通基础设施规划建设；公交线路、站点和班次的优化；交通运输行业安全监管。',
  JYJ: '负责学前教育、义务教育、普通高中和职业教育；学校布局规划和建设；教师队伍建设和师资配置；校车和校园安全管理；课后服务、学生减负、营养餐和学生心理健康；教育经费和资助。',
  ZJJ: '负责住房保障、公租房和安置房；物业管理和住宅专项维修资金；老旧小区改造和既有住宅加装电梯；房地产市场和商品房交付监管；建筑市场和工程质量安全；城镇燃气管理；市政道路和管网建设。',
  WJW: '负责医疗机构管理和医疗服务；基层卫生院、村卫生室建设和乡村医生队伍；家庭医生签约、医联体和分级诊疗；公共卫生、疾病预防控制和健康教育；妇幼健康、托育服务和老年健康；急救体系。',
  NYJ: '负责粮食和重要农产品生产；高标准农田建设；农产品质量安全和品牌；农民合作社和家庭农场；农村人居环境整治和农村厕所改造；畜牧、渔业和动物防疫；农业机械化；乡村振兴和农村集体经济。',
};
