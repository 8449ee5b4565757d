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
import express, { type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { isMessageEvent, isStationEvent, parseAnyEvent, type DomainEvent } from '@jianyi/domain';
import {
  activeUnits,
  eventVisible,
  messageEventVisible,
  stationEventVisible,
  UNIT_ROLES,
  resolveSession,
  sessionTokenFromCookieHeader,
  type Logger,
  type Ops,
  type SessionUser,
} from '@jianyi/platform';

/** `live` once caught up: from then on deliver() writes to it; before, catchUp() does. */
interface Subscriber {
  user: SessionUser;
  res: Response;
  lastId: bigint;
  live: boolean;
  /** Ends the stream (logout, expiry, changed rights, a client too slow to read). */
  end: (reason: string) => void;
}

const PAGE = 500;

/** Limits of the stream (ASVS V2/V3 and denial of service); defaults in `config.tracker`. */
export interface TrackerLimits {
  /** How often a stream re-checks its session (logout, expiry, deactivation, changed role or unit). */
  recheckMs: number;
  /** Open streams per user; one more is refused with 429. */
  maxStreamsPerUser: number;
  /** At most this many outbox rows are replayed to a resuming client; further back, it is told to reload. */
  maxCatchUp: number;
  /** Bytes buffered for a client that does not read; beyond, the stream is closed (it resumes later). */
  maxBufferedBytes: number;
}
export const defaultLimits: TrackerLimits = {
  recheckMs: 15_000,
  maxStreamsPerUser: 6,
  maxCatchUp: 10_000,
  maxBufferedBytes: 1 << 20,
};

/** The rights a stream was opened with; any change ends it (the client reconnects with the new ones). */
const rightsOf = (u: SessionUser) => [u.id, u.role, u.unitId, u.deputyId, u.principal].join('|');

export class Tracker {
  private subs = new Set<Subscriber>();
  /** Every outbox row up to this id has been handed to the live subscribers. */
  private delivered = 0n;
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private ds: DataSource,
    private log: Logger,
    private limits: TrackerLimits = defaultLimits,
  ) {}

  get subscriberCount() {
    return this.subs.size;
  }

  /**
   * Ends every open stream with `event: end` (shutdown: the clients reconnect, through the web app, to
   * another tracker and resume from their Last-Event-ID).
   */
  endAll(reason: string): void {
    for (const s of [...this.subs]) s.end(reason);
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
      const parts = await this.partsOf(rows);
      // No await from here to the new mark, so a subscriber going live in catchUp() misses nothing.
      for (const r of rows) {
        for (const s of this.subs)
          if (s.live && r.id > s.lastId && this.visible(s, r.event, parts)) this.write(s, r.id, r.event);
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

  /**
   * The units with a part on each item of the page (the one visibility rule needs them: a unit
   * re-assigned away receives nothing more of the item). Read for every page, also with no unit user
   * listening yet: one may subscribe while this is awaited and must not miss the page.
   */
  private async partsOf(rows: { event: DomainEvent }[]): Promise<Map<string, string[]> | null> {
    const ids = rows.flatMap((r) => ('suggestionId' in r.event ? [r.event.suggestionId] : []));
    if (!ids.length) return null;
    return activeUnits(this.ds, ids);
  }

  private visible(s: Subscriber, event: DomainEvent, parts: Map<string, string[]> | null): boolean {
    // A constituent message (一码通) names its whole audience: station deputies, staff users, the unit.
    if (isMessageEvent(event)) return messageEventVisible(s.user, event);
    if (isStationEvent(event)) return stationEventVisible(s.user, event);
    return eventVisible(s.user, event, parts?.get(event.suggestionId) ?? []);
  }

  private write(s: Subscriber, id: bigint, event: DomainEvent) {
    s.lastId = id;
    // Constituent messages (一码通) come as their own SSE event name, so suggestion listeners never see them.
    // Station records (约见, activities, training) come as 'station'.
    const name = isMessageEvent(event) ? 'intake' : isStationEvent(event) ? 'station' : 'suggestion';
    s.res.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(event)}\n\n`);
    // Backpressure: a client that does not read is not buffered without end; it resumes from lastId.
    if (s.res.writableLength > this.limits.maxBufferedBytes) s.end('slow-consumer');
  }

  app(ops?: Pick<Ops, 'probes'>) {
    const app = express();
    app.disable('x-powered-by');
    if (ops) app.use(ops.probes); // /healthz, /readyz
    app.get('/health', (_req, res) => res.json({ ok: true, subscribers: this.subs.size }));
    app.get('/events', async (req, res) => {
      const token = sessionTokenFromCookieHeader(req.headers.cookie);
      const user = await resolveSession(this.ds, token);
      if (!user) {
        res
          .status(401)
          .type('application/problem+json')
          .json({ type: 'about:blank', title: '请先登录', status: 401, detail: 'authentication required' });
        return;
      }
      const open = [...this.subs].filter((x) => x.user.id === user.id).length;
      if (open >= this.limits.maxStreamsPerUser) {
        res
          .status(429)
          .set('Retry-After', '30')
          .type('application/problem+json')
          .json({
            type: 'about:blank',
            title: '实时连接过多，请关闭其他窗口后重试',
            status: 429,
            detail: `at most ${this.limits.maxStreamsPerUser} live streams per user`,
          });
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
      let resume = lastHeader !== undefined && /^\d{1,18}$/.test(lastHeader);
      let lastId = resume ? BigInt(lastHeader!) : this.delivered;
      // Too far back (or 0): replaying the whole outbox is a denial of service; the client reloads instead.
      if (resume && (await this.behind(lastId)) > this.limits.maxCatchUp) {
        res.write(`event: reset\ndata: {"reason":"too-far-behind"}\n\n`);
        resume = false;
        lastId = this.delivered;
      }
      let closed = false;
      const rights = rightsOf(user);
      const sub: Subscriber = {
        user,
        res,
        lastId,
        live: !resume,
        end: (reason) => {
          if (closed) return;
          closed = true;
          this.subs.delete(sub);
          res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
          res.end();
        },
      };
      // Each ping re-checks the session: logout, expiry, deactivation or changed rights end the stream.
      const ping = setInterval(() => {
        void resolveSession(this.ds, token)
          .then((now) => {
            if (!now) sub.end('session-ended');
            else if (rightsOf(now) !== rights) sub.end('rights-changed');
            else if (!closed) res.write(': ping\n\n');
          })
          .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'session re-check failed'));
      }, this.limits.recheckMs);
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
    // One error handler: a problem document, never a stack trace (the log keeps the details).
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      this.log.error({ err: (err as Error)?.message }, 'tracker request failed');
      if (res.headersSent) return void res.end();
      res
        .status(500)
        .type('application/problem+json')
        .json({ type: 'about:blank', title: '服务器内部错误', status: 500, detail: 'internal error' });
    });
    return app;
  }

  /** How many outbox rows a resuming client missed, counted up to one more than the cap. */
  private async behind(lastId: bigint): Promise<number> {
    const rows: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM outbox WHERE id > $1 AND id <= $2 LIMIT $3) x`,
      [lastId.toString(), this.delivered.toString(), this.limits.maxCatchUp + 1],
    );
    return rows[0]?.n ?? 0;
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
      const parts = UNIT_ROLES.includes(sub.user.role) ? await this.partsOf(rows) : null;
      for (const r of rows) if (this.visible(sub, r.event, parts)) this.write(sub, r.id, r.event);
      sub.lastId = last ?? bound;
    }
  }
}
