/**
 * In-app notices for station records (家站点履职, issue 11). Who hears of what:
 * - appointment requested (约见): the deputy asked for, and the station's staff;
 * - confirmed / declined: the station's staff (they tell the constituent, who also sees it with the code);
 * - duty days, attendance, activities and training: nobody (they are the deputy's own record and
 *   land in the 履职档案 and the points).
 * Never the actor of the step; never the constituent's name or phone. Unique per (event, user).
 */
import type { DataSource } from 'typeorm';
import { dutySlotLabels, type StationEvent } from '@jianyi/domain';

export function stationPlan(e: StationEvent): { userIds: string[]; deputyIds: string[] } {
  const staff = e.data.audience.userIds;
  switch (e.type) {
    case 'station.appointment_requested':
      return { userIds: staff, deputyIds: [e.data.deputyId] };
    case 'station.appointment_confirmed':
    case 'station.appointment_declined':
      return { userIds: staff, deputyIds: [] };
    case 'station.appointment_held':
    case 'station.appointment_missed':
    case 'station.duty_served':
    case 'station.activity_recorded':
    case 'station.training_attended':
      return { userIds: [], deputyIds: [] };
    default: {
      const never: never = e;
      return never;
    }
  }
}

function text(e: StationEvent, station: string): { title: string; body: string } | null {
  const when = `${e.data.day} ${'slot' in e.data ? dutySlotLabels[e.data.slot] : ''}`.trim();
  switch (e.type) {
    case 'station.appointment_requested':
      return {
        title: '新的群众约见待确认',
        body: `有群众预约在${station}${when}与代表见面,请及时确认或说明不能接待的原因。`,
      };
    case 'station.appointment_confirmed':
      return {
        title: '代表已确认约见',
        body: `${station}${when}的群众约见已由${e.actor.name ?? '代表'}确认。`,
      };
    case 'station.appointment_declined':
      return {
        title: '代表婉拒了约见',
        body: `${station}${when}的群众约见未被接受(${e.data.reason}),请与群众联系改约。`,
      };
    default:
      return null;
  }
}

export async function handleStationEvent(ds: DataSource, e: StationEvent): Promise<{ inApp: number }> {
  const plan = stationPlan(e);
  if (!plan.userIds.length && !plan.deputyIds.length) return { inApp: 0 };
  const rows: { name: string }[] = e.data.stationId
    ? await ds.query(`SELECT name FROM stations WHERE id = $1`, [e.data.stationId])
    : [];
  const t = text(e, rows[0]?.name ?? '家站点');
  if (!t) return { inApp: 0 };
  const users: { id: string }[] = await ds.query(
    `SELECT u.id FROM users u
     WHERE u.active AND (u.id = ANY($1::uuid[]) OR u.deputy_id = ANY($2::uuid[])) AND u.id IS DISTINCT FROM $3::uuid`,
    [plan.userIds, plan.deputyIds, e.actor.userId],
  );
  if (!users.length) return { inApp: 0 };
  const inserted: unknown[] = await ds.query(
    `INSERT INTO notifications (event_id, user_id, channel, event_type, suggestion_id, title, body)
     SELECT $1, unnest($2::uuid[]), 'in_app', $3, NULL, $4, $5
     ON CONFLICT (event_id, user_id, channel) DO NOTHING RETURNING id`,
    [e.id, users.map((u) => u.id), e.type, t.title, t.body],
  );
  return { inApp: inserted.length };
}
