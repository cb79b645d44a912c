import type { ChatAdapter } from '@switchboard/core';
import type { AdapterContractOptions, ContractContext } from '../contract-types.js';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import { startMemoryBackend } from '../memory/memory-backend.js';

/** Retries quick enough for tests: 5xx/reset back-off starts at 5 ms. `Retry-After` is still honoured. */
const FAST_RETRY = { retries: 2, minDelayMs: 5, maxDelayMs: 50 } as const;

/** Builds the adapter under test from the options for a fresh backend. */
export type MemoryAdapterFactory = (options: MemoryAdapterOptions) => ChatAdapter;

/**
 * A contract `setup()` over a fresh memory backend, with the adapter `factory` builds (default: the
 * healthy one). With `observers` (default) it also offers the extra peers, a second adapter instance
 * and the issued session tokens; `peer.readMessages` is always there. With `tokenInPath` (default)
 * the adapter's base URL carries the API token, Telegram-style, as a secret in every request path.
 */
export function memoryContractSetup(
  factory: MemoryAdapterFactory = createMemoryAdapter,
  {
    observers = true,
    backendReads = true,
    tokenInPath = true,
  }: { observers?: boolean; backendReads?: boolean; tokenInPath?: boolean } = {},
): AdapterContractOptions['setup'] {
  return async (): Promise<ContractContext> => {
    const backend = await startMemoryBackend();
    // With `tokenInPath` (default) the base URL carries the API token too, Telegram-style
    // (`/bot<token>/v1/…`, which the backend serves the same), so `secrets-absent-from-path` runs.
    const baseUrl = tokenInPath ? `${backend.url}/bot${backend.token}` : backend.url;
    const options = { baseUrl, token: backend.token, retry: FAST_RETRY, pollWaitMs: 1_000 };
    const adapter = factory(options);
    return {
      adapter,
      peer: backendReads ? backend.peer : { ...backend.peer, readMessages: undefined },
      ...(observers && {
        peers: backend.peers,
        // The observer is always the healthy reference: it sees what the adapter under test did.
        secondAdapter: () => createMemoryAdapter(options),
        issuedSecrets: backend.issuedSecrets,
      }),
      faults: backend.faults,
      secrets: [backend.token],
      teardown: () => backend.close(),
    };
  };
}
