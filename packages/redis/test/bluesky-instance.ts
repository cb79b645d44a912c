/**
 * One app instance for the multi-instance Bluesky test: a Bluesky adapter (polling getLog on the
 * emulator) on the shared Redis store. Forked by the test (tsx loader). Sends `{ ready: true }`
 * once subscribed, then `{ delivered: <message id> }` for every message event its listeners get.
 */
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createRedisStateStore } from '../src/index.js';

const env = process.env;
const store = createRedisStateStore({ url: env.REDIS_TEST_URL!, prefix: env.REDIS_TEST_PREFIX! });
const adapter = createBlueskyAdapter({
  identifier: env.BLUESKY_TEST_IDENTIFIER!,
  password: env.BLUESKY_TEST_PASSWORD!,
  service: env.BLUESKY_TEST_SERVICE!,
  chatServiceDid: 'did:web:api.bsky.chat',
  pollIntervalMs: Number(env.BLUESKY_TEST_INTERVAL_MS),
  pollerLeaseTtlMs: Number(env.BLUESKY_TEST_LEASE_MS),
  store,
});
await adapter.subscribe((event) => {
  if (event.type === 'message.created') process.send?.({ delivered: event.message.id });
});
process.send?.({ ready: true });
process.on('SIGTERM', () => {
  void Promise.resolve(adapter.close?.())
    .then(() => store.close?.())
    .finally(() => process.exit(0));
});
