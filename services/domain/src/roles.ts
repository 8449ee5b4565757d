/** Roles of the people who use the platform. */
export const Role = {
  deputy: 'deputy', // 人大代表
  reviewer: 'reviewer', // 代表工委 / 选联工委
  coordinator: 'coordinator', // 政府办 / 督查室
  unitHandler: 'unit_handler', // 承办单位经办人
  unitLeader: 'unit_leader', // 承办单位负责人
  supervisor: 'supervisor', // 常委会领导 / 督查室
  admin: 'admin', // 系统管理员
  stationStaff: 'station_staff', // 家站点工作人员 (一码通: 线下反馈, unclaimed messages)
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles = Object.values(Role) as Role[];

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  deputy: { zh: '人大代表', en: 'Deputy' },
  reviewer: { zh: '代表工委', en: 'Reviewer' },
  coordinator: { zh: '政府督查室', en: 'Government coordinator' },
  unit_handler: { zh: '承办单位经办人', en: 'Unit handler' },
  unit_leader: { zh: '承办单位负责人', en: 'Unit leader' },
  supervisor: { zh: '督办领导', en: 'Supervisor' },
  admin: { zh: '系统管理员', en: 'Administrator' },
  station_staff: { zh: '站点工作人员', en: 'Station staff' },
};
