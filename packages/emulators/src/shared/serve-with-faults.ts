import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createFaultKit, type FaultKit, type FaultKitOptions } from '@switchboard/testkit/faults';

/** A listening emulator server (see {@link serveWithFaults}). */
export interface FaultedServer {
  /** The Node server, e.g. to handle WebSocket upgrades. */
  server: Server;
  /** The fault kit every request passes first. */
  faults: FaultKit;
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Stops listening and destroys every open HTTP connection. Idempotent: later calls share the first. */
  close(): Promise<void>;
}

/**
 * Serves a fetch handler (a Hono app's `fetch`) on 127.0.0.1 at a free port; every request passes a
 * fault kit built from `faults` (the provider's profile and an optional rate limit) before it reaches
 * the handler. Rejects when the server cannot listen.
 */
export async function serveWithFaults(
  fetch: Parameters<typeof getRequestListener>[0],
  faults: FaultKitOptions,
): Promise<FaultedServer> {
  const kit = createFaultKit(faults);
  const listener = getRequestListener(fetch);
  const server = createServer(async (req, res) => {
    if (await kit.intercept(req, res)) return;
    await listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    faults: kit,
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
