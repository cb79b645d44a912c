/**
 * 4. Realtime latency: peer sends → our `'message'` event, p50/p95 per run over the configured
 * number of messages, median over runs. Bluesky: getLog polling (target p95 ≤ poll interval +
 * 100 ms, and one getLog per tick whatever the number of conversations). chats-api: WebSocket
 * (target p95 ≤ 50 ms). Each is compared with a raw client on the same messages in the same run.
 * @module
 */
import { addNote, addRow, type BenchContext, forEachProvider } from '../context.js';
import { formatValue } from '../report.js';
import { pairedRatios, percentile, summarize } from '../stats.js';
import { blueskyRealtimeRun } from './realtime-bluesky.js';
import { chatsApiRealtimeRun } from './realtime-chats-api.js';

/** p50 and p95 of the delivered latencies, and how many were not delivered. */
function latencyStats(latencies: number[]) {
  const delivered = latencies.filter((l) => Number.isFinite(l));
  if (delivered.length === 0) return { p50: Number.NaN, p95: Number.NaN, missing: latencies.length };
  return {
    p50: percentile(delivered, 50),
    p95: percentile(delivered, 95),
    missing: latencies.length - delivered.length,
  };
}

/** What one provider's runs give: per run, the latencies seen by us and by the raw client. */
interface LatencyRuns {
  runs: Array<{ ours: number[]; raw: number[]; duplicates: number }>;
  provider: string;
  subject: string;
  /** The raw client's name in the table. */
  baseline: string;
  targetP95Ms: number;
}

/** The p95 row (with p50 and delivery counts), the ratio to the raw client, and failures if any message was lost or doubled. */
function addLatencyRows(
  context: BenchContext,
  { runs, provider, subject, baseline, targetP95Ms }: LatencyRuns,
) {
  const messages = context.config.realtime.messages;
  const ours = runs.map((r) => latencyStats(r.ours));
  const raw = runs.map((r) => latencyStats(r.raw));
  const missing = ours.reduce((sum, s) => sum + s.missing, 0);
  const duplicates = runs.reduce((sum, r) => sum + r.duplicates, 0);
  const median = (values: number[]) => formatValue(summarize(values).median, 'ms');
  addRow(context, {
    section: 'realtime',
    subject,
    measure: `p95 latency (${messages} messages per run)`,
    unit: 'ms',
    summary: summarize(ours.map((s) => s.p95)),
    target: { op: '<=', value: targetP95Ms },
    details:
      `p50 ${median(ours.map((s) => s.p50))}; ${baseline} p95 ${median(raw.map((s) => s.p95))}, ` +
      `p50 ${median(raw.map((s) => s.p50))}; undelivered ${missing}, duplicated ${duplicates}`,
  });
  addRow(context, {
    section: 'realtime',
    subject,
    measure: `p95 latency ÷ ${baseline}`,
    unit: 'x',
    summary: summarize(
      pairedRatios(
        ours.map((s) => s.p95),
        raw.map((s) => s.p95),
      ),
    ),
  });
  if (missing > 0 || duplicates > 0)
    context.report.failures.push({
      section: 'realtime',
      subject: provider,
      error: `${missing} message(s) not delivered, ${duplicates} delivered twice`,
    });
}

export async function realtimeLatency(context: BenchContext): Promise<void> {
  const config = context.config.realtime;
  await forEachProvider(context, 'realtime', ['bluesky'], async () => {
    const runs = [];
    for (let run = 0; run < config.runs; run++) runs.push(await blueskyRealtimeRun(config, run));
    const subject = `bluesky · getLog polling every ${config.pollIntervalMs} ms, ${config.conversations} conversations`;
    addLatencyRows(context, {
      runs,
      provider: 'bluesky',
      subject,
      baseline: 'raw getLog poller',
      targetP95Ms: config.pollIntervalMs + 100,
    });
    addRow(context, {
      section: 'realtime',
      subject,
      measure: 'getLog requests per poll interval, idle',
      unit: 'per-tick',
      summary: summarize(runs.map((r) => r.idlePerTick)),
      target: { op: '<=', value: 1 },
    });
    addRow(context, {
      section: 'realtime',
      subject,
      measure: 'getLog requests per poll interval, messages flowing',
      unit: 'per-tick',
      summary: summarize(runs.map((r) => r.busyPerTick)),
      details: 'includes the immediate re-poll after a non-empty answer (spec §4.4)',
    });
  });
  await forEachProvider(context, 'realtime', ['chats-api'], async () => {
    const runs = [];
    for (let run = 0; run < config.runs; run++) runs.push(await chatsApiRealtimeRun(config, run));
    addLatencyRows(context, {
      runs,
      provider: 'chats-api',
      subject: `chats-api · WebSocket, ${config.conversations} conversations`,
      baseline: 'raw ws client',
      targetP95Ms: 50,
    });
  });
  addNote(
    context,
    'realtime',
    'chats-api: the same shape over the `/ws` WebSocket: peers send over their own sockets (the server ' +
      'broadcasts WebSocket sends; REST sends are not broadcast), one warm-up message per conversation ' +
      'first, then the timed messages; the baseline is a raw `ws` client subscribed to the same chats.',
  );
  addNote(
    context,
    'realtime',
    `Bluesky: ${config.conversations} peers each have a conversation with us; they send ${config.messages} ` +
      'messages per run, round-robin over the conversations, at random gaps (uniform 0–50 ms, seeded), ' +
      "in the emulator's process (no HTTP). Latency = the peer's send → our `'message'` event. In the " +
      'same run a raw axios poller (one `getLog` with the cursor per interval) sees the same messages: ' +
      "its latency is the baseline. getLog requests are counted by the emulator's fault kit " +
      '(`faults.requests`), minus the raw poller\'s own. "Idle" counts over ' +
      `${config.idleTicks} intervals with no traffic.`,
  );
}
