/**
 * Child process of the batch-send benchmark: sends the same messages to the parent's emulators once
 * one by one (`messenger.send`, a pool of `concurrency` workers) and once with `messenger.sendBatch`,
 * each against its own fresh emulator, and reports the wall time of each.
 */
import type { SendBatchItem } from '@switchboard/core';
import { serveChild } from '../child.js';
import { type BlueskyTarget, blueskyMessenger } from '../providers/bluesky.js';
import { messageText } from '../providers/provider.js';
import { runBatch } from './run-batch.js';

export interface BatchChildInput {
  /** One fresh emulator per client: `oneByOne` and `batch`. */
  targets: { oneByOne: BlueskyTarget; batch: BlueskyTarget };
  /** The conversations of each target (same order), messages go round-robin over them. */
  conversations: { oneByOne: string[]; batch: string[] };
  messages: number;
  concurrency: number;
  /** Which client goes first this round (rotated by the parent). */
  batchFirst: boolean;
}

export interface BatchChildOutput {
  /** Wall time in ms to send every message. */
  oneByOneMs: number;
  batchMs: number;
  /** Items `sendBatch` reported as failed (must be 0). */
  batchFailed: number;
}

serveChild<BatchChildInput, BatchChildOutput>(async (input) => {
  const oneByOne = await blueskyMessenger(input.targets.oneByOne);
  const batch = await blueskyMessenger(input.targets.batch);
  const text = (i: number) => messageText('batch-bench', i);
  try {
    const runOneByOne = async () => {
      const convos = input.conversations.oneByOne;
      const start = performance.now();
      await runBatch(
        async (i) => {
          await oneByOne.send(convos[i % convos.length]!, text(i));
        },
        input.messages,
        input.concurrency,
        0,
      );
      return performance.now() - start;
    };
    const runBatchSend = async () => {
      const convos = input.conversations.batch;
      const items: SendBatchItem[] = Array.from({ length: input.messages }, (_, i) => ({
        conversationId: convos[i % convos.length]!,
        message: text(i),
      }));
      const start = performance.now();
      const results = await batch.sendBatch(items);
      return { ms: performance.now() - start, failed: results.filter((r) => r.status === 'failed').length };
    };
    if (input.batchFirst) {
      const b = await runBatchSend();
      const o = await runOneByOne();
      return { oneByOneMs: o, batchMs: b.ms, batchFailed: b.failed };
    }
    const o = await runOneByOne();
    const b = await runBatchSend();
    return { oneByOneMs: o, batchMs: b.ms, batchFailed: b.failed };
  } finally {
    await oneByOne.close();
    await batch.close();
  }
});
