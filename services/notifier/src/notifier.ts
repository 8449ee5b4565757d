/**
 * In-app notifications from status events. Each delivery is unique by (event, user, channel), so a
 * consumer restarted mid-batch that sees an event again never notifies twice.
 */
import type { DataSource } from 'typeorm';
import { statusLabels, type SuggestionEvent } from '@jianyi/domain';

export function noticeText(event: SuggestionEvent, title: string): { title: string; body: string } {
  const to = statusLabels[event.data.to as keyof typeof statusLabels]?.zh ?? event.data.to;
  let body = `您的建议「${title}」状态更新为:${to}。`;
  if (event.type === 'suggestion.returned') body += `退回意见:${event.data.comments}`;
  if (event.type === 'suggestion.rejected') body += `理由:${event.data.reason}`;
  if (event.type === 'suggestion.accepted') body += `立案号:${event.data.registrationNo}`;
  return { title: `建议状态更新:${to}`, body };
}

export async function notifyInApp(ds: DataSource, event: SuggestionEvent): Promise<number> {
  const rows: { title: string }[] = await ds.query('SELECT title FROM suggestions WHERE id = $1', [event.suggestionId]);
  if (!rows[0]) return 0;
  const text = noticeText(event, rows[0].title);
  // Recipients: the users of the deputies and units the event is about.
  const inserted: unknown[] = await ds.query(
    `INSERT INTO notifications (event_id, user_id, channel, suggestion_id, title, body)
     SELECT $1, u.id, 'in_app', $2, $3, $4 FROM users u
     WHERE u.active AND (u.deputy_id = ANY($5::uuid[]) OR u.unit_id = ANY($6::uuid[]))
     ON CONFLICT (event_id, user_id, channel) DO NOTHING RETURNING id`,
    [event.id, event.suggestionId, text.title, text.body, event.data.audience.deputyIds, event.data.audience.unitIds],
  );
  return inserted.length;
}
