import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { uniquePrefix } from '../src/testing/index.js';
import { useBlueskyInstanceCluster } from './instance-cluster.js';

/**
 * Issue 12, item 8 (b): three instances (child processes) of a Bluesky app polling one account on
 * the emulator through one Redis: about one getLog request per poll interval (not three); SIGKILL
 * the polling instance → another delivers within the lease TTL; no message lost or doubled.
 */
const SELF = { handle: 'alice.test', password: 'alice-app-password' };
const PEER = { handle: 'bob.test', password: 'bob-app-password' };
const INTERVAL_MS = 200;
const LEASE_MS = 1_500;
const GET_LOG = '/xrpc/chat.bsky.convo.getLog';

const cluster = useBlueskyInstanceCluster({ accounts: [SELF, PEER] });
const { skip } = cluster;

const start = (prefix: string) =>
  cluster.start({
    script: 'bluesky-instance.ts',
    env: {
      ...cluster.blueskyEnv(prefix, SELF),
      BLUESKY_TEST_INTERVAL_MS: String(INTERVAL_MS),
      BLUESKY_TEST_LEASE_MS: String(LEASE_MS),
    },
    state: { delivered: [] as string[] },
    onMessage: (message: { ready?: boolean; delivered?: string }, instance) => {
      if (message.delivered) instance.delivered.push(message.delivered);
    },
    isReady: (message) => Boolean(message.ready),
    readyMeans: 'subscribe',
  });

const getLogs = () => cluster.emulator.faults.requests.filter((request) => request.path === GET_LOG).length;

describe.skipIf(Boolean(skip))(
  `Bluesky polling from 3 instances sharing Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('polls once per interval in total, a stand-by takes over after SIGKILL of the poller, nothing lost or doubled', async () => {
      const prefix = uniquePrefix();
      const convoId = cluster.emulator.as(PEER.handle).openConvo(SELF.handle);
      const instances = await Promise.all([start(prefix), start(prefix), start(prefix)]);
      const all = () => instances.flatMap((instance) => instance.delivered);

      // Idle: getLog requests over 10 intervals, from all three instances together.
      const idleStart = getLogs();
      const idleStartedAt = performance.now();
      await sleep(10 * INTERVAL_MS);
      const perTick = (getLogs() - idleStart) / ((performance.now() - idleStartedAt) / INTERVAL_MS);
      console.info(`getLog requests per poll interval, 3 instances: ${perTick.toFixed(2)}`);
      expect(perTick).toBeLessThanOrEqual(1.5);

      const sent: string[] = [];
      for (let i = 0; i < 50; i += 1)
        sent.push(cluster.emulator.as(PEER.handle).sendMessage(convoId, `first ${i}`));
      await vi.waitFor(() => expect(all()).toHaveLength(50), { timeout: 30_000, interval: 20 });
      const leader = instances.find((instance) => instance.delivered.length > 0)!;
      expect(leader.delivered).toHaveLength(50);
      // Let the leader's fenced cursor write land, then kill it without any chance to release its lease.
      await sleep(3 * INTERVAL_MS);
      leader.child.kill('SIGKILL');
      const killedAt = performance.now();
      for (let i = 0; i < 50; i += 1)
        sent.push(cluster.emulator.as(PEER.handle).sendMessage(convoId, `second ${i}`));
      await vi.waitFor(() => expect(all().length).toBeGreaterThan(50), { timeout: 30_000, interval: 10 });
      const takeoverMs = performance.now() - killedAt;
      console.info(
        `first delivery by a stand-by ${takeoverMs.toFixed(0)} ms after SIGKILL (lease TTL ${LEASE_MS} ms)`,
      );
      await vi.waitFor(() => expect(all()).toHaveLength(100), { timeout: 30_000, interval: 20 });
      await sleep(3 * INTERVAL_MS);
      expect(all()).toHaveLength(100);
      expect(new Set(all())).toEqual(new Set(sent));
      // Lease TTL plus one stand-by retry and one poll; a loaded 2-core machine gets one more TTL of slack.
      expect(takeoverMs).toBeLessThanOrEqual(2 * LEASE_MS + 2 * INTERVAL_MS);
    }, 240_000);
  },
);
