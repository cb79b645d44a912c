import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Messenger } from '@switchboard/core';

/** A running webhook server. */
export interface WebhookServer {
  /** Where the webhook is served locally, e.g. `http://127.0.0.1:3000/webhooks/brevo`. */
  url: string;
  server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `messenger.handleWebhook` at `POST <path>` on a plain Node HTTP server. `getRequestListener`
 * (from `@hono/node-server`) turns each Node request into a web `Request` (URL with the `?token=`
 * query included) and writes back the `Response` the Messenger returns: 200, or 401 for a delivery
 * without the right secret. Any other route answers 404.
 */
export async function startWebhookServer(
  messenger: Messenger,
  options: { port?: number; host?: string; path?: string } = {},
): Promise<WebhookServer> {
  const path = options.path ?? '/webhooks/brevo';
  const host = options.host ?? '127.0.0.1';
  const server = createServer(
    getRequestListener((request) =>
      new URL(request.url).pathname === path
        ? messenger.handleWebhook(request)
        : new Response('Not found', { status: 404 }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${path}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
