import { connect } from "@/db/client";
import { radiusRound } from "@/lib/radius/worker";

// `npm run radius:expire`: queues a Disconnect-Request for each open session of
// a customer whose paid period ended since the last sweep, then sends every
// due request (new, and retries) to its router and records the outcomes.
// `npm start` runs the same round on a timer; this is for cron or by hand.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to this install's database.");
  process.exit(1);
}
const { db, close } = connect(url, { max: 4 });
try {
  const r = await radiusRound(db);
  console.log(`Expired sessions queued: ${r.expiredQueued}. Requests sent: ${r.attempted} (acknowledged ${r.acked}, to retry ${r.retrying}, failed ${r.failed}).`);
} finally {
  await close();
}
