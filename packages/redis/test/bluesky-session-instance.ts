/**
 * One app instance for the multi-instance session test: a Bluesky adapter on the shared Redis store
 * (session shared). Forked by the test (tsx loader). Calls `listConversations` every
 * `BLUESKY_TEST_INTERVAL_MS` and reports `{ ok: true }` or `{ failed: <code> }` for each call.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startBlueskyInstance } from './bluesky-instance-adapter.js';

let stopping = false;
const { adapter } = startBlueskyInstance(
  // 'false' only to show the test fails with a per-process session.
  { sharedSession: process.env.BLUESKY_TEST_SHARED_SESSION !== 'false' },
  () => {
    stopping = true;
  },
);
process.send?.({ ready: true });
while (!stopping) {
  try {
    await adapter.listConversations?.({ limit: 1 });
    process.send?.({ ok: true });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.send?.({ failed: `${e.code}: ${e.message}` });
  }
  await sleep(Number(process.env.BLUESKY_TEST_INTERVAL_MS));
}
