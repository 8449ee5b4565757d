/**
 * Real receivers for the notifier's integration tests: an SMTP server (smtp-server) on loopback at
 * JIANYI_SMTP_PORT, where the running notifier of the test stack mails, and an HTTP receiver for
 * webhooks. Plus rows for a test's own unit, users, deputies and suggestion, and events written to
 * the outbox (the event log), from where the relay publishes them to Kafka like any other.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';
import { appendOutbox } from '@jianyi/platform';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** Decodes RFC 2047 encoded-words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=). */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** Parses the single-part text/plain messages the notifier sends (base64 body). */
export function parseMail(raw: string, to: string[]): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = raw.slice(split + 4);
  const text = /base64/i.test(headers['content-transfer-encoding'] ?? '')
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : body;
  return { to, subject: decodeWords(headers.subject ?? ''), text, headers };
}

export class MailSink {
  private constructor(
    private server: SMTPServer,
    readonly mails: Mail[],
  ) {}

  static async start(port = Number(process.env.JIANYI_SMTP_PORT)): Promise<MailSink> {
    if (!port) throw new Error('JIANYI_SMTP_PORT is not set (./dev test sets it from infra/env.sh)');
    const mails: Mail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          cb();
        });
      },
    });
    const sink = new MailSink(server, mails);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return sink;
  }

  to(address: string): Mail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface Hook {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  answered: number;
}

/** An HTTP receiver that answers each request with the next status of `statuses` (then 200). */
export class HookReceiver {
  private constructor(
    private server: Server,
    readonly url: string,
    readonly hooks: Hook[],
  ) {}

  static async start(statuses: number[] = []): Promise<HookReceiver> {
    const hooks: Hook[] = [];
    const left = [...statuses];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = left.shift() ?? 200;
        hooks.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), answered: status });
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errcode: status === 200 ? 0 : 1 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new HookReceiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send`,
      hooks,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A test's own unit (with users), deputies and suggestion, so assertions see only its rows. */
export class World {
  readonly tag = `NT${randomBytes(3).toString('hex')}`;
  private counter = 0;
  constructor(readonly ds: DataSource) {}

  async unit(name = `测试局${this.tag}`): Promise<string> {
    const id = randomUUID();
    await this.ds.query(`INSERT INTO units (id, code, name) VALUES ($1, $2, $3)`, [
      id,
      `T${randomBytes(5).toString('hex')}`,
      name,
    ]);
    return id;
  }

  async user(
    role: string,
    opts: { unitId?: string; deputyId?: string; name?: string } = {},
  ): Promise<{ id: string; email: string; username: string }> {
    const id = randomUUID();
    const username = `${role}.${randomBytes(4).toString('hex')}`;
    const email = `${username}@example.test`;
    await this.ds.query(
      `INSERT INTO users (id, username, password_hash, display_name, role, deputy_id, unit_id, email) VALUES ($1, $2, 'x', $3, $4, $5, $6, $7)`,
      [
        id,
        username,
        opts.name ?? `测试用户${this.tag}`,
        role,
        opts.deputyId ?? null,
        opts.unitId ?? null,
        email,
      ],
    );
    return { id, email, username };
  }

  async deputy(name = `代表${this.tag}`, town = `测试镇${this.tag}`): Promise<string> {
    const id = randomUUID();
    await this.ds.query(`INSERT INTO deputies (id, name, level, town) VALUES ($1, $2, 'city', $3)`, [
      id,
      name,
      town,
    ]);
    return id;
  }

  async suggestion(
    leadDeputyId: string,
    opts: { status?: string; title?: string } = {},
  ): Promise<{ id: string; title: string }> {
    const id = randomUUID();
    const title = opts.title ?? `关于改善社区停车的建议 ${this.tag}-${++this.counter}`;
    const creator = await this.ds.query(`SELECT id FROM users LIMIT 1`);
    await this.ds.query(
      `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, policy_version) VALUES ($1, $2, '测试内容', $3, $4, $5, 'test-fast@1')`,
      [id, title, opts.status ?? 'handling', leadDeputyId, creator[0].id],
    );
    return { id, title };
  }

  event(
    type: SuggestionEvent['type'],
    s: {
      suggestionId: string;
      deputyIds: string[];
      unitIds?: string[];
      policyVersion?: string;
      from?: string;
      to?: string;
    },
    data: Record<string, unknown> = {},
  ): SuggestionEvent {
    return parseEvent({
      id: randomUUID(),
      version: 1,
      type,
      suggestionId: s.suggestionId,
      occurredAt: new Date().toISOString(),
      actor: { userId: null, role: null, name: '系统' },
      policyVersion: s.policyVersion ?? 'test-fast@1',
      data: {
        from: s.from ?? 'handling',
        to: s.to ?? 'handling',
        audience: { deputyIds: s.deputyIds, unitIds: s.unitIds ?? [] },
        ...data,
      },
    });
  }

  /** Appends to the outbox (the event log); the relay publishes it to Kafka for the running consumers. */
  async publish(...events: SuggestionEvent[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const e of events) await appendOutbox(m, e);
    });
  }
}
