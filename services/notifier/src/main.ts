/**
 * The notifier process: two Kafka consumers (notices, group 'notifier'; points, group 'points'), the
 * dispatcher loop that sends due email and webhook deliveries (held ones and retries too), and the
 * daily digest on working days.
 */
import { isMessageEvent, isStationEvent, parseAnyEvent } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import {
  config,
  consumerLagGauge,
  consumerState,
  Counter,
  createKafka,
  createLogger,
  Gauge,
  onShutdown,
  registry,
  startOps,
  calendarSource,
  ensureCalendarSeeded,
  openDataSource,
  policyInForce,
  requireSettings,
} from '@jianyi/platform';
import { digestDue, runDigest } from './digest';
import { createMailer, dispatchDue } from './dispatcher';
import { handleEvent, noticeHours } from './notifier';
import { handleStationEvent } from './station-notices';
import { handleMessageEvent } from './message-notices';
import { creditPoints, loadPointsRules } from './points';

const log = createLogger('notifier');
const suggestionOf = (e: object) =>
  'suggestionId' in e && typeof e.suggestionId === 'string' ? { suggestionId: e.suggestionId } : {};

async function main() {
  requireSettings('notifier', { secretKey: true }); // it signs robot messages with the stored secrets
  const settings = config.notifier;
  const ds = await openDataSource({
    extra: { max: config.pgPool.notifier, application_name: 'jianyi-notifier' },
  });
  const policies = loadPolicyRegistry();
  const rules = loadPointsRules();
  // One calendar source for every process: the table (seeded from chinese-days when empty).
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const calendar = calendarSource(ds, 5 * 60_000);
  const mailer = createMailer(settings.smtp);
  const kafka = createKafka('notifier');

  const notices = kafka.consumer({ groupId: 'notifier' });
  const points = kafka.consumer({ groupId: 'points' });
  const noticesReady = consumerState(notices);
  const pointsReady = consumerState(points);
  const ops = startOps('notifier', log, {
    database: () => ds.query('SELECT 1'),
    'kafka notices': noticesReady,
    'kafka points': pointsReady,
  });
  const stopLag = consumerLagGauge(kafka, config.kafka.topic, ['notifier', 'points']);
  // 通知积压: deliveries waiting (due or held), and the age of the oldest due one.
  new Gauge({
    name: 'jianyi_notification_backlog',
    help: 'Notification deliveries pending, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const rows: { channel: string; n: number }[] = await ds.query(
        `SELECT channel, count(*)::int AS n FROM notification_deliveries WHERE status = 'pending' GROUP BY channel`,
      );
      this.reset();
      for (const c of ['email', 'webhook'])
        this.set({ channel: c }, rows.find((r) => r.channel === c)?.n ?? 0);
    },
  });
  const dispatched = new Counter({
    name: 'jianyi_notifications_dispatched_total',
    help: 'Notification deliveries attempted by this notifier, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const consumed = new Counter({
    name: 'jianyi_events_consumed_total',
    help: 'Events consumed, by consumer group',
    labelNames: ['group'] as const,
    registers: [registry],
  });
  for (const c of [notices, points]) {
    await c.connect();
    await c.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  }
  await notices.run({
    // Offsets are committed after the handler returns; a crash replays, and the unique indexes dedupe.
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = parseAnyEvent(JSON.parse(message.value.toString()));
      const r = isMessageEvent(event)
        ? await handleMessageEvent(ds, event)
        : isStationEvent(event)
          ? await handleStationEvent(ds, event)
          : await handleEvent(ds, event, { calendar, policies });
      consumed.inc({ group: 'notifier' });
      log.debug({ eventId: event.id, type: event.type, ...suggestionOf(event), ...r }, 'notified');
    },
  });
  await points.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = parseAnyEvent(JSON.parse(message.value.toString()));
      const n = await creditPoints(ds, event, rules, policies);
      consumed.inc({ group: 'points' });
      if (n) log.debug({ eventId: event.id, type: event.type, credits: n }, 'points credited');
    },
  });

  let stopping = false;
  let lastDigest: string | null = null;
  const loop = async () => {
    while (!stopping) {
      try {
        const r = await dispatchDue(ds, { mailer, settings });
        if (r.sent || r.retried || r.failed) log.info(r, 'dispatched');
        dispatched.inc({ outcome: 'sent' }, r.sent);
        dispatched.inc({ outcome: 'retried' }, r.retried);
        dispatched.inc({ outcome: 'failed' }, r.failed);
        const date = digestDue(await calendar(), Date.now(), settings.digestAt);
        if (date && date !== lastDigest) {
          // The notice hours of the policy in force (the admin's latest choice).
          const hours = noticeHours(policies, (await policyInForce(ds)).policyKey);
          const d = await runDigest(ds, {
            date,
            calendar: await calendar(),
            withinWorkingDays: settings.digestWithinWorkingDays,
            hours,
          });
          lastDigest = date;
          log.info({ date, ...d }, 'daily digest');
        }
      } catch (err) {
        log.error(err, 'dispatch loop');
      }
      await new Promise((r) => setTimeout(r, settings.pollMs));
    }
  };
  const looping = loop();
  log.info(
    { smtp: `${settings.smtp.host}:${settings.smtp.port}`, digestAt: settings.digestAt },
    'notifier started',
  );
  // SIGTERM: the consumers finish the message in hand, commit their offsets and leave their groups;
  // the dispatch loop finishes its round (a delivery is one transaction; an interrupted one is retried).
  onShutdown(ops, log, [
    [
      'kafka consumers: commit and disconnect',
      () => Promise.all([notices.disconnect(), points.disconnect()]),
    ],
    [
      'dispatch loop',
      () => {
        stopping = true;
        return looping;
      },
    ],
    ['kafka admin', () => stopLag()],
    ['smtp', () => mailer.close()],
    ['close database', () => ds.destroy()],
  ]);
}
main().catch((err) => {
  log.error(err, 'notifier failed');
  process.exit(1);
});
