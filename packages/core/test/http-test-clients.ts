import { afterEach } from 'vitest';
import { SwitchboardError } from '../src/errors.js';
import { createHttpClient } from '../src/http/http-client.js';
import type { HttpClient, HttpClientOptions } from '../src/http/http-client-types.js';
import { startLocalServer, type TestHandler } from './local-server.js';

/**
 * The setup of the HTTP client tests: `setup(handler, options)` starts a local server and a client
 * on it (retries fast: 5–20 ms), `track(client)` registers another client; all are closed after
 * each test. Call once at the top of a test file.
 */
export function useHttpClients() {
  const closers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });
  const track = <T extends { close(): Promise<void> }>(closable: T): T => {
    closers.push(closable);
    return closable;
  };
  const setup = async (handler: TestHandler, options: Partial<HttpClientOptions> = {}) => {
    const server = track(await startLocalServer(handler));
    const http: HttpClient = track(
      createHttpClient({
        provider: 'test',
        baseUrl: server.url,
        retry: { minDelayMs: 5, maxDelayMs: 20 },
        ...options,
      }),
    );
    return { server, http };
  };
  return { setup, track };
}

/** The `SwitchboardError` a promise rejects with; fails the test if it resolves or throws anything else. */
export function rejection(promise: Promise<unknown>): Promise<SwitchboardError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => {
      if (!SwitchboardError.isInstance(error)) throw error;
      return error;
    },
  );
}
