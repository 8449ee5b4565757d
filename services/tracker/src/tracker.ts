/**
 * Live tracking over Server-Sent Events. Each message's SSE id is the event's outbox id, and each
 * subscriber gets its events in outbox id order: a client reconnecting with Last-Event-ID is first
 * sent what it missed (read from the outbox), then the live stream: no gap, no duplicate.
 *
 * Kafka keeps order per partition (per suggestion) only, and a relay that crashed between sending
 * and stamping a batch publishes it again. So a message from Kafka is read as "the outbox is
 * published up to this id": the tracker reads the rows between what it delivered last and that id,
 * in id order, and hands them out. Outbox ids become visible in id order (appendOutbox serializes
 * the inserting transactions), so no row below a published id can turn up later.
 */
import express, { type Response } from 'express';
import type { DataSource } from 'typeorm';
import { parseAnyEvent, type DomainEvent } from '@jianyi/domain';
import {
  resolveSession,
  sessionTokenFromCookieHeader,
  type Logger,
  type SessionUser,
} from '@jianyi/platform';
import { canSee } from './visibility';

/** `live` once caught up: from then on deliver() writes to it; before, catchUp() does. */
interface Subscriber {
  user: SessionUser;
  res: Response;
  lastId: bigint;
  live: boolean;
}

const PAGE = 500;

export class Tracker {
  private subs = new Set<Subscriber>();
  /** Every outbox row up to this id has been handed to the live subscribers. */
  private delivered = 0n;
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private ds: DataSource,
    private log: Logger,
  ) {}

  get subscriberCount() {
    return this.subs.size;
  }

  /** Starts after what is already published; older events are for clients that resume with Last-Event-ID. */
  async init(): Promise<void> {
    const rows: { max: string | null }[] = await this.ds.query(
      'SELECT max(id)::text AS max FROM outbox WHERE published_at IS NOT NULL',
    );
    this.delivered = BigInt(rows[0]?.max ?? '0');
  }

  /** Called for every event consumed from Kafka, with its outbox id; calls are handled one after another. */
  deliver(outboxId: bigint): Promise<void> {
    const next = this.queue.then(() => this.deliverUpTo(outboxId));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async deliverUpTo(upTo: bigint): Promise<void> {
    while (upTo > this.delivered) {
      const { rows, last } = await this.page(this.delivered, upTo);
      // No await from here to the new mark, so a subscriber going live in catchUp() misses nothing.
      for (const r of rows) {
        for (const s of this.subs)
          if (s.live && r.id > s.lastId && canSee(s.user, r.event)) this.write(s, r.id, r.event);
      }
      this.delivered = last ?? upTo;
    }
  }

  /** Outbox rows in (after, upTo], in id order; `last` is the page's last id when there may be more. */
  private async page(
    after: bigint,
    upTo: bigint,
  ): Promise<{ rows: { id: bigint; event: DomainEvent }[]; last: bigint | null }> {
    // Ordered by the column, not by its text (id::text would sort 1000 before 999).
    const raw: { id: string; payload: unknown }[] = await this.ds.query(
      `SELECT id::text AS id, payload FROM outbox WHERE id > $1 AND id <= $2 ORDER BY outbox.id LIMIT ${PAGE}`,
      [after.toString(), upTo.toString()],
    );
    const rows: { id: bigint; event: DomainEvent }[] = [];
    for (const r of raw) {
      try {
        rows.push({ id: BigInt(r.id), event: parseAnyEvent(r.payload) });
      } catch (err) {
        this.log.warn({ err: (err as Error).message, outboxId: r.id }, 'skipping malformed event');
      }
    }
    return { rows, last: raw.length === PAGE ? BigInt(raw[PAGE - 1]!.id) : null };
  }

  private write(s: Subscriber, id: bigint, event: DomainEvent) {
    s.lastId = id;
    // Constituent messages (一码通) come as their own SSE event name, so suggestion listeners never see them.
    const name = 'messageId' in event ? 'intake' : 'suggestion';
    s.res.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  app() {
    const app = express();
    app.disable('x-powered-by');
    app.get('/health', (_req, res) => res.json({ ok: true, subscribers: this.subs.size }));
    app.get('/events', async (req, res) => {
      const user = await resolveSession(this.ds, sessionTokenFromCookieHeader(req.headers.cookie));
      if (!user) {
        res
          .status(401)
          .type('application/problem+json')
          .json({ type: 'about:blank', title: '请先登录', status: 401, detail: 'authentication required' });
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const lastHeader =
        req.get('Last-Event-ID') ??
        (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
      const resume = lastHeader !== undefined && /^\d+$/.test(lastHeader);
      const sub: Subscriber = {
        user,
        res,
        lastId: resume ? BigInt(lastHeader) : this.delivered,
        live: !resume,
      };
      let closed = false;
      const ping = setInterval(() => res.write(': ping\n\n'), 15000);
      req.on('close', () => {
        closed = true;
        clearInterval(ping);
        this.subs.delete(sub);
      });
      this.subs.add(sub);
      if (resume) {
        try {
          await this.catchUp(sub, () => closed);
        } catch (err) {
          this.log.warn({ err: (err as Error).message }, 'catch-up failed; the client reconnects');
          res.end();
        }
      }
    });
    return app;
  }

  /** Sends what the subscriber missed, up to what the live subscribers have had, then makes it live. */
  private async catchUp(sub: Subscriber, closed: () => boolean): Promise<void> {
    for (;;) {
      const bound = this.delivered;
      if (sub.lastId >= bound || closed()) {
        sub.live = true; // in the same tick as the check: deliver() takes over from `bound`
        return;
      }
      const { rows, last } = await this.page(sub.lastId, bound);
      for (const r of rows) if (canSee(sub.user, r.event)) this.write(sub, r.id, r.event);
      sub.lastId = last ?? bound;
    }
  }
}
