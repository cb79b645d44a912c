/**
 * One app instance for the multi-instance session test: a Bluesky adapter on the shared Redis store
 * (session shared). Forked by the test (tsx loader). Calls `listConversations` every
 * `BLUESKY_TEST_INTERVAL_MS` and reports `{ ok: true }` or `{ failed: <code> }` for each call.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createRedisStateStore } from '../src/index.js';

const env = process.env;
const store = createRedisStateStore({ url: env.REDIS_TEST_URL!, prefix: env.REDIS_TEST_PREFIX! });
const adapter = createBlueskyAdapter({
  identifier: env.BLUESKY_TEST_IDENTIFIER!,
  password: env.BLUESKY_TEST_PASSWORD!,
  service: env.BLUESKY_TEST_SERVICE!,
  chatServiceDid: 'did:web:api.bsky.chat',
  store,
  // 'false' only to show the test fails with a per-process session.
  sharedSession: env.BLUESKY_TEST_SHARED_SESSION !== 'false',
});
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  void Promise.resolve(adapter.close?.())
    .then(() => store.close?.())
    .finally(() => process.exit(0));
});
process.send?.({ ready: true });
while (!stopping) {
  try {
    await adapter.listConversations?.({ limit: 1 });
    process.send?.({ ok: true });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.send?.({ failed: `${e.code}: ${e.message}` });
  }
  await sleep(Number(env.BLUESKY_TEST_INTERVAL_MS));
}
