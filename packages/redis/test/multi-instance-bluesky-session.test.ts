import { describe, expect, it, vi } from 'vitest';
import { uniquePrefix } from '../src/testing/index.js';
import { useBlueskyInstanceCluster } from './instance-cluster.js';

/**
 * Issue 12, item 5: three instances (child processes) of a Bluesky app on one account share its
 * session through Redis. Through N access-token expiries: `createSession` once in total,
 * `refreshSession` once per expiry (refresh tokens rotate: a second refresh of the same token would
 * be refused), and no call failing. `SESSION_EXPIRIES` sets N (default 5; the issue's figure is 10).
 */
const SELF = { handle: 'alice.test', password: 'alice-app-password' };
const ACCESS_TTL_MS = 1_000;
const INTERVAL_MS = 50;
const EXPIRIES = Number(process.env.SESSION_EXPIRIES ?? 5);
const CREATE = '/xrpc/com.atproto.server.createSession';
const REFRESH = '/xrpc/com.atproto.server.refreshSession';

const cluster = useBlueskyInstanceCluster({ accounts: [SELF], accessTokenTtlMs: ACCESS_TTL_MS });
const { skip } = cluster;

const start = (prefix: string) =>
  cluster.start({
    script: 'bluesky-session-instance.ts',
    env: { ...cluster.blueskyEnv(prefix, SELF), BLUESKY_TEST_INTERVAL_MS: String(INTERVAL_MS) },
    state: { ok: 0, failed: [] as string[] },
    onMessage: (message: { ready?: boolean; ok?: boolean; failed?: string }, instance) => {
      if (message.ok) instance.ok += 1;
      if (message.failed) instance.failed.push(message.failed);
    },
    isReady: (message) => Boolean(message.ready),
    readyMeans: 'start',
  });

const count = (path: string) =>
  cluster.emulator.faults.requests.filter((request) => request.path === path).length;

describe.skipIf(Boolean(skip))(
  `Bluesky session shared by 3 instances through Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it(`3 instances through ${EXPIRIES} access-token expiries: one createSession, one refreshSession per expiry`, async () => {
      const prefix = uniquePrefix();
      cluster.emulator.faults.resetStats();
      const instances = await Promise.all([start(prefix), start(prefix), start(prefix)]);
      const started = performance.now();
      await vi.waitFor(() => expect(count(REFRESH)).toBeGreaterThanOrEqual(EXPIRIES), {
        timeout: (EXPIRIES + 10) * ACCESS_TTL_MS * 3,
        interval: 20,
      });
      const elapsedMs = performance.now() - started;
      // Stop before the next expiry, then count.
      for (const instance of instances) instance.child.kill('SIGKILL');
      const creates = count(CREATE);
      const refreshes = count(REFRESH);
      const failed = instances.flatMap((instance) => instance.failed);
      const calls = instances.reduce((sum, instance) => sum + instance.ok, 0);
      console.info(
        `session, 3 instances, ${elapsedMs.toFixed(0)} ms at access TTL ${ACCESS_TTL_MS} ms: ` +
          `createSession ${creates}, refreshSession ${refreshes}, calls ok ${calls}, failed ${failed.length}` +
          `, calls per instance ${instances.map((instance) => instance.ok).join('/')}`,
      );
      expect(failed).toEqual([]);
      expect(creates).toBe(1);
      expect(refreshes).toBe(EXPIRIES);
      // Once per expiry, not once per instance: no more refreshes than the tokens that expired.
      expect(refreshes).toBeLessThanOrEqual(Math.ceil(elapsedMs / ACCESS_TTL_MS) + 1);
      for (const instance of instances) expect(instance.ok).toBeGreaterThan(EXPIRIES);
    }, 240_000);
  },
);
