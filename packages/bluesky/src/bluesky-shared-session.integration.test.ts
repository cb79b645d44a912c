import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStateStore, type StateStore } from '@switchboard/core';
import { type BlueskyEmulator, startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { afterEach, describe, expect, it } from 'vitest';
import { type BlueskyAdapter, createBlueskyAdapter } from './index.js';

/**
 * `sharedSession`: adapters (instances) on one store share the account's session — one
 * `createSession`, one `refreshSession` per expiry, a restart adopts the stored session, and a dead
 * refresh token leads to exactly one new login. The multi-process version is in `@switchboard/redis`.
 */
const ALICE = { handle: 'alice.test', password: 'alice-app-pass-1234' };
const CREATE = '/xrpc/com.atproto.server.createSession';
const REFRESH = '/xrpc/com.atproto.server.refreshSession';

let emulator: BlueskyEmulator | undefined;
const adapters: BlueskyAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((adapter) => adapter.close?.()));
  await emulator?.close();
  emulator = undefined;
});

const count = (path: string) => emulator!.faults.requests.filter((request) => request.path === path).length;
const adapterOn = (store: StateStore, sharedSession?: boolean) => {
  const adapter = createBlueskyAdapter({
    identifier: ALICE.handle,
    password: ALICE.password,
    service: emulator!.url,
    store,
    ...(sharedSession === undefined ? {} : { sharedSession }),
    retry: { minDelayMs: 5, maxDelayMs: 20 },
  });
  adapters.push(adapter);
  return adapter;
};
const call = (adapter: BlueskyAdapter) => adapter.listConversations({ limit: 1 });

describe('bluesky shared session (store)', () => {
  it('two instances log in once and refresh once per expiry; a restarted instance adopts the stored session', async () => {
    emulator = await startBlueskyEmulator({ accounts: [ALICE], accessTokenTtlMs: 300 });
    const store = createMemoryStateStore();
    const [a, b] = [adapterOn(store), adapterOn(store)];
    await Promise.all([call(a), call(b), call(a), call(b)]);
    expect(count(CREATE)).toBe(1);
    for (let expiry = 1; expiry <= 3; expiry += 1) {
      await sleep(350);
      await Promise.all([call(a), call(b), call(a), call(b)]);
      expect(count(REFRESH)).toBe(expiry);
    }
    const restarted = adapterOn(store);
    await call(restarted);
    expect(count(CREATE)).toBe(1);
  });

  it('without sharedSession every instance logs in (the baseline the option removes)', async () => {
    emulator = await startBlueskyEmulator({ accounts: [ALICE] });
    const store = createMemoryStateStore();
    await Promise.all([call(adapterOn(store, false)), call(adapterOn(store, false))]);
    expect(count(CREATE)).toBe(2);
  });

  it('a dead refresh token: one instance logs in again, the other adopts that session, no call fails', async () => {
    emulator = await startBlueskyEmulator({
      accounts: [ALICE],
      accessTokenTtlMs: 150,
      refreshTokenTtlMs: 250,
    });
    const store = createMemoryStateStore();
    const [a, b] = [adapterOn(store), adapterOn(store)];
    await Promise.all([call(a), call(b)]);
    await sleep(300); // both tokens expired: the refresh is refused with ExpiredToken
    await Promise.all([call(a), call(b), call(a), call(b)]);
    expect(count(REFRESH)).toBe(1);
    expect(count(CREATE)).toBe(2);
  });
});
