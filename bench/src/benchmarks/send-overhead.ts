/**
 * 1. Send overhead: messages/s of `messenger.send` vs raw axios posting the same request (same
 * headers, keep-alive agent) vs the official SDK, at concurrency 1 and 32. The emulator runs in this
 * process; the clients run in one child process, so client and server each get a core.
 * @module
 */
import { runChild } from '../child.js';
import { addNote, addRow, type BenchContext, forEachProvider } from '../context.js';
import {
  type EmulatorFixture,
  messageText,
  PROVIDER_IDS,
  type ProviderBench,
} from '../providers/provider.js';
import { pairedRatios, summarize } from '../stats.js';
import type { SendChildInput, SendChildOutput } from './send-overhead-child.js';

const CHILD = new URL('./send-overhead-child.ts', import.meta.url);

/** Sends in flight at once into one conversation, for the correctness probe. */
const SAME_CONVERSATION = 32;

/**
 * Correctness probe (not timed): `SAME_CONVERSATION` sends at once into ONE conversation, then the
 * emulator's stored history tells whether a rejected send was in fact stored (an ambiguous failure
 * an app would retry into a duplicate).
 */
async function concurrentSendsProbe(
  context: BenchContext,
  id: string,
  bench: ProviderBench<never>,
  fixture: EmulatorFixture<never>,
): Promise<void> {
  const messenger = await bench.messenger(fixture.target);
  const conversationId = bench.conversationId(fixture.target);
  const errors: string[] = [];
  try {
    const results = await Promise.allSettled(
      Array.from({ length: SAME_CONVERSATION }, (_, i) =>
        messenger.send(conversationId, messageText('same-conversation', i)),
      ),
    );
    for (const result of results)
      if (result.status === 'rejected') errors.push(String(result.reason).split('\n')[0]!.slice(0, 160));
  } finally {
    await messenger.close();
  }
  const stored = new Set(
    (await bench.storedTexts(fixture)).filter((t) => t.startsWith('same-conversation ')),
  );
  addRow(context, {
    section: 'send',
    subject: `${id} · ${SAME_CONVERSATION} sends at once, one conversation`,
    measure: 'sends rejected (correctness probe, not timed)',
    unit: 'count',
    summary: summarize([errors.length]),
    target: { op: '<=', value: 0 },
    details:
      `${stored.size} of ${SAME_CONVERSATION} stored by the emulator` +
      (errors.length > 0 ? `; first error: ${errors[0]}` : ''),
  });
}

const rate = (values: number[]) => `${Math.round(summarize(values).median)} msg/s`;

export async function sendOverhead(context: BenchContext): Promise<void> {
  const { send } = context.config;
  await forEachProvider(context, 'send', PROVIDER_IDS, async (id, { bench }) => {
    const fixture = await bench.startFixture();
    const roundFixtures: EmulatorFixture<never>[] = [];
    try {
      const sdk = bench.senders(fixture.target).sdk;
      const clients = ['switchboard', 'axios', ...(sdk ? ['sdk'] : [])];
      // A fresh emulator for every client of every round: nobody measures a store grown by the others.
      const targets: unknown[][][] = [];
      for (const _level of send.levels) {
        const rounds: unknown[][] = [];
        for (let round = 0; round < send.rounds; round++) {
          const perClient: unknown[] = [];
          for (const _client of clients) {
            const roundFixture = await bench.startFixture();
            roundFixtures.push(roundFixture);
            perClient.push(roundFixture.target);
          }
          rounds.push(perClient);
        }
        targets.push(rounds);
      }
      context.log(
        `  ${id}: ${clients.join(', ')} at concurrency ${send.levels.map((l) => l.concurrency).join(' and ')}`,
      );
      const { levels, warnings } = await runChild<SendChildInput, SendChildOutput>(
        CHILD,
        { provider: id, targets, levels: send.levels, rounds: send.rounds, clients },
        { timeoutMs: 300_000 },
      );
      const axiosMedians = levels.map((rates) => summarize(rates.axios!).median);
      if (id === 'brevo' && axiosMedians.length > 1 && axiosMedians.at(-1)! < axiosMedians[0]!)
        addNote(
          context,
          'send',
          'Brevo: raw axios is slower at concurrency 32 than at 1 — the emulator slows down as the ' +
            'conversation grows. Every agent send builds a `conversationFragment` webhook payload (even ' +
            'with no webhook configured) whose `conversationAgents` copies and filters every message of the ' +
            'account (`state.messages()` in packages/emulators/src/brevo/brevo-state.ts), O(messages) per ' +
            "send: a profile of 6,000 sends puts 50 % of the emulator's time in `conversationAgents` and " +
            'that filter, and throughput fell from ~1,100 to ~450 msg/s. All clients pay it alike, so the ' +
            'ratios stand. Proposed fix (emulator): index messages per visitor (and agents per ' +
            'conversation), and build webhook payloads only when a webhook URL is set.',
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
      if (warnings.length > 0)
        addNote(
          context,
          'send',
          `Warnings printed by the ${id} clients while measuring: ${warnings.map((w) => `\`${w}\``).join('; ')}.` +
            (id === 'aurora' && warnings.some((w) => w.startsWith('MaxListenersExceededWarning'))
              ? ' Cause (`--trace-warnings`): the Aurora adapter passes one adapter-lifetime signal ' +
                '(`closing.signal`, packages/aurora/src/aurora-adapter.ts) to every request, and axios adds an ' +
                'abort listener to it per request in flight; past 10 concurrent sends Node warns. Harmless, but ' +
                'an app sees it. Proposed fix: `events.setMaxListeners(0, closing.signal)` where it is created.'
              : ''),
        );
      await concurrentSendsProbe(context, id, bench, fixture);
    } finally {
      await fixture.close();
      for (const roundFixture of roundFixtures) await roundFixture.close();
    }
  });
  addNote(
    context,
    'send',
    'Each run is one tinybench round in a child process (the emulator stays in the parent, so client and ' +
      'server each have a core), each client against its own fresh emulator in every round (some ' +
      'emulators slow down as a conversation grows, which would penalise whoever goes last): every ' +
      'client sends for the same ' +
      'time (tinybench `time`, after a short warm-up), in an order rotated every round, and the ratio is ' +
      'taken within the round. One ' +
      'tinybench iteration sends a batch through a pool of `concurrency` workers. Raw axios posts the identical request (same path, body and headers: ' +
      'authorization, provider headers, JSON) over a keep-alive `http.Agent` and does not validate or map ' +
      'the answer; `messenger.send` validates input, sends through the core HTTP toolkit (retry policy, ' +
      'zod validation of the answer, error mapping) and maps the answer to a `Message`. Official SDKs: ' +
      "`@atproto/api` `AtpAgent` with `withProxy('bsky_chat', 'did:web:api.bsky.chat')`, " +
      '`@getbrevo/brevo` `BrevoClient`. Aurora: each send streams the AI reply, and both clients read it ' +
      'to its end; a chat with an AI character is turn-based, so message i goes to chat i mod 32 (at ' +
      'concurrency 32 every send in flight has its own chat). The probe row sends 32 messages at once ' +
      "into one conversation and checks the emulator's stored history.",
  );
}
