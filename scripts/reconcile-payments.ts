import { connect } from "../db/client";
import { gatewayFor, reconcilePending } from "../lib/payments/checkout";
import { gatewayConfig } from "../lib/payments/gateway";

/**
 * `npm run payments:reconcile` (for cron): asks the gateway about every online
 * payment still pending after a few minutes and settles, fails or expires it
 * through the same idempotent command as the webhook. Prints what changed.
 * `--older-than MINUTES` (default 5).
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to reconcile.");
  process.exit(1);
}
const flag = process.argv.indexOf("--older-than");
const olderThanMinutes = flag > 0 ? Number(process.argv[flag + 1]) : 5;
if (!Number.isFinite(olderThanMinutes) || olderThanMinutes < 0) {
  console.error("--older-than takes a number of minutes.");
  process.exit(1);
}
const database = connect(url, { max: 2 });
try {
  const gateway = gatewayFor(database.db, gatewayConfig());
  if (!gateway) {
    console.error("No payment gateway is configured (STRIPE_SECRET_KEY, or the sandbox): nothing to reconcile.");
    process.exitCode = 1;
  } else {
    const changes = await reconcilePending(database.db, gateway, { olderThanMinutes });
    for (const change of changes) console.log(`${change.onlinePaymentId}  ${change.from} → ${change.to ?? "(unchanged)"}  ${change.outcome}`);
    const moved = changes.filter((c) => c.to).length;
    const errors = changes.filter((c) => c.outcome.startsWith("error")).length;
    console.log(`Checked ${changes.length} pending payment(s) with the ${gateway.mode} gateway: ${moved} changed, ${errors} could not be checked.`);
    if (errors) process.exitCode = 2;
  }
} finally {
  await database.close();
}
