/** The "how to read this page" text of docs/benchmarks.md. */
export const METHOD = `
## How to read this page

Every figure is measured against a baseline **in the same run**, on the same local emulator
(\`@switchboard/emulators\`) over 127.0.0.1, and repeated: the tables show the **median** of the runs
and their **spread (min – max)**. Ratios are taken run by run (the clients of one run share its
conditions), then summarised. The emulators run in the parent process; the clients under test run in
child processes (\`fork\`), so on a 2-core machine client and server each have a core. Timing uses
tinybench where a benchmark is a loop of operations; whole-process measurements (cold import, RSS)
spawn a fresh \`node\` per run. Numbers from a busy machine are noisy: the load average at the start
of the run is printed above. Under each section, every missed target is listed with its cause (from
CPU profiles and request traces) and a proposed fix.

Reproduce:

- \`pnpm bench\` — everything (skips, with the reason, any provider whose adapter has not landed);
  prints the tables and writes this page.
- \`pnpm bench --smoke\` — the same code paths with tiny sizes, under a minute, writes nothing; exits
  non-zero only when a code path breaks, never on a missed target (CI).
- \`pnpm bench --only=send,history,rate-limit,realtime,footprint\` — a subset.
- \`pnpm bench --only=history --cpu-prof\` — also writes a V8 CPU profile of every measuring child
  process to \`bench/profiles/\`; summarise one with
  \`cd bench && npx tsx src/profile-summary.ts <file.cpuprofile>\`.
- \`pnpm bench --render\` — rewrites this page from the last full run's saved results
  (\`bench/results/last-run.json\`), e.g. after editing the miss explanations in \`bench/src/findings.ts\`.
`;
