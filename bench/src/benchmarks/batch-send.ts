/**
 * Batch send: 1,000 messages to 10 Bluesky conversations through `messenger.sendBatch`
 * (`chat.bsky.convo.sendMessageBatch`, 100 per call) vs one by one through `messenger.send` at
 * concurrency 32. The emulators run in this process, the clients in a child process.
 * @module
 */
import { runChild } from '../child.js';
import { addNote, addRow, type BenchContext, forEachProvider } from '../context.js';
import { type BlueskyFixture, startBlueskyFixture } from '../providers/bluesky.js';
import { summarize } from '../stats.js';
import type { BatchChildInput, BatchChildOutput } from './batch-send-child.js';

const CHILD = new URL('./batch-send-child.ts', import.meta.url);

const rate = (messages: number, ms: number) => (messages / ms) * 1000;

export async function batchSend(context: BenchContext): Promise<void> {
  const { runs, messages, conversations, concurrency } = context.config.batch;
  await forEachProvider(context, 'batch', ['bluesky'], async () => {
    const ratios: number[] = [];
    const oneRates: number[] = [];
    const batchRates: number[] = [];
    let lost = 0;
    for (let run = 0; run < runs; run++) {
      const fixtures: BlueskyFixture[] = [];
      try {
        // A fresh emulator per client and run, with `conversations` conversations each.
        const oneByOne = await startBlueskyFixture({ extraPeers: conversations });
        fixtures.push(oneByOne);
        const batch = await startBlueskyFixture({ extraPeers: conversations });
        fixtures.push(batch);
        const input: BatchChildInput = {
          targets: { oneByOne: oneByOne.target, batch: batch.target },
          conversations: {
            oneByOne: oneByOne.peers.map((p) => p.convoId),
            batch: batch.peers.map((p) => p.convoId),
          },
          messages,
          concurrency,
          batchFirst: run % 2 === 1,
        };
        const result = await runChild<BatchChildInput, BatchChildOutput>(CHILD, input, {
          timeoutMs: 300_000,
        });
        if (result.batchFailed > 0) throw new Error(`sendBatch reported ${result.batchFailed} failed items`);
        // Every message stored exactly once, by both clients.
        for (const fixture of fixtures) lost += Math.abs(fixture.emulator.stats().messages - messages);
        oneRates.push(rate(messages, result.oneByOneMs));
        batchRates.push(rate(messages, result.batchMs));
        ratios.push(result.oneByOneMs / result.batchMs);
        context.log(
          `  run ${run + 1}/${runs}: one by one ${Math.round(result.oneByOneMs)} ms, batch ${Math.round(result.batchMs)} ms`,
        );
      } finally {
        for (const fixture of fixtures) await fixture.close();
      }
    }
    addRow(context, {
      section: 'batch',
      subject: `bluesky · ${messages} messages to ${conversations} conversations`,
      measure: `messenger.sendBatch ÷ messenger.send at concurrency ${concurrency} (msg/s)`,
      unit: 'x',
      summary: summarize(ratios),
      target: { op: '>=', value: 3 },
      details:
        `sendBatch ${Math.round(summarize(batchRates).median)} msg/s · ` +
        `send ${Math.round(summarize(oneRates).median)} msg/s`,
    });
    addRow(context, {
      section: 'batch',
      subject: `bluesky · ${messages} messages, both clients`,
      measure: 'messages lost or duplicated (emulator count)',
      unit: 'count',
      summary: summarize([lost]),
      target: { op: '<=', value: 0 },
    });
  });
  addNote(
    context,
    'batch',
    'Each run starts two fresh emulators, each with 10 conversations (direct ones, one per peer). In one child process, ' +
      '`messenger.send` sends the messages round-robin over the conversations through a pool of 32 workers, ' +
      'and `messenger.sendBatch` sends the same list, which it splits into calls of `maxBatchSize` (100) ' +
      'made one after the other. The order of the two alternates from run to run. The ratio is the wall time of ' +
      'the one-by-one sends ÷ the wall time of the batch send, in the same run. Logging in happens before the clock starts. ' +
      "Afterwards the emulator's own message count must equal the number sent. `sendMessageBatch` is all-or-nothing, " +
      'and an unknown outcome is never retried (see docs/adapters/bluesky.md).',
  );
}
