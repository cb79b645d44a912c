/**
 * Child process of the send benchmark: builds the clients under test against the parent's emulator
 * and measures each with tinybench, round after round (task order rotated every round), so the
 * clients share the same conditions. One task iteration sends a batch of messages at the given
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
  target: unknown;
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
  const factories = available.bench.senders(input.target as never);
  const senders: Record<string, Sender> = {};
  for (const label of input.clients) {
    if (label === 'switchboard') senders[label] = await factories.switchboard();
    else if (label === 'axios') senders[label] = await factories.axios();
    else if (label === 'sdk' && factories.sdk) senders[label] = await factories.sdk.create();
    else throw new Error(`no client '${label}' for ${input.provider}`);
  }
  const levels: Array<Record<string, number[]>> = [];
  let offset = 0;
  try {
    for (const level of input.levels) {
      const rates: Record<string, number[]> = Object.fromEntries(input.clients.map((label) => [label, []]));
      for (let round = 0; round < input.rounds; round++) {
        const bench = new Bench({
          iterations: level.iterations,
          time: level.timeMs,
          warmup: round === 0,
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
      }
      levels.push(rates);
    }
  } finally {
    for (const sender of Object.values(senders)) await sender.close();
  }
  return { levels, warnings: [...warnings] };
});
