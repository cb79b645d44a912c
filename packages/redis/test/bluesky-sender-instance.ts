/**
 * One app instance for the multi-instance rate-budget test: a Bluesky adapter on the shared Redis
 * store (so the account's rate-limit window is shared). Forked by the test (tsx loader). Logs in,
 * sends `{ ready: true }`, then on `{ send: { convoId, texts } }` sends the texts one after another
 * and reports `{ sent: text }` or `{ failed: text, error }` for each, then `{ done: true }`.
 */
import { startBlueskyInstance } from './bluesky-instance-adapter.js';

const { adapter } = startBlueskyInstance({ sharedRateLimit: process.env.BLUESKY_TEST_SHARED !== 'false' });
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
