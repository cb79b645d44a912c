import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shown when Redis tests are skipped, and summed by scripts/run-tests.mjs into the final line. */
export const REDIS_INSTALL_HINT = 'redis-server not found: apt-get install redis-server, or set REDIS_URL';

/**
 * Where the Redis tests get a server: `REDIS_URL` (used as is, each test under its own key prefix),
 * else `redis-server` on PATH (a private server per test file on a unix socket in a temp dir).
 * Neither: `skip` holds the install hint — except under `CI=true`, where that throws (a failure).
 */
export function redisAvailability(): { skip?: string } {
  if (process.env.REDIS_URL) return {};
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return {};
  if (process.env.CI === 'true') {
    throw new Error(`${REDIS_INSTALL_HINT} (CI=true: a missing Redis is a failure; .ci/run installs it)`);
  }
  // Picked up by scripts/run-tests.mjs, which shows the hint in the summary line.
  mkdirSync('.vitest', { recursive: true });
  writeFileSync(join('.vitest', 'skip-reasons.json'), JSON.stringify([REDIS_INSTALL_HINT]));
  return { skip: REDIS_INSTALL_HINT };
}

/** A running Redis for tests: `url` (`redis://…` or `unix://…`), and `close()` (stops a server we started). */
export interface TestRedis {
  url: string;
  close(): Promise<void>;
}

/** Starts a private `redis-server` (no persistence, unix socket in a temp dir), or uses `REDIS_URL`. */
export async function startRedisServer(): Promise<TestRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, close: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
  const socket = join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within 10 s:\n${output}`)),
      10_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `unix://${socket}`,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A key prefix no other test uses (tests share one server). */
export function uniquePrefix(): string {
  counter += 1;
  return `sbtest:${process.pid}:${Date.now()}:${counter}:`;
}
