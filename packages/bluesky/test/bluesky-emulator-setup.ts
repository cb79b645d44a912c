/**
 * A fresh Bluesky emulator with two accounts (alice.test, bob.test) and an adapter logged in as
 * Alice whose every request is recorded, for integration tests.
 */
import {
  type BlueskyEmulator,
  type BlueskyEmulatorOptions,
  startBlueskyEmulator,
} from '@switchboard/emulators/bluesky';
import { type BlueskyAdapter, type BlueskyAdapterOptions, createBlueskyAdapter } from '../src/index.js';
import { type CapturedRequest, createCapturingAxios } from './capture-axios.js';
import { assertValidXrpcRequest } from './lexicon-requests.js';

export const ALICE_PASSWORD = 'alice-app-pass-1234';
export const BOB_PASSWORD = 'bob-app-pass-5678';

export interface EmulatorSetup {
  emulator: BlueskyEmulator;
  adapter: BlueskyAdapter;
  /** Every request the adapter sent. */
  requests: CapturedRequest[];
  /** The adapter's session tokens seen on the wire (for leak checks). */
  tokens(): string[];
  /** Checks every request the adapter sent against the official lexicons, then closes everything. */
  teardown(): Promise<void>;
}

/** Starts an emulator and an adapter for Alice. Fast retries by default; override anything. */
export async function setupEmulator(
  options: {
    emulator?: BlueskyEmulatorOptions;
    adapter?: BlueskyAdapterOptions;
    aliceDmAccess?: boolean;
  } = {},
): Promise<EmulatorSetup> {
  const emulator = await startBlueskyEmulator({
    ...options.emulator,
    accounts: [
      {
        handle: 'alice.test',
        password: ALICE_PASSWORD,
        displayName: 'Alice',
        dmAccess: options.aliceDmAccess ?? true,
      },
      { handle: 'bob.test', password: BOB_PASSWORD, displayName: 'Bob' },
    ],
  });
  const { instance, requests } = createCapturingAxios();
  const adapter = createBlueskyAdapter({
    identifier: 'alice.test',
    password: ALICE_PASSWORD,
    service: emulator.url,
    httpClient: instance,
    pollIntervalMs: 20,
    retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    ...options.adapter,
  });
  return {
    emulator,
    adapter,
    requests,
    tokens: () => [
      ...new Set(
        requests
          .map((request) => request.headers.authorization?.replace(/^Bearer /, ''))
          .filter((t) => t !== undefined),
      ),
    ],
    async teardown() {
      try {
        for (const request of requests) assertValidXrpcRequest(request);
      } finally {
        await adapter.close();
        await emulator.close();
      }
    },
  };
}
