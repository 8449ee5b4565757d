/**
 * 家站点履职 (issue 11): appointments (约见) constituents book with a deputy on a duty slot,
 * station activities (接待日, 问政, 视察, 学习), training sessions (代表讲堂) and duty days. Their
 * statuses and Chinese labels, written once for the API, the notifier and the web. PURE.
 */

// Duty slots (上午/下午/全天) are the roster's, written once in ./intake.

/**
 * requested (待确认) → confirmed (已确认) | declined (已婉拒, with a reason); confirmed → held (已见面)
 * or missed (未到场) when the station's staff record the attendance afterwards.
 */
export const appointmentStatuses = ['requested', 'confirmed', 'declined', 'held', 'missed'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];
export const appointmentStatusLabels: Record<AppointmentStatus, string> = {
  requested: '待代表确认',
  confirmed: '代表已确认',
  declined: '代表已婉拒',
  held: '已见面',
  missed: '未到场',
};
/** The statuses that hold a slot: one such appointment per deputy, day and slot (a second is 409). */
export const appointmentHoldsSlot: readonly AppointmentStatus[] = ['requested', 'confirmed'];

/** What the constituent reads with the tracking code, in plain words. */
export function plainAppointmentProgress(s: AppointmentStatus, reason?: string | null): string {
  switch (s) {
    case 'requested':
      return '您的约见申请已送达代表，请等待代表确认。';
    case 'confirmed':
      return '代表已确认约见，请按约定时间到站点见面。';
    case 'declined':
      return `代表未能接受本次约见${reason ? `（${reason}）` : ''}。您可改约其他时段，或通过二维码留言反映。`;
    case 'held':
      return '约见已完成，感谢您的参与。';
    case 'missed':
      return '站点记录本次约见未能见面。如仍需反映，请重新预约或留言。';
    default: {
      const never: never = s;
      return never;
    }
  }
}

export const activityKinds = ['reception', 'questioning', 'inspection', 'study'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const activityKindLabels: Record<ActivityKind, string> = {
  reception: '接待日',
  questioning: '问政',
  inspection: '视察',
  study: '学习',
};
