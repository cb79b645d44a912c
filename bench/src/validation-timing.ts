/**
 * `npx -y pnpm@10 --filter @switchboard/bench exec tsx --conditions=@switchboard/source src/validation-timing.ts`
 *
 * How long local validation takes to judge hostile input (issue 10, item 6): each input is passed
 * through `messenger.send` / `messenger.react` over an adapter that only counts calls, with a
 * Bluesky-like manifest (1000 graphemes) and a Brevo-like one (10 000 code points), plus Bluesky's
 * adapter (its lexicon checks run before any request; its service is an unused 127.0.0.1 port).
 * Prints the median and the worst of 25 runs per input, in ms. Target: < 10 ms.
 */
import { createBlueskyAdapter } from '@switchboard/bluesky';
import {
  type CapabilitiesInput,
  type ChatAdapter,
  createMessenger,
  defineCapabilities,
} from '@switchboard/core';

const RUNS = 25;
const manifest = (maxTextLength: number, textLengthUnit: 'graphemes' | 'code-points'): CapabilitiesInput => ({
  listConversations: false,
  getConversation: false,
  openConversation: false,
  deleteConversation: false,
  muteConversation: false,
  listMessages: false,
  getMessage: false,
  editMessage: false,
  deleteMessage: false,
  markRead: false,
  reactions: true,
  attachments: [],
  realtime: 'none',
  maxTextLength,
  textLengthUnit,
  pageSize: { min: 1, max: 100, default: 50 },
});

function messengerWith(capabilities: CapabilitiesInput) {
  let calls = 0;
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'timing',
    capabilities: defineCapabilities(capabilities),
    sendMessage: async () => {
      calls += 1;
      throw new Error('not reached for the inputs measured');
    },
    addReaction: async () => {
      calls += 1;
    },
    removeReaction: async () => {
      calls += 1;
    },
  };
  return { messenger: createMessenger(adapter), calls: () => calls };
}

const inputs: Array<[string, string]> = [
  ["1e6 × 'a'", 'a'.repeat(1_000_000)],
  ['250 000 × 👍🏽 (1e6 units)', '👍🏽'.repeat(250_000)],
  ['100 000 × family emoji', '👨‍👩‍👧‍👦'.repeat(100_000)],
  ['a + 1e6 combining marks', `a${'\u0301'.repeat(1_000_000)}`],
  ['1e6 spaces', ' '.repeat(1_000_000)],
];

async function time(run: () => Promise<unknown> | unknown): Promise<{ median: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    try {
      await run();
    } catch {
      // rejections are the expected outcome
    }
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(RUNS / 2)]!, max: samples.at(-1)! };
}

const rows: string[] = [];
const row = (what: string, input: string, t: { median: number; max: number }) =>
  rows.push(
    `${what.padEnd(34)} ${input.padEnd(28)} ${t.median.toFixed(3).padStart(8)} ${t.max.toFixed(3).padStart(8)}`,
  );

const bluesky = messengerWith(manifest(1000, 'graphemes'));
const brevo = messengerWith(manifest(10_000, 'code-points'));
const blueskyReal = createMessenger(
  createBlueskyAdapter({
    identifier: 'timing.test',
    password: 'unused',
    service: 'http://127.0.0.1:9',
    retry: false,
  }),
);
for (const [label, text] of inputs) {
  row('send, 1000 graphemes', label, await time(() => bluesky.messenger.send('c1', text)));
  row('send, 10 000 code points', label, await time(() => brevo.messenger.send('c1', text)));
  row('react (core checks)', label, await time(() => bluesky.messenger.react('c1', 'm1', text)));
  row('bluesky adapter: send', label, await time(() => blueskyReal.send('c1', text)));
  row('bluesky adapter: react', label, await time(() => blueskyReal.react('c1', 'm1', text)));
}
console.log(
  `${'check'.padEnd(34)} ${'input'.padEnd(28)} ${'median'.padStart(8)} ${'max'.padStart(8)}  (ms, ${RUNS} runs)`,
);
for (const line of rows) console.log(line);
console.log(
  `calls that reached the counting adapters: ${bluesky.calls() + brevo.calls()} (reactions pass core: each adapter checks its own)`,
);
await blueskyReal.close();
