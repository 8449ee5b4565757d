/** Rebuilds the 履职积分 ledger from the outbox: `pnpm --filter @jianyi/notifier rebuild-points`. */
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { openDataSource } from '@jianyi/platform';
import { loadPointsRules, rebuildPoints } from './points';

async function main() {
  const ds = await openDataSource();
  try {
    const r = await rebuildPoints(ds, loadPointsRules(), loadPolicyRegistry());
    console.log(`points ledger rebuilt: ${r.events} events, ${r.credits} credits`);
  } finally {
    await ds.destroy();
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
