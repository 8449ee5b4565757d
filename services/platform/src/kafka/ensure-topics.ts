import { createKafka, ensureTopics } from './client';

async function main() {
  const admin = createKafka('jianyi-infra').admin();
  await admin.connect();
  try {
    await ensureTopics(admin);
  } finally {
    await admin.disconnect();
  }
}
main().catch((err) => {
  console.error('topic creation failed:', err);
  process.exit(1);
});
