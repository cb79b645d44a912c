/**
 * Issue 10 §2: a process whose only work is `messenger.start()` must stay alive through failed
 * polls (5xx, refused connections), report each failure as an `'error'` event, and resume delivery
 * when the provider recovers; a process that makes one call must exit once it is done; `stop()`
 * during a backoff must end at once. Each case runs a real child process (`test/bluesky-process-child.ts`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type BlueskyEmulator, startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { afterEach, describe, expect, it } from 'vitest';

const PASSWORD = 'alice-app-pass-1234';
const CHILD = fileURLToPath(new URL('../test/bluesky-process-child.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

type Line = { type: string; [key: string]: unknown };

/** A child process and the JSON lines it printed, with an event-driven wait. */
function runChild(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@switchboard/source', CHILD, ...args],
    { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, stdio: 'pipe' },
  ) as ChildProcessWithoutNullStreams;
  const lines: Line[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        lines.push(JSON.parse(text) as Line);
      } catch {
        stderr += `(stdout) ${text}\n`;
      }
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    for (const wake of waiters) wake();
  });
  /** Resolves with the lines once `done(lines)` holds; rejects if the child exits first or after `ms`. */
  const until = (what: string, done: (lines: Line[]) => boolean, ms = 15_000) =>
    new Promise<Line[]>((resolve, reject) => {
      const check = () => {
        if (done(lines)) finish(() => resolve(lines));
        else if (exitCode !== undefined)
          finish(() =>
            reject(
              new Error(`child exited (${exitCode}) before: ${what}\n${JSON.stringify(lines)}\n${stderr}`),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`timed out waiting for: ${what}\n${JSON.stringify(lines)}\n${stderr}`)),
          ),
        ms,
      );
      const finish = (then: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        then();
      };
      waiters.add(check);
      check();
    });
  return { child, lines, until, exited, stderr: () => stderr };
}

const count = (lines: Line[], type: string) => lines.filter((line) => line.type === type).length;

/**
 * An HTTP relay in front of the emulator that can refuse connections (stops listening) and accept
 * again on the same port. It rewrites the emulator's URL in bodies to its own, so the PDS endpoint
 * the session's DID document announces is the relay too.
 */
async function startRelay(target: string) {
  let port = 0;
  let server: Server | undefined;
  const relayUrl = () => `http://127.0.0.1:${port}`;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
        const method = req.method ?? 'GET';
        const upstream = await fetch(target + (req.url ?? '/'), {
          method,
          headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
        });
        const text = (await upstream.text()).replaceAll(target, relayUrl());
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
            out[name] = value;
        });
        res.writeHead(upstream.status, out);
        res.end(text);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  const close = async () => {
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  };
  return {
    get url() {
      return relayUrl();
    },
    /** Stops listening and cuts every connection: new connections are refused. */
    refuse: close,
    /** Listens again on the same port. */
    accept: listen,
    close,
  };
}

let emulator: BlueskyEmulator | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await emulator?.close();
  emulator = undefined;
});

async function startEmulator() {
  emulator = await startBlueskyEmulator({
    accounts: [
      { handle: 'alice.test', password: PASSWORD, displayName: 'Alice' },
      { handle: 'bob.test', password: 'bob-app-pass-5678', displayName: 'Bob' },
    ],
  });
  const bob = emulator.as('bob.test');
  const convoId = bob.openConvo('alice.test');
  return { emulator, bob, convoId };
}

describe('a started Bluesky messenger keeps its process alive through failures', { timeout: 60_000 }, () => {
  it('polls through HTTP 502s, reporting each, then resumes delivery when the provider recovers', async () => {
    const { emulator, bob, convoId } = await startEmulator();
    const run = runChild(['realtime', emulator.url, PASSWORD]);
    cleanups.push(() => run.child.kill('SIGKILL'));
    await run.until('started', (lines) => count(lines, 'started') === 1);

    const fault = emulator.faults.inject({
      fault: { kind: 'status', status: 502 },
      match: { path: '/xrpc/chat.bsky.convo.getLog' },
      times: Number.POSITIVE_INFINITY,
    });
    // Several backoff periods (50 → 100 → 200 → 400 ms, each after the client's own retries).
    await run.until('4 error events', (lines) => count(lines, 'error') >= 4);
    expect(run.lines.filter((l) => l.type === 'error').every((l) => l.code === 'provider_unavailable')).toBe(
      true,
    );
    expect(fault.hits).toBeGreaterThanOrEqual(4);

    fault.remove();
    bob.sendMessage(convoId, 'after the outage');
    await run.until('the message sent after recovery', (lines) =>
      lines.some((l) => l.type === 'message' && l.text === 'after the outage'),
    );
    run.child.stdin.write('stop\n');
    await run.until('stopped', (lines) => count(lines, 'stopped') === 1);
    expect(await run.exited).toBe(0);
  });

  it('polls through refused connections, then resumes delivery when the provider listens again', async () => {
    const { emulator, bob, convoId } = await startEmulator();
    const relay = await startRelay(emulator.url);
    cleanups.push(() => relay.close());
    const run = runChild(['realtime', relay.url, PASSWORD]);
    cleanups.push(() => run.child.kill('SIGKILL'));
    await run.until('started', (lines) => count(lines, 'started') === 1);

    await relay.refuse();
    await run.until('4 error events', (lines) => count(lines, 'error') >= 4);
    expect(run.lines.filter((l) => l.type === 'error').every((l) => l.code === 'network')).toBe(true);

    await relay.accept();
    bob.sendMessage(convoId, 'back online');
    await run.until('the message sent after recovery', (lines) =>
      lines.some((l) => l.type === 'message' && l.text === 'back online'),
    );
    run.child.stdin.write('stop\n');
    expect(await run.exited).toBe(0);
  });

  it('stop() during a long backoff ends at once, and the process then exits', async () => {
    const { emulator } = await startEmulator();
    // 1 s poll interval: after 2 failures the poller waits 4 s before its next poll.
    const run = runChild(['realtime', emulator.url, PASSWORD], { POLL_INTERVAL_MS: '1000' });
    cleanups.push(() => run.child.kill('SIGKILL'));
    await run.until('started', (lines) => count(lines, 'started') === 1);
    emulator.faults.inject({
      fault: { kind: 'status', status: 502 },
      match: { path: '/xrpc/chat.bsky.convo.getLog' },
      times: Number.POSITIVE_INFINITY,
    });
    await run.until('2 error events', (lines) => count(lines, 'error') >= 2);
    const requestsBefore = emulator.faults.requestCount;
    run.child.stdin.write('stop\n');
    const [stopped] = (await run.until('stopped', (lines) => count(lines, 'stopped') === 1)).filter(
      (l) => l.type === 'stopped',
    );
    expect(await run.exited).toBe(0);
    // stop() did not wait out the 4 s backoff, and no poll followed it.
    expect(stopped?.ms).toBeLessThan(4_000);
    expect(emulator.faults.requestCount).toBe(requestsBefore);
  });
});

describe('a one-shot call', { timeout: 60_000 }, () => {
  it('completes through a retried 503 and lets the process exit on its own', async () => {
    const { emulator } = await startEmulator();
    emulator.faults.inject({
      fault: { kind: 'status', status: 503 },
      match: { path: '/xrpc/chat.bsky.convo.listConvos' },
      times: 2,
    });
    const run = runChild(['one-shot', emulator.url, PASSWORD]);
    cleanups.push(() => run.child.kill('SIGKILL'));
    // The process exits by itself (no stop, no close): nothing the call started outlives it.
    const code = await Promise.race([
      run.exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
    ]);
    expect(code, run.stderr()).toBe(0);
    expect(run.lines.find((l) => l.type === 'done')).toMatchObject({ type: 'done' });
  });
});
