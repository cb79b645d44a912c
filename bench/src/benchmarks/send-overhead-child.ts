/**
 * Child process of the send benchmark: builds the clients under test against the parent's emulator
 * and measures each with tinybench, round after round (task order rotated every round, a fresh
 * emulator per client and round), so the clients share the same conditions. One task iteration sends a batch of messages at the given
 * concurrency; each client sends for the same time per round (tinybench `time`); messages/s of a
 * round = messages sent ÷ time tinybench measured.
 */
import { Bench } from 'tinybench';
import { serveChild } from '../child.js';
import type { ProviderId, Sender } from '../providers/provider.js';
import { loadProvider } from '../providers/registry.js';
import { runBatch } from './run-batch.js';

export interface SendChildInput {
  provider: ProviderId;
  /**
   * A fresh emulator for every client in every round of every level (`targets[level][round][client]`,
   * clients in the order of `clients`): no client measures a store grown by the clients or rounds
   * before it (some emulators slow down as their conversations grow).
   */
  targets: unknown[][][];
  /** Concurrency levels: messages per tinybench iteration, minimum iterations and time per round (ms). */
  levels: Array<{ concurrency: number; batch: number; iterations: number; timeMs: number }>;
  rounds: number;
  /** Client labels to measure (`switchboard`, `axios`, `sdk`). */
  clients: string[];
}

export interface SendChildOutput {
  /** Per level (same order as the input): messages per second, one value per round, by client label. */
  levels: Array<Record<string, number[]>>;
  /** Process warnings emitted while measuring (e.g. `MaxListenersExceededWarning`), deduplicated. */
  warnings: string[];
}

serveChild<SendChildInput, SendChildOutput>(async (input) => {
  const warnings = new Set<string>();
  process.on('warning', (warning) => warnings.add(`${warning.name}: ${warning.message}`));
  const available = await loadProvider(input.provider);
  if (!available.ok) throw new Error(available.reason);
  const createSenders = async (targets: unknown[]) => {
    const senders: Record<string, Sender> = {};
    for (const [i, label] of input.clients.entries()) {
      const factories = available.bench.senders(targets[i] as never);
      if (label === 'switchboard') senders[label] = await factories.switchboard();
      else if (label === 'axios') senders[label] = await factories.axios();
      else if (label === 'sdk' && factories.sdk) senders[label] = await factories.sdk.create();
      else throw new Error(`no client '${label}' for ${input.provider}`);
    }
    return senders;
  };
  const levels: Array<Record<string, number[]>> = [];
  let offset = 0;
  for (const [levelIndex, level] of input.levels.entries()) {
    const rates: Record<string, number[]> = Object.fromEntries(input.clients.map((label) => [label, []]));
    for (let round = 0; round < input.rounds; round++) {
      // Logging in happens here, outside the timed part.
      const senders = await createSenders(input.targets[levelIndex]![round]!);
      try {
        const bench = new Bench({
          iterations: level.iterations,
          time: level.timeMs,
          warmup: true,
          warmupIterations: 2,
          warmupTime: 0,
          throws: true,
        });
        const order = input.clients.map((_, i) => input.clients[(i + round) % input.clients.length]!);
        for (const label of order) {
          const sender = senders[label]!;
          bench.add(label, async () => {
            const start = offset;
            offset += level.batch;
            await runBatch(sender.send, level.batch, level.concurrency, start);
          });
        }
        await bench.run();
        for (const task of bench.tasks) {
          const result = task.result;
          if (!result || result.error || !('totalTime' in result))
            throw result?.error ?? new Error(`${task.name}: no result`);
          rates[task.name]!.push((level.batch * task.runs) / (result.totalTime / 1000));
        }
      } finally {
        for (const sender of Object.values(senders)) await sender.close();
      }
    }
    levels.push(rates);
  }
  return { levels, warnings: [...warnings] };
});
