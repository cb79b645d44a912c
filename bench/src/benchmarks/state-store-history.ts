/**
 * 6. Shared state (issue 12): one page of 50 of a Brevo conversation's history, served from the
 * adapter's StateStore (Brevo has no history endpoint), from the memory store and from Redis
 * (`@switchboard/redis` on a private `redis-server`, unix socket), at two history lengths. A page
 * must cost the same at 100k stored messages as at 1k (O(log n + page)); the full walk of the
 * longest history is timed too (linear in pages). History is seeded through the adapter's own
 * webhook handler (`conversationFragment` batches of 1,000 messages), in this process.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createBrevoAdapter } from '@switchboard/brevo';
import { createMemoryStateStore, type StateStore } from '@switchboard/core';
import { createRedisStateStore } from '@switchboard/redis';
import { REDIS_INSTALL_HINT, startRedisServer, type TestRedis } from '@switchboard/redis/testing';
import { addNote, addRow, type BenchContext } from '../context.js';
import { formatValue } from '../report.js';
import { summarize } from '../stats.js';

const SECRET = 'whsec-bench';
const VISITOR = 'bench-visitor';

function fragment(from: number, count: number) {
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `m-${from + i}`,
    type: 'visitor',
    text: `message ${from + i}`,
    html: `message ${from + i}`,
    createdAt: 1_700_000_000_000 + from + i,
  }));
  return {
    eventName: 'conversationFragment',
    conversationId: 'bench-conversation',
    messages,
    agents: [],
    visitor: { id: VISITOR, displayedName: 'Bench Visitor' },
  };
}

async function seed(adapter: ReturnType<typeof createBrevoAdapter>, total: number, batch: number) {
  for (let from = 0; from < total; from += batch) {
    const request = new Request(`http://127.0.0.1/webhook?token=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fragment(from, Math.min(batch, total - from))),
    });
    const result = await adapter.handleWebhook!(request);
    if (result.status !== 200) throw new Error(`seeding webhook answered ${result.status}`);
  }
}

export async function stateStoreHistory(context: BenchContext): Promise<void> {
  const { sizes, pageSize, samplePages } = context.config.stateStore;
  let redis: TestRedis | undefined;
  const hasRedis = Boolean(process.env.REDIS_URL) || spawnSync('redis-server', ['--version']).status === 0;
  const backends: Array<{ name: string; open: (prefix: string) => StateStore }> = [
    { name: 'memory', open: () => createMemoryStateStore() },
  ];
  if (hasRedis) {
    redis = await startRedisServer();
    const url = redis.url;
    backends.push({ name: 'redis', open: (prefix) => createRedisStateStore({ url, prefix }) });
  } else {
    context.report.skips.push({ section: 'state-store', subject: 'redis', reason: REDIS_INSTALL_HINT });
    context.log(`  skip redis: ${REDIS_INSTALL_HINT}`);
  }
  try {
    for (const backend of backends) {
      for (const size of sizes) {
        const store = backend.open(`bench:${size}:${Date.now()}:`);
        const adapter = createBrevoAdapter({
          apiKey: 'xkeysib-bench',
          webhookSecret: SECRET,
          agent: { id: 'bench-agent' },
          baseUrl: 'http://127.0.0.1:9/v3',
          presenceIntervalMs: false,
          store,
        });
        try {
          const t0 = performance.now();
          await seed(adapter, size, 1_000);
          context.log(
            `  ${backend.name}: seeded ${size} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
          );
          // Full walk, every page timed.
          const pageMs: number[] = [];
          let cursor: string | undefined;
          let seen = 0;
          const walkStart = performance.now();
          do {
            const started = performance.now();
            const page = await adapter.listMessages!(VISITOR, { limit: pageSize, ...(cursor && { cursor }) });
            pageMs.push(performance.now() - started);
            seen += page.items.length;
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          const walkMs = performance.now() - walkStart;
          if (seen !== size)
            throw new Error(`${backend.name}: the walk returned ${seen} of ${size} messages`);
          // Drop the first pages (JIT, connection warm-up) from the per-page figure when there are enough.
          const sample = pageMs.length > samplePages ? pageMs.slice(-samplePages) : pageMs;
          addRow(context, {
            section: 'state-store',
            subject: `brevo history · ${backend.name} store · ${size.toLocaleString('en-US')} messages`,
            measure: `one page of ${pageSize} (adapter.listMessages)`,
            unit: 'ms',
            summary: summarize(sample),
            ...(backend.name === 'redis' ? { target: { op: '<=' as const, value: 2 } } : {}),
            details: `full walk: ${pageMs.length} pages in ${formatValue(walkMs, 'ms')} (${formatValue(walkMs / pageMs.length, 'ms')} per page)`,
          });
        } finally {
          await adapter.close?.();
          await store.close?.();
        }
      }
    }
    addNote(
      context,
      'state-store',
      'Before StateStore v2 (issue 12), the same page on the memory store cost 1.3 ms at 1,000 messages, ' +
        '2.6 ms at 4,000 and 14.6 ms at 16,000 (every page re-read and sorted every key): a full walk was quadratic.',
    );
  } finally {
    await redis?.close();
  }
}
