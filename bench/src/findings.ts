/**
 * Why a target was missed: the analysis behind each known miss (profiles taken with
 * `pnpm bench --only=<section> --cpu-prof` and `src/profile-summary.ts`, and request traces). The
 * report prints the explanation under every row that misses its target in that run; a miss without
 * one gets a pointer to the profiling command. Explanations name the cause and a proposed fix; the
 * code they point at belongs to the adapters, core and emulators, not to the benchmark.
 * @module
 */
import type { ResultRow } from './report.js';

export interface Finding {
  /** Whether this explanation is about `row`. */
  matches(row: ResultRow): boolean;
  /** Markdown: cause, evidence, proposed fix. */
  text: string;
}

const is = (section: ResultRow['section'], subject: RegExp, measure: RegExp) => (row: ResultRow) =>
  row.section === section && subject.test(row.subject) && measure.test(row.measure);

export const FINDINGS: Finding[] = [
  {
    matches: is('send', /^aurora · concurrency/, /raw axios/),
    text:
      '**Aurora send: two requests per message.** `messenger.send` posts the message, reads the ' +
      'streamed reply, then reads the newest messages back (`GET /messages`, `readBack` in ' +
      'packages/aurora/src/aurora-reply.ts) to learn the ids of the stored turn and reply; the raw ' +
      'client does only the first request. The rate-limit run confirms it: 1,000 requests for 500 ' +
      'sends. The client CPU profile is ~45 % idle (waiting for the second round trip); the adapter ' +
      'itself is < 2 % of the samples. Proposed fix: resolve `send` without waiting for the read-back ' +
      '(ids filled in lazily, or one read-back shared by the sends queued on a chat), or take the ids ' +
      'from the stream if Aurora sends them. (An earlier race, where concurrent sends into one chat ' +
      'could reject after being stored, was fixed by queueing sends per chat; the probe row checks it.)',
  },
  {
    matches: is('rate-limit', /^aurora/, /achieved/),
    text:
      '**Aurora under a rate limit: half the allowed rate**, for the same reason as above: every send ' +
      'costs two requests (POST `/message` + the `GET /messages` read-back), so 500 sends use 1,000 ' +
      'requests of the budget. No 429s and nothing lost: the client waits correctly, it simply spends ' +
      'twice the requests. The fix proposed for the send overhead fixes this too.',
  },
  {
    matches: is('rate-limit', /^chats-api/, /achieved/),
    text:
      '**chats-api under a rate limit: about one second lost per window, with no 429s.** The emulated ' +
      'server (its limiter is ours to define) sends `X-RateLimit-Reset` in whole epoch seconds rounded ' +
      '*up*, and no window length. The core client times a window from the response that opened it ' +
      'only when the provider sends `RateLimit-Policy: <limit>;w=<seconds>` (or `X-RateLimit-Policy`), ' +
      'as Bluesky does; here it must wait for the rounded-up second. The next window then starts a few ' +
      'milliseconds after a whole second, ends just after one, and every wait is pushed to the next ' +
      'second: ~1 s late per window (request trace: 2.6–2.9 s for each 2 s window). Safe (no 429s, ' +
      'nothing lost) but slow on short windows; at a real 1-minute window it would be ~1.5 %. Proposed ' +
      "fix: have the chats-api emulator's limiter send `X-RateLimit-Policy: <limit>;w=<seconds>` (core " +
      'already reads it), and/or let core infer the window length from the first reset it sees.',
  },
  {
    matches: is('history', /messages$/, /wall time/),
    text:
      '**History iteration: a fixed warm-up cost per process, then ~10 % per page.** Timing every page ' +
      "of a 10,000-message iteration in a fresh process: the messenger's first pages take 6–28 ms " +
      'against 2–3 ms for the raw loop (first use of the zod page schema alone costs 3.8 ms, later ' +
      'parses 0.5 ms; V8 has not optimised the mapper, the HTTP client and the retry wrapper yet), then ' +
      'a page costs ~1.3 ms against ~1.2 ms. About 40 ms once per process therefore dominates a short ' +
      'history (10,000 messages ≈ 150 ms) and fades on a long one (100,000: ≈ 1.1×). A long-running app ' +
      "pays it once. (The mapper's object spread, ~1.6 µs per message, was removed in 0ed0ab7 after " +
      'an earlier run of this benchmark.) Proposed fix, if short histories matter: validate pages with ' +
      'a lighter schema (only what the mapper reads) to cut the first-parse and per-page cost.',
  },
  {
    matches: is('history', /messages$/, /peak RSS/),
    text:
      '**History peak RSS: garbage, not retention** (when the "live heap after GC" rows stay flat). ' +
      'With a forced GC every 10 pages the live heap stays ~1.5 MiB whatever the history length, so ' +
      'memory is O(page size) as designed; peak RSS then comes from V8 collecting lazily, and grows ' +
      "with the garbage each page leaves (response text, parsed JSON, zod's validated copy, mapped " +
      'messages). In earlier runs the messenger peaked at ~73 MiB for 100,000 messages, until the ' +
      'mapper stopped spreading objects (0ed0ab7). Proposed fix if it returns: allocate less per message.',
  },
];

/** The explanation of a missed row, or a pointer to how to profile it. */
export function explainMiss(row: ResultRow): string {
  const finding = FINDINGS.find((f) => f.matches(row));
  if (finding) return finding.text;
  return (
    `No analysis recorded for this miss yet. Reproduce and profile with \`pnpm bench --only=${row.section} ` +
    '--cpu-prof`, then `cd bench && npx tsx src/profile-summary.ts <profile>`; a single miss with a wide ' +
    'spread is usually noise from other load on the machine.'
  );
}
