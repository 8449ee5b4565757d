/**
 * The notifier process: two Kafka consumers (notices, group 'notifier'; points, group 'points'), the
 * dispatcher loop that sends due email and webhook deliveries (held ones and retries too), and the
 * daily digest on working days.
 */
import { parseEvent } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import {
  config,
  createKafka,
  createLogger,
  calendarSource,
  ensureCalendarSeeded,
  openDataSource,
  policyInForce,
  requireSettings,
} from '@jianyi/platform';
import { digestDue, runDigest } from './digest';
import { createMailer, dispatchDue } from './dispatcher';
import { handleEvent, noticeHours } from './notifier';
import { creditPoints, loadPointsRules } from './points';

const log = createLogger('notifier');

async function main() {
  requireSettings('notifier', { secretKey: true }); // it signs robot messages with the stored secrets
  const settings = config.notifier;
  const ds = await openDataSource({ extra: { max: 6, application_name: 'jianyi-notifier' } });
  const policies = loadPolicyRegistry();
  const rules = loadPointsRules();
  // One calendar source for every process: the table (seeded from chinese-days when empty).
  const seeded = await ensureCalendarSeeded(ds);
  if (seeded.length) log.warn({ years: seeded }, 'calendar table was empty: seeded from chinese-days');
  const calendar = calendarSource(ds, 5 * 60_000);
  const mailer = createMailer(settings.smtp);
  const kafka = createKafka('jianyi-notifier');

  const notices = kafka.consumer({ groupId: 'notifier' });
  const points = kafka.consumer({ groupId: 'points' });
  for (const c of [notices, points]) {
    await c.connect();
    await c.subscribe({ topic: config.kafka.topic, fromBeginning: true });
  }
  await notices.run({
    // Offsets are committed after the handler returns; a crash replays, and the unique indexes dedupe.
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = parseEvent(JSON.parse(message.value.toString()));
      const r = await handleEvent(ds, event, { calendar, policies });
      log.debug({ eventId: event.id, type: event.type, ...r }, 'notified');
    },
  });
  await points.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = parseEvent(JSON.parse(message.value.toString()));
      const n = await creditPoints(ds, event, rules, policies);
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
  const stop = () => {
    stopping = true;
    void Promise.allSettled([notices.disconnect(), points.disconnect(), looping]).finally(() =>
      process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  log.error(err, 'notifier failed');
  process.exit(1);
});
