/** The "how to read this page" text of docs/benchmarks.md. */
export const METHOD = `
## How to read this page

Every figure is measured against a baseline **in the same run**, on the same local emulator
(\`@switchboard/emulators\`) over 127.0.0.1, and repeated: the table shows the **median** of the runs
and their **spread (min – max)**. Ratios are taken run by run (the clients of a run share its
conditions), then summarised. Emulators run in the parent process; the clients under test run in
child processes, so on a 2-core machine client and server each have a core. Numbers from a busy
machine are noisy; the load average at the start of the run is printed above.
`;
