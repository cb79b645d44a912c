/**
 * 1. Send overhead: messages/s of `messenger.send` vs raw axios posting the same request (same
 * headers, keep-alive agent) vs the official SDK, at concurrency 1 and 32. The emulator runs in this
 * process; the clients run in one child process, so client and server each get a core.
 * @module
 */
import { runChild } from '../child.js';
import { addNote, addRow, type BenchContext, forEachProvider } from '../context.js';
import { PROVIDER_IDS } from '../providers/provider.js';
import { pairedRatios, summarize } from '../stats.js';
import type { SendChildInput, SendChildOutput } from './send-overhead-child.js';

const CHILD = new URL('./send-overhead-child.ts', import.meta.url);

const rate = (values: number[]) => `${Math.round(summarize(values).median)} msg/s`;

export async function sendOverhead(context: BenchContext): Promise<void> {
  const { send } = context.config;
  await forEachProvider(context, 'send', PROVIDER_IDS, async (id, { bench }) => {
    const fixture = await bench.startFixture();
    try {
      const sdk = bench.senders(fixture.target).sdk;
      const clients = ['switchboard', 'axios', ...(sdk ? ['sdk'] : [])];
      context.log(
        `  ${id}: ${clients.join(', ')} at concurrency ${send.levels.map((l) => l.concurrency).join(' and ')}`,
      );
      const { levels } = await runChild<SendChildInput, SendChildOutput>(
        CHILD,
        { provider: id, target: fixture.target, levels: send.levels, rounds: send.rounds, clients },
        { timeoutMs: 300_000 },
      );
      for (const [i, level] of send.levels.entries()) {
        const rates = levels[i]!;
        const ours = rates.switchboard!;
        const details = [`messenger.send ${rate(ours)}`, `axios ${rate(rates.axios!)}`];
        if (sdk) details.push(`${sdk.label} ${rate(rates.sdk!)}`);
        addRow(context, {
          section: 'send',
          subject: `${id} · concurrency ${level.concurrency}`,
          measure: 'messenger.send ÷ raw axios (msg/s)',
          unit: 'x',
          summary: summarize(pairedRatios(ours, rates.axios!)),
          target: { op: '>=', value: 0.85 },
          details: details.join(' · '),
        });
        if (sdk)
          addRow(context, {
            section: 'send',
            subject: `${id} · concurrency ${level.concurrency}`,
            measure: `messenger.send ÷ ${sdk.label} (msg/s)`,
            unit: 'x',
            summary: summarize(pairedRatios(ours, rates.sdk!)),
            target: { op: '>=', value: 1 },
          });
      }
    } finally {
      await fixture.close();
    }
  });
  addNote(
    context,
    'send',
    'Each run is one tinybench round in a child process (the emulator stays in the parent, so client and ' +
      'server each have a core): every client sends the same number of messages, in a rotated order, ' +
      'and the ratio is taken within the round. One tinybench iteration sends a batch through a pool of ' +
      '`concurrency` workers. Raw axios posts the identical request (same path, body and headers: ' +
      'authorization, provider headers, JSON) over a keep-alive `http.Agent` and does not validate or map ' +
      'the answer; `messenger.send` validates input, sends through the core HTTP toolkit (retry policy, ' +
      'zod validation of the answer, error mapping) and maps the answer to a `Message`.',
  );
}
