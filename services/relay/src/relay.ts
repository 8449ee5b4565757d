/**
 * Outbox relay: publishes outbox rows to Kafka in id order, keyed by suggestion id so each item's
 * events stay in order on one partition. Woken by LISTEN outbox_new; a slow poll only covers a
 * missed notification. While Kafka is down the rows stay unpublished and drain when it returns.
 */
import { Client as PgClient, Pool } from 'pg';
import type { Producer } from 'kafkajs';
import type { Logger, PgSettings } from '@jianyi/platform';

export interface RelayOptions {
  pgConfig: Omit<PgSettings, 'ssl'> & { ssl?: PgSettings['ssl'] };
  producer: Producer;
  topic: string;
  log: Logger;
  batchSize?: number;
  safetyPollMs?: number;
}

// Only one relay publishes at a time (a second one waits), so per-key order holds across relays.
const LEADER_LOCK = 0x6a69616e; // 'jian'

export class OutboxRelay {
  private pool: Pool;
  private listener: PgClient | null = null;
  private lockClient: PgClient | null = null;
  private running = false;
  private wake: (() => void) | null = null;
  private pending = false;
  private looping: Promise<void> | null = null;
  published = 0;
  /** Holds the leader lock and publishes (false: standing by, or stopped). */
  active = false;
  /** Waits for the leader lock another relay holds (ready: it takes over when that one goes). */
  standingBy = false;

  constructor(private o: RelayOptions) {
    this.pool = new Pool({ ...o.pgConfig, max: 2, application_name: 'jianyi-relay' });
  }

  async start(): Promise<void> {
    this.running = true;
    this.lockClient = new PgClient({ ...this.o.pgConfig, application_name: 'jianyi-relay-lock' });
    await this.lockClient.connect();
    while (this.running) {
      const r = await this.lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        LEADER_LOCK,
      ]);
      if (r.rows[0]?.ok) break;
      this.standingBy = true;
      this.o.log.info('another relay is active; standing by');
      await new Promise((res) => setTimeout(res, 2000));
    }
    this.standingBy = false;
    if (!this.running) return; // stopped while standing by
    this.listener = new PgClient({ ...this.o.pgConfig, application_name: 'jianyi-relay-listen' });
    await this.listener.connect();
    this.listener.on('notification', () => this.poke());
    await this.listener.query('LISTEN outbox_new');
    await this.o.producer.connect();
    this.active = true;
    this.looping = this.loop();
  }

  private poke() {
    this.pending = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let backoff = 200;
    while (this.running) {
      try {
        this.pending = false;
        const n = await this.drainOnce();
        backoff = 200;
        if (n > 0) continue;
        if (this.pending) continue;
        await new Promise<void>((res) => {
          const t = setTimeout(res, this.o.safetyPollMs ?? 5000);
          this.wake = () => {
            clearTimeout(t);
            res();
          };
        });
        this.wake = null;
      } catch (err) {
        this.o.log.warn(
          { err: (err as Error).message, retryInMs: backoff },
          'publish failed; outbox keeps the rows',
        );
        await new Promise((res) => setTimeout(res, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Publishes one batch; the rows are stamped only after Kafka acknowledged them from all in-sync replicas. */
  async drainOnce(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        id: string;
        event_id: string;
        aggregate_id: string;
        type: string;
        payload: unknown;
      }>(
        `SELECT id, event_id, aggregate_id, type, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE`,
        [this.o.batchSize ?? 500],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.o.producer.send({
        topic: this.o.topic,
        acks: -1,
        messages: rows.map((r) => ({
          key: r.aggregate_id,
          value: JSON.stringify(r.payload),
          headers: { 'event-id': r.event_id, 'event-type': r.type, 'outbox-id': r.id },
        })),
      });
      await client.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      await client.query('COMMIT');
      this.published += rows.length;
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Stops after the batch in hand (published and stamped, or rolled back), then releases the lock. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.looping?.catch(() => undefined);
    this.active = false;
    await this.listener?.end().catch(() => undefined);
    await this.lockClient?.end().catch(() => undefined);
    await this.o.producer.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
