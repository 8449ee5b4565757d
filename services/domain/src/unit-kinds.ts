/**
 * 单位类别 of a handling unit (承办单位), as a county or city congress groups them in its lists:
 * 政府工作部门, 镇（街道）, 法院和检察院, 垂直管理单位 (税务、供电、邮政…), 企事业单位, 其他.
 * Import-free, so the web and the contracts share it.
 */
export const unitKinds = ['government', 'township', 'judicial', 'vertical', 'enterprise', 'other'] as const;
export type UnitKind = (typeof unitKinds)[number];
