import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import type { ProviderProfile } from '../src/faults/fault-kit.js';

/** A provider profile with no rate-limit headers or body, and `{ error: 'status N' }` as error body. */
export const plainProfile: ProviderProfile = {
  rateLimitHeaders: () => ({}),
  rateLimitedHeaders: () => ({}),
  rateLimitedBody: () => ({}),
  errorBody: (status) => ({ error: `status ${status}` }),
};

/**
 * Starts a node http server on 127.0.0.1 (a free port) that answers with `listener`, closed (with
 * every connection still open) when the running test finishes.
 */
export async function listenOnLoopback(listener: RequestListener): Promise<{ url: string; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port };
}
