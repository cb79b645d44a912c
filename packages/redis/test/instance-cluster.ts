/**
 * The set-up every multi-instance test shares: a private redis-server (and, for the Bluesky tests,
 * the Bluesky emulator) started once per file, app instances forked as child processes (tsx
 * loader, IPC), and every instance still running stopped after each test.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type BlueskyEmulator,
  type BlueskyEmulatorOptions,
  startBlueskyEmulator,
} from '@switchboard/emulators/bluesky';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { redisAvailability, startRedisServer, type TestRedis } from '../src/testing/index.js';

/** How long a forked instance may take to report it is ready. */
const READY_TIMEOUT_MS = 60_000;

/** What a test tells {@link InstanceCluster.start} about one kind of instance. */
export interface InstanceSpec<State extends object, Message> {
  /** The instance script, a file next to this one (e.g. `bluesky-instance.ts`). */
  script: string;
  /** Environment variables added to the test's own. */
  env: Record<string, string>;
  /** The per-instance record the test reads, filled by `onMessage`. */
  state: State;
  /** Every IPC message of the instance, from the first one on. */
  onMessage?: (message: Message, state: State) => void;
  /** Whether this message says the instance is ready. */
  isReady: (message: Message) => boolean;
  /** What ready means, for the error when it does not happen (`subscribe`, `log in`, `start`). */
  readyMeans: string;
}

/** A forked instance: its process and the state its messages fill. */
export type Instance<State extends object> = State & { child: ChildProcess };

export interface InstanceCluster {
  /** Why this file's tests are skipped (no redis-server), or undefined. */
  skip: string | undefined;
  /** The redis-server of this file (only inside tests). */
  readonly redis: TestRedis;
  /** Instances forked and not yet stopped by the test. */
  running: ChildProcess[];
  /** Fork one instance and resolve once it reports ready (reject if it exits first or takes 60 s). */
  start<State extends object, Message>(spec: InstanceSpec<State, Message>): Promise<Instance<State>>;
}

/**
 * Register the hooks of a multi-instance test file: redis-server before all, instances stopped after
 * each test (`stop`, by default SIGKILL: no chance to release a lease), redis-server closed after all.
 */
export function useInstanceCluster(
  options: { stop?: (child: ChildProcess) => Promise<void> | void } = {},
): InstanceCluster {
  const { skip } = redisAvailability();
  const stop = options.stop ?? ((child: ChildProcess) => void child.kill('SIGKILL'));
  let redis: TestRedis | undefined;
  const running: ChildProcess[] = [];
  beforeAll(async () => {
    if (!skip) redis = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop));
  });
  afterAll(async () => {
    await redis?.close();
  });
  const runningRedis = () => {
    if (!redis) throw new Error('redis-server is not running (only inside tests of a file not skipped)');
    return redis;
  };
  return {
    skip,
    get redis() {
      return runningRedis();
    },
    running,
    start(spec) {
      const child = fork(fileURLToPath(new URL(`./${spec.script}`, import.meta.url)), [], {
        execArgv: ['--conditions=@switchboard/source', '--import', 'tsx'],
        env: { ...process.env, REDIS_TEST_URL: runningRedis().url, ...spec.env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      running.push(child);
      const instance = Object.assign(spec.state, { child });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`instance did not ${spec.readyMeans} within ${READY_TIMEOUT_MS / 1000} s`)),
          READY_TIMEOUT_MS,
        );
        child.on('message', (message) => {
          spec.onMessage?.(message as never, spec.state);
          if (spec.isReady(message as never)) {
            clearTimeout(timer);
            resolve(instance);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`instance exited with ${code} before it could ${spec.readyMeans}`));
        });
      });
    },
  };
}

/** An account on the Bluesky emulator: handle and app password. */
export interface BlueskyTestAccount {
  handle: string;
  password: string;
}

export interface BlueskyInstanceCluster extends InstanceCluster {
  /** The Bluesky emulator of this file (only inside tests). */
  readonly emulator: BlueskyEmulator;
  /** The environment a Bluesky instance script reads: Redis prefix, account, emulator URL. */
  blueskyEnv(prefix: string, self: BlueskyTestAccount): Record<string, string>;
}

/**
 * {@link useInstanceCluster} plus a Bluesky emulator (with these accounts and options) started after
 * redis-server and closed before it.
 */
export function useBlueskyInstanceCluster(emulatorOptions: BlueskyEmulatorOptions): BlueskyInstanceCluster {
  let emulator: BlueskyEmulator | undefined;
  const cluster = useInstanceCluster();
  beforeAll(async () => {
    if (!cluster.skip) emulator = await startBlueskyEmulator(emulatorOptions);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const runningEmulator = () => {
    if (!emulator)
      throw new Error('the Bluesky emulator is not running (only inside tests of a file not skipped)');
    return emulator;
  };
  return {
    skip: cluster.skip,
    get redis() {
      return cluster.redis;
    },
    running: cluster.running,
    start: cluster.start,
    get emulator() {
      return runningEmulator();
    },
    blueskyEnv: (prefix, self) => ({
      REDIS_TEST_PREFIX: prefix,
      BLUESKY_TEST_IDENTIFIER: self.handle,
      BLUESKY_TEST_PASSWORD: self.password,
      BLUESKY_TEST_SERVICE: runningEmulator().url,
    }),
  };
}
