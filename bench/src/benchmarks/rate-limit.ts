/**
 * 3. Rate limit: the emulator allows N requests per window, announced with the provider's own
 * headers (the fault kit's window limiter); `messenger.send` sends M messages one after another.
 * Reported: achieved rate ÷ allowed rate, 429s received (the kit counts them), and messages lost and
 * duplicated, checked against the emulator's stored history. Providers run side by side (the runs
 * are mostly waiting for windows), each run on a fresh emulator.
 * @module
 */
import { addNote, addRow, type BenchContext, forEachProvider } from '../context.js';
import { messageText, type ProviderBench } from '../providers/provider.js';
import { formatValue } from '../report.js';
import { summarize } from '../stats.js';
import { runBatch } from './run-batch.js';

interface RateLimitRun {
  /** Wall time of the M sends, ms. */
  ms: number;
  /** Shortest possible time for M sends under the limit, ms (see the note). */
  idealMs: number;
  requests: number;
  rateLimited: number;
  failedSends: number;
  lost: number;
  duplicated: number;
}

async function rateLimitRun(
  bench: ProviderBench<never>,
  run: number,
  context: BenchContext,
): Promise<RateLimitRun> {
  const { messages, limit, windowMs, concurrency } = context.config.rateLimit;
  const fixture = await bench.startFixture();
  const messenger = await bench.messenger(fixture.target);
  const conversationId = bench.conversationId(fixture.target);
  try {
    // Baseline of the same run: the time the same client needs for N sends without a limit.
    const burstStart = performance.now();
    await runBatch(
      async (i) => {
        await messenger.send(conversationId, messageText(`warm${run}`, i));
      },
      limit,
      concurrency,
      0,
    );
    const burstMs = performance.now() - burstStart;

    fixture.faults.setRateLimit({ limit, windowMs });
    fixture.faults.resetStats();
    const tag = `rate${run}`;
    let failedSends = 0;
    const t0 = performance.now();
    await runBatch(
      async (i) => {
        try {
          await messenger.send(conversationId, messageText(tag, i));
        } catch {
          failedSends++;
        }
      },
      messages,
      concurrency,
      0,
    );
    const ms = performance.now() - t0;
    const requests = fixture.faults.requestCount;
    const rateLimited = fixture.faults.rateLimitedCount;
    fixture.faults.setRateLimit(undefined);

    const stored = (await bench.storedTexts(fixture)).filter((text) => text.startsWith(`${tag} `));
    const distinct = new Set(stored);
    const windows = Math.ceil(messages / limit);
    const lastBurst = messages - (windows - 1) * limit;
    return {
      ms,
      idealMs: (windows - 1) * windowMs + (burstMs * lastBurst) / limit,
      requests,
      rateLimited,
      failedSends,
      lost: messages - distinct.size,
      duplicated: stored.length - distinct.size,
    };
  } finally {
    await messenger.close();
    await fixture.close();
  }
}

export async function rateLimit(context: BenchContext): Promise<void> {
  const { runs, messages, limit, windowMs, concurrency } = context.config.rateLimit;
  const jobs: Promise<void>[] = [];
  await forEachProvider(
    context,
    'rate-limit',
    ['bluesky', 'chats-api', 'brevo', 'aurora'],
    async (id, { bench }) => {
      context.log(`  ${id}: ${runs} runs of ${messages} messages at ${limit} per ${windowMs} ms`);
      jobs.push(
        (async () => {
          const results: RateLimitRun[] = [];
          try {
            for (let run = 0; run < runs; run++) results.push(await rateLimitRun(bench, run, context));
          } catch (error) {
            const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
            context.report.failures.push({
              section: 'rate-limit',
              subject: id,
              error: message.split('\n').slice(0, 6).join(' ⏎ '),
            });
            context.log(`  FAILED ${id}: ${message}`);
            return;
          }
          const subject = `${id} · ${messages} sends, ${limit} per ${windowMs / 1000} s`;
          const allowed = (limit / windowMs) * 1000;
          /** Window boundaries a run must wait through. */
          const boundaries = Math.max(1, Math.ceil(messages / limit) - 1);
          const achieved = results.map((r) => (messages / r.ms) * 1000);
          addRow(context, {
            section: 'rate-limit',
            subject,
            measure: 'achieved ÷ allowed rate',
            unit: 'x',
            summary: summarize(results.map((r) => r.idealMs / r.ms)),
            target: { op: '>=', value: 0.9 },
            details:
              `${summarize(achieved).median.toFixed(1)} msg/s ` +
              `(allowed ${allowed.toFixed(1)}/s), ${formatValue(summarize(results.map((r) => r.ms)).median, 'ms')} ` +
              `vs ideal ${formatValue(summarize(results.map((r) => r.idealMs)).median, 'ms')}; lost per window ` +
              formatValue(summarize(results.map((r) => (r.ms - r.idealMs) / boundaries)).median, 'ms'),
          });
          addRow(context, {
            section: 'rate-limit',
            subject,
            measure: '429s received, % of requests',
            unit: 'percent',
            summary: summarize(results.map((r) => (100 * r.rateLimited) / r.requests)),
            target: { op: '<=', value: 5 },
            details: `429s per run: ${results.map((r) => `${r.rateLimited}/${r.requests}`).join(', ')}`,
          });
          addRow(context, {
            section: 'rate-limit',
            subject,
            measure: 'messages lost',
            unit: 'count',
            summary: summarize(results.map((r) => r.lost)),
            target: { op: '<=', value: 0 },
            details: `failed sends per run: ${results.map((r) => r.failedSends).join(', ')}`,
          });
          addRow(context, {
            section: 'rate-limit',
            subject,
            measure: 'messages duplicated',
            unit: 'count',
            summary: summarize(results.map((r) => r.duplicated)),
            target: { op: '<=', value: 0 },
          });
        })(),
      );
    },
  );
  await Promise.all(jobs);
  addNote(
    context,
    'rate-limit',
    `Each run starts a fresh emulator, logs in, and first sends N = ${limit} messages without a limit ` +
      "(the burst time B, the baseline of that run). Then the fault kit's window limiter allows N " +
      `requests per ${windowMs} ms window with the provider's own headers (Bluesky \`RateLimit-*\` with ` +
      'the reset in epoch seconds and `Retry-After` on 429s, Brevo `x-sib-ratelimit-*`, Aurora ' +
      `Fastify-style \`x-ratelimit-*\`), and the messenger sends M = ${messages} messages ` +
      `${concurrency === 1 ? 'one after another (each `await`ed)' : `with ${concurrency} in flight`}. ` +
      'Windows start at the first request after the previous window ended, so the fastest possible ' +
      'client needs T_ideal = (⌈M/N⌉ − 1) × window + B × (requests in the last window)/N; ' +
      '"achieved ÷ allowed rate" is T_ideal ÷ the measured time (1.0 = the limit fully used). 429s ' +
      'are counted by the emulator (`faults.rateLimitedCount`) over every request of the timed phase; ' +
      "lost and duplicated messages are counted in the emulator's stored conversation after the run. " +
      'The providers run concurrently (each run is mostly waiting for its windows).',
  );
}
