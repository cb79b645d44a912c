/**
 * One app instance for the multi-instance rate-budget test: a Bluesky adapter on the shared Redis
 * store (so the account's rate-limit window is shared). Forked by the test (tsx loader). Logs in,
 * sends `{ ready: true }`, then on `{ send: { convoId, texts } }` sends the texts one after another
 * and reports `{ sent: text }` or `{ failed: text, error }` for each, then `{ done: true }`.
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
  store,
  sharedRateLimit: env.BLUESKY_TEST_SHARED !== 'false',
});
// Log in (and learn the PDS) before the test switches the rate limit on.
await adapter.listConversations?.({ limit: 1 });
process.on('message', (message: { send?: { convoId: string; texts: string[] } }) => {
  if (!message.send) return;
  const { convoId, texts } = message.send;
  void (async () => {
    for (const text of texts) {
      try {
        await adapter.sendMessage(convoId, { text });
        process.send?.({ sent: text });
      } catch (error) {
        const e = error as { code?: string; outcome?: string; message?: string };
        process.send?.({ failed: text, error: `${e.code} ${e.outcome ?? ''} ${e.message}` });
      }
    }
    process.send?.({ done: true });
  })();
});
process.send?.({ ready: true });
process.on('SIGTERM', () => {
  void Promise.resolve(adapter.close?.())
    .then(() => store.close?.())
    .finally(() => process.exit(0));
});
