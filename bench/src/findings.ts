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
      'streamed reply, then reads the newest 10 messages back (`GET /messages`, `readBack` in ' +
      'packages/aurora/src/aurora-reply.ts) to learn the ids of the stored turn and reply; the raw ' +
      'client does only the first request. The rate-limit run confirms it: 1,000 requests for 500 ' +
      'sends. The client CPU profile is ~45 % idle (waiting for the second round trip), the adapter ' +
      'itself is < 2 % of samples. Proposed fix: return the sent message without waiting for the ' +
      'read-back (ids resolved lazily, or one read-back per chat shared by the sends in flight), or ' +
      'take ids from the stream if Aurora sends them. The same read-back looks at the newest 10 ' +
      'messages only: with many sends in flight in one chat, their turns can fall out of that window ' +
      'and a send that was stored rejects with `InvalidResponseError` (reproduced: 4 of 16 concurrent ' +
      'sends into one chat that already had history); an app retrying it duplicates the message.',
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
    matches: is('rate-limit', /^bluesky/, /achieved/),
    text:
      '**Bluesky under a rate limit: about one second lost per window.** Bluesky sends ' +
      '`RateLimit-Reset` in whole epoch seconds, rounded *down* (the PDS: `floor((now + msBeforeNext) / ' +
      '1000)`). When `remaining` reaches 0, the core HTTP client (packages/core/src/http: `noteRateLimit` ' +
      '→ `waitForWindow`) sleeps until that second, which is up to 1 s *before* the window really ends; ' +
      'the next request gets a 429 with `Retry-After: 1` (whole seconds, rounded up), and the retry waits ' +
      "that second plus p-retry's backoff. A request trace shows it: with 50 requests per 2 s, the " +
      'request after each 50th took 2.9–3.1 s, and each window cost exactly one 429. The details column ' +
      "gives the time lost per window. At Bluesky's real limit (3,000 per 5 minutes) one second per " +
      'window is 0.3 %, so this matters only for short windows. Proposed fix (core): treat an ' +
      'epoch-second reset as the end of that second, and better, time the window from its first ' +
      'request: remember when a response reported `remaining = limit − 1` and wait until that time plus ' +
      'the window length from `RateLimit-Policy: <limit>;w=<seconds>`; retry a 429 whose `Retry-After` ' +
      'has one-second resolution after the computed window end rather than a full extra second.',
  },
  {
    matches: is('rate-limit', /^chats-api/, /achieved/),
    text:
      '**chats-api under a rate limit: about one second lost per window, with no 429s.** The emulated ' +
      'server (its limiter is ours to define) sends `X-RateLimit-Reset` in whole epoch seconds rounded ' +
      '*up*. The core client waits until that second; the next window starts a few milliseconds after a ' +
      'whole second, so it also ends just after a whole second, and rounding up pushes every wait to the ' +
      'next second: ~1 s late per window (trace: 2.6–2.9 s for a 2 s window). Safe (no 429s, nothing ' +
      'lost) but slow on short windows. Proposed fix: the window-timing fix described for Bluesky (the ' +
      'same code path in packages/core/src/http), or an emulator profile with millisecond resets.',
  },
  {
    matches: is('history', /messages$/, /wall time/),
    text:
      '**History iteration: the message mapper.** CPU profiles of the 100,000-message child runs put ' +
      '~200 ms per 100,000 messages in `mapBlueskyMessage` (packages/bluesky/src/map-bluesky-message.ts), ' +
      'next to ~100 ms of zod validation and ~100 ms in the core HTTP client; the raw loop only parses ' +
      'and counts. A tinybench micro-benchmark of that mapper on a 100-message page: 180 µs, against ' +
      '21 µs for the same object built as one literal: the `{ ...base, text, attachments, reactions }` ' +
      "spread of a freshly built `base` object takes V8's slow object-clone path (~1.6 µs per message). " +
      'Pages are fetched one after the other (the next cursor is known only once the adapter has mapped ' +
      'the page), so all of it adds to the wall time. Proposed fix: build the `Message` in one object ' +
      'literal (deleted messages in their own literal) — that alone removes ~80 % of the mapping cost ' +
      'and a good part of the garbage; then, if needed, validate pages with a lighter zod schema (only ' +
      'the fields the mapper reads).',
  },
  {
    matches: is('history', /messages$/, /peak RSS/),
    text:
      '**History peak RSS: garbage, not retention.** With a forced GC every 10 pages, the live heap ' +
      'stays ~1.5 MiB and does not grow with the history (rows "live heap after GC"), so memory is ' +
      'O(page size) as designed. The peak RSS comes from V8 collecting lazily: each page allocates the ' +
      "response text, the parsed JSON, zod's validated copy and the mapped `Message` objects, which " +
      'survive long enough (the page is alive while the app iterates it) to be promoted and grow the ' +
      'old generation until a major GC; the raw loop allocates less per page and peaks lower. Proposed ' +
      'fix: allocate less per message (the one-literal mapper above; a zod schema that checks only ' +
      'what the mapper reads) so pages die young; an app can also bound the heap with ' +
      '`--max-old-space-size`.',
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
