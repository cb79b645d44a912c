import type { StateStore } from '@switchboard/core';
import { describeStateStoreConformance } from '@switchboard/testkit/state-store';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStateStore } from './index.js';
import { redisAvailability, startRedisServer, type TestRedis, uniquePrefix } from './testing/index.js';

const { skip } = redisAvailability();
let redis: TestRedis | undefined;
beforeAll(async () => {
  if (!skip) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

describeStateStoreConformance({
  name: 'redis',
  ...(skip && { skip }),
  setup: async () => {
    const prefix = uniquePrefix();
    const store = createRedisStateStore({ url: redis!.url, prefix });
    const peers: StateStore[] = [];
    return {
      store,
      peer: async () => {
        const peer = createRedisStateStore({ url: redis!.url, prefix });
        peers.push(peer);
        return peer;
      },
      teardown: async () => {
        await Promise.all([store, ...peers].map((s) => s.close?.()));
      },
    };
  },
});
