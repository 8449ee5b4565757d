/**
 * Live tracking over Server-Sent Events. Each message's SSE id is the event's outbox id, so a
 * client reconnecting with Last-Event-ID is first sent what it missed (read from the outbox), then
 * the live stream, with ids it already has skipped: no gap, no duplicate.
 */
import express, { type Response } from 'express';
import type { DataSource } from 'typeorm';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';
import { resolveSession, sessionTokenFromCookieHeader, type Logger, type SessionUser } from '@jianyi/platform';
import { canSee } from './visibility';

interface Subscriber { user: SessionUser; res: Response; lastId: bigint }

export class Tracker {
  private subs = new Set<Subscriber>();
  constructor(private ds: DataSource, private log: Logger) {}

  get subscriberCount() { return this.subs.size; }

  /** Called for every event consumed from Kafka. */
  deliver(outboxId: bigint, event: SuggestionEvent): void {
    for (const s of this.subs) {
      if (outboxId <= s.lastId || !canSee(s.user, event)) continue;
      this.write(s, outboxId, event);
    }
  }

  private write(s: Subscriber, id: bigint, event: SuggestionEvent) {
    s.lastId = id;
    s.res.write(`id: ${id}\nevent: suggestion\ndata: ${JSON.stringify(event)}\n\n`);
  }

  app() {
    const app = express();
    app.disable('x-powered-by');
    app.get('/health', (_req, res) => res.json({ ok: true, subscribers: this.subs.size }));
    app.get('/events', async (req, res) => {
      const user = await resolveSession(this.ds, sessionTokenFromCookieHeader(req.headers.cookie));
      if (!user) {
        res.status(401).type('application/problem+json').json({ type: 'about:blank', title: '请先登录', status: 401, detail: 'authentication required' });
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.write('retry: 2000\n\n');
      const lastHeader = req.get('Last-Event-ID') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
      const sub: Subscriber = { user, res, lastId: 0n };
      if (lastHeader && /^\d+$/.test(lastHeader)) {
        sub.lastId = BigInt(lastHeader);
        // Register first so nothing published during the catch-up is lost; deliver() skips what catch-up sent.
        this.subs.add(sub);
        await this.catchUp(sub);
      } else {
        const maxRow: { max: string | null }[] = await this.ds.query('SELECT max(id)::text AS max FROM outbox WHERE published_at IS NOT NULL');
        sub.lastId = BigInt(maxRow[0]?.max ?? '0');
        this.subs.add(sub);
      }
      const ping = setInterval(() => res.write(': ping\n\n'), 15000);
      req.on('close', () => {
        clearInterval(ping);
        this.subs.delete(sub);
      });
    });
    return app;
  }

  private async catchUp(sub: Subscriber) {
    let from = sub.lastId;
    for (;;) {
      const rows: { id: string; payload: unknown }[] = await this.ds.query(
        `SELECT id::text, payload FROM outbox WHERE id > $1 AND published_at IS NOT NULL ORDER BY id LIMIT 500`, [from.toString()]);
      for (const r of rows) {
        const id = BigInt(r.id);
        const event = parseEvent(r.payload);
        if (id > sub.lastId && canSee(sub.user, event)) this.write(sub, id, event);
        from = id;
      }
      if (rows.length < 500) break;
    }
    if (from > sub.lastId) sub.lastId = from;
  }
}
