/**
 * One app instance for the multi-instance Bluesky test: a Bluesky adapter (polling getLog on the
 * emulator) on the shared Redis store. Forked by the test (tsx loader). Sends `{ ready: true }`
 * once subscribed, then `{ delivered: <message id> }` for every message event its listeners get.
 */
import { startBlueskyInstance } from './bluesky-instance-adapter.js';

const { adapter } = startBlueskyInstance({
  pollIntervalMs: Number(process.env.BLUESKY_TEST_INTERVAL_MS),
  pollerLeaseTtlMs: Number(process.env.BLUESKY_TEST_LEASE_MS),
});
await adapter.subscribe((event) => {
  if (event.type === 'message.created') process.send?.({ delivered: event.message.id });
});
process.send?.({ ready: true });
