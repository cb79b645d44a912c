/**
 * A child process for `bluesky-process-lifetime.test.ts`: a bot whose only work is
 * `messenger.start()` (mode `realtime`), or one one-shot call (mode `one-shot`). It prints one JSON
 * line per happening on stdout; on a `stop` line on stdin it stops the messenger and reports how
 * long `stop()` took. Nothing else keeps it alive: no timers, no open stdin unless realtime.
 */
import { createMessenger } from '@switchboard/core';
import { createBlueskyAdapter } from '../src/index.js';

const [mode = 'realtime', service = '', password = ''] = process.argv.slice(2);
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const adapter = createBlueskyAdapter({
  identifier: 'alice.test',
  password,
  service,
  pollIntervalMs: Number(process.env.POLL_INTERVAL_MS ?? 50),
  retry: { retries: 2, minDelayMs: 40, maxDelayMs: 80 },
});
const messenger = createMessenger(adapter);
messenger.on('error', (error) => print({ type: 'error', code: (error as { code?: string }).code }));
messenger.on('message', (message) => print({ type: 'message', text: message.text }));
process.on('exit', (code) => print({ type: 'exit', code }));

if (mode === 'one-shot') {
  const page = await messenger.listConversations();
  print({ type: 'done', conversations: page.items.length });
} else {
  await messenger.start();
  print({ type: 'started' });
  // stdin is read only for the stop command; unref it so it is not what keeps the process alive.
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', async (data: string) => {
    if (!data.includes('stop')) return;
    const started = performance.now();
    await messenger.close();
    print({ type: 'stopped', ms: Math.round(performance.now() - started) });
    process.stdin.destroy();
  });
  (process.stdin as unknown as { unref(): void }).unref();
}
