/**
 * What every forked Bluesky instance script starts with: the shared Redis store and a Bluesky
 * adapter on the emulator, both from the environment `useBlueskyInstanceCluster().blueskyEnv()` sets
 * (`REDIS_TEST_URL`, `REDIS_TEST_PREFIX`, `BLUESKY_TEST_IDENTIFIER`, `BLUESKY_TEST_PASSWORD`,
 * `BLUESKY_TEST_SERVICE`), and on SIGTERM the adapter and the store closed before the process exits.
 */
import { type BlueskyAdapterOptions, createBlueskyAdapter } from '@switchboard/bluesky';
import { createRedisStateStore } from '../src/index.js';

/**
 * The store and adapter of this instance; `options` adds to (or overrides) the adapter options.
 * `onSigterm` runs first when SIGTERM arrives (e.g. to end a loop).
 */
export function startBlueskyInstance(
  options: Partial<BlueskyAdapterOptions>,
  onSigterm: () => void = () => {},
) {
  const env = process.env;
  const store = createRedisStateStore({ url: env.REDIS_TEST_URL!, prefix: env.REDIS_TEST_PREFIX! });
  const adapter = createBlueskyAdapter({
    identifier: env.BLUESKY_TEST_IDENTIFIER!,
    password: env.BLUESKY_TEST_PASSWORD!,
    service: env.BLUESKY_TEST_SERVICE!,
    chatServiceDid: 'did:web:api.bsky.chat',
    store,
    ...options,
  });
  process.on('SIGTERM', () => {
    onSigterm();
    void Promise.resolve(adapter.close?.())
      .then(() => store.close?.())
      .finally(() => process.exit(0));
  });
  return { store, adapter };
}
