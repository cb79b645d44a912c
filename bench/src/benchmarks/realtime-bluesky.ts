/**
 * Realtime latency over Bluesky `getLog` polling: a peer (in the emulator's process, no HTTP) sends
 * messages spread over several conversations; we time peer send → the messenger's `'message'`
 * event, and, in the same run on the same messages, → a raw axios `getLog` poller with the same
 * interval (the baseline). The emulator's fault kit counts the getLog requests.
 * @module
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config.js';
import {
  type BlueskyFixture,
  blueskyMessenger,
  blueskyRawClient,
  startBlueskyFixture,
} from '../providers/bluesky.js';
import { seededRandom } from '../random.js';
import { createLatencyRecorder } from './latency-recorder.js';

export interface BlueskyRealtimeRun {
  /** Latencies of the messenger's `'message'` events, ms, in send order (NaN: not delivered). */
  ours: number[];
  /** Latencies of the raw poller, ms. */
  raw: number[];
  /** getLog requests per poll interval while idle (messenger only). */
  idlePerTick: number;
  /** getLog requests per poll interval while messages flow (messenger only). */
  busyPerTick: number;
  /** Messages delivered more than once to the messenger. */
  duplicates: number;
}

const GET_LOG = '/xrpc/chat.bsky.convo.getLog';

/** getLog requests the emulator has seen since its stats were last reset (the kit keeps the last 1,000). */
const countGetLogs = (fixture: BlueskyFixture) =>
  fixture.faults.requests.filter((r) => r.path === GET_LOG).length;

/** A raw getLog poller: one request per interval with the cursor, reports new messages' texts. */
function startRawPoller(
  client: Awaited<ReturnType<typeof blueskyRawClient>>['client'],
  intervalMs: number,
  onText: (text: string) => void,
) {
  const controller = new AbortController();
  let requests = 0;
  const fetchLog = async (cursor: string | undefined) => {
    requests++;
    const response = await client.get<{
      cursor?: string;
      logs: Array<{ $type: string; rev: string; message?: { text?: string } }>;
    }>(GET_LOG, { params: cursor === undefined ? {} : { cursor }, signal: controller.signal });
    return response.data;
  };
  const done = (async () => {
    let cursor = (await fetchLog(undefined)).cursor;
    while (!controller.signal.aborted) {
      await sleep(intervalMs, undefined, { signal: controller.signal }).catch(() => undefined);
      if (controller.signal.aborted) break;
      const page = await fetchLog(cursor).catch(() => undefined);
      if (!page) continue;
      for (const log of page.logs) {
        if (cursor !== undefined && log.rev <= cursor) continue;
        cursor = log.rev;
        if (log.$type === 'chat.bsky.convo.defs#logCreateMessage' && log.message?.text)
          onText(log.message.text);
      }
      if (page.cursor && (cursor === undefined || page.cursor > cursor)) cursor = page.cursor;
    }
  })();
  return {
    get requests() {
      return requests;
    },
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}

export async function blueskyRealtimeRun(
  config: BenchConfig['realtime'],
  run: number,
): Promise<BlueskyRealtimeRun> {
  const { messages, pollIntervalMs: intervalMs, conversations, idleTicks } = config;
  const fixture = await startBlueskyFixture({ extraPeers: conversations });
  const messenger = await blueskyMessenger(fixture.target, intervalMs);
  const raw = await blueskyRawClient(fixture.target);
  const latencies = createLatencyRecorder(messenger);
  const poller = startRawPoller(raw.client, intervalMs, latencies.rawSaw);
  try {
    await messenger.start();

    // Idle: requests per interval over `idleTicks` intervals, from just after one of our polls.
    await sleep(intervalMs * 1.5);
    fixture.faults.resetStats();
    const idleStartRaw = poller.requests;
    await sleep(intervalMs * idleTicks);
    const idlePerTick = (countGetLogs(fixture) - (poller.requests - idleStartRaw)) / idleTicks;

    // Busy: peers send `messages` messages spread over the conversations at random gaps.
    const random = seededRandom(0xb1e5 + run);
    const peers = fixture.peers.map((peer) => ({
      convoId: peer.convoId,
      as: fixture.emulator.as(peer.handle),
    }));
    const meanGapMs = 25;
    const busyStart = performance.now();
    fixture.faults.resetStats();
    const busyStartRaw = poller.requests;
    for (let i = 0; i < messages; i++) {
      await sleep(random() * 2 * meanGapMs);
      const peer = peers[i % peers.length]!;
      const text = `realtime ${run} message ${i}`;
      latencies.sent(text);
      peer.as.sendMessage(peer.convoId, text);
    }
    // Let the last messages arrive (two intervals and a bit).
    const deadline = performance.now() + intervalMs * 2 + 500;
    while (performance.now() < deadline && !latencies.allSeen(latencies.texts())) await sleep(10);
    const busyMs = performance.now() - busyStart;
    const busyPerTick = (countGetLogs(fixture) - (poller.requests - busyStartRaw)) / (busyMs / intervalMs);

    return { ...latencies.result(latencies.texts()), idlePerTick, busyPerTick };
  } finally {
    await poller.stop();
    await messenger.close();
    await raw.close();
    await fixture.close();
  }
}
