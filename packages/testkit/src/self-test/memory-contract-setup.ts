import type { ChatAdapter } from '@switchboard/core';
import type { AdapterContractOptions, ContractContext } from '../contract-types.js';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import { type MemoryBackend, startMemoryBackend } from '../memory/memory-backend.js';

/** Retries quick enough for tests: 5xx/reset back-off starts at 5 ms. `Retry-After` is still honoured. */
export const FAST_RETRY = { retries: 2, minDelayMs: 5, maxDelayMs: 50 } as const;

/** Builds an adapter for a fresh backend; the default is the healthy reference adapter. */
export type MemoryAdapterFactory = (backend: MemoryBackend, options: MemoryAdapterOptions) => ChatAdapter;

/** A contract `setup()` over a fresh memory backend, with the adapter `factory` builds. */
export function memoryContractSetup(
  factory: MemoryAdapterFactory = (_backend, options) => createMemoryAdapter(options),
): AdapterContractOptions['setup'] {
  return async (): Promise<ContractContext> => {
    const backend = await startMemoryBackend();
    const adapter = factory(backend, {
      baseUrl: backend.url,
      token: backend.token,
      retry: FAST_RETRY,
      pollWaitMs: 1_000,
    });
    return {
      adapter,
      peer: backend.peer,
      faults: backend.faults,
      secrets: [backend.token],
      teardown: () => backend.close(),
    };
  };
}
