import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { uniquePrefix } from '../src/testing/index.js';
import { useInstanceCluster } from './instance-cluster.js';

/**
 * Issue 12, item 8 (a): three instances (child processes) of a Brevo app on one Redis. Webhooks are
 * spread round-robin and every delivery is sent twice, at once, to two different instances: each
 * message must be emitted exactly once across the cluster, history must be complete from any
 * instance, and still complete after all three restart.
 */
const VISITORS = 6;
const WEBHOOKS = 40;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const cluster = useInstanceCluster({ stop });
const { skip, running } = cluster;

type Instance = Awaited<ReturnType<typeof start>>;

const start = (prefix: string) =>
  cluster.start({
    script: 'brevo-instance.ts',
    env: { REDIS_TEST_PREFIX: prefix },
    state: { base: '' },
    onMessage: (message: { port?: number }, instance) => {
      if (message.port) instance.base = `http://127.0.0.1:${message.port}`;
    },
    isReady: (message) => message.port !== undefined,
    readyMeans: 'start',
  });

/** Webhook n: 1–3 visitor messages of visitor n % VISITORS, ids unique, times increasing per visitor. */
function webhook(n: number) {
  const visitor = `visitor-${n % VISITORS}`;
  const count = 1 + (n % 3);
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `msg-${n}-${i}`,
    type: 'visitor',
    text: `webhook ${n} message ${i}`,
    html: `webhook ${n} message ${i}`,
    createdAt: 1_700_000_000_000 + n * 10 + i,
  }));
  return {
    eventName: 'conversationFragment',
    conversationId: `conversation-${visitor}`,
    messages,
    agents: [],
    visitor: { id: visitor, displayedName: visitor },
  };
}

const post = async (instance: Instance, body: unknown) =>
  (
    await fetch(`${instance.base}/webhook?token=whsec-multi-instance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).status;

const history = async (instance: Instance, visitor: string) =>
  (await (await fetch(`${instance.base}/history?visitor=${visitor}`)).json()) as string[];

describe.skipIf(Boolean(skip))(
  `Brevo on 3 instances sharing Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('emits each message exactly once across the cluster, and history is complete from any instance and after a restart', async () => {
      const prefix = uniquePrefix();
      const instances = await Promise.all([start(prefix), start(prefix), start(prefix)]);

      const expected = new Map<string, string[]>();
      const statuses: number[] = [];
      // Each webhook goes to instance n % 3 and, at the same moment, to the next one.
      for (let n = 0; n < WEBHOOKS; n += 1) {
        const body = webhook(n);
        const ids = expected.get(body.visitor.id) ?? [];
        ids.push(...body.messages.map((m) => m.id));
        expected.set(body.visitor.id, ids);
        statuses.push(
          ...(await Promise.all([post(instances[n % 3]!, body), post(instances[(n + 1) % 3]!, body)])),
        );
      }
      expect(statuses.every((status) => status === 200)).toBe(true);

      const events = (
        await Promise.all(
          instances.map(
            async (i) =>
              (await (await fetch(`${i.base}/events`)).json()) as Array<{ type: string; id: string }>,
          ),
        )
      ).flat();
      const delivered = events.filter((e) => e.type === 'message.created').map((e) => e.id);
      const allIds = [...expected.values()].flat();
      expect(delivered).toHaveLength(allIds.length);
      expect(new Set(delivered)).toEqual(new Set(allIds));
      const created = events.filter((e) => e.type === 'conversation.created').map((e) => e.id);
      expect(created.sort()).toEqual([...expected.keys()].sort());

      const newestFirst = (visitor: string) => [...expected.get(visitor)!].reverse();
      for (const instance of instances) {
        for (const visitor of expected.keys())
          expect(await history(instance, visitor)).toEqual(newestFirst(visitor));
      }

      // All three restart: history is still complete, and a redelivery is still a duplicate.
      await Promise.all(running.splice(0).map(stop));
      const restarted = await Promise.all([start(prefix), start(prefix), start(prefix)]);
      for (const instance of restarted) {
        for (const visitor of expected.keys())
          expect(await history(instance, visitor)).toEqual(newestFirst(visitor));
      }
      expect(await post(restarted[0]!, webhook(0))).toBe(200);
      const after = (
        await Promise.all(
          restarted.map(async (i) => (await (await fetch(`${i.base}/events`)).json()) as unknown[]),
        )
      ).flat();
      expect(after).toEqual([]);
    }, 240_000);
  },
);
