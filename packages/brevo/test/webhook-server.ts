import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { WebhookResult } from '@switchboard/core';

/** A local HTTP server handing every request to a webhook handler, as an app would mount it. */
export interface WebhookServer {
  /** `http://127.0.0.1:<port>/webhooks/brevo` */
  url: string;
  close(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1 (random port), answering with the handler's status. */
export async function startWebhookServer(
  handle: (request: Request) => Promise<WebhookResult>,
): Promise<WebhookServer> {
  const server = createServer(
    getRequestListener(async (request) => new Response(null, { status: (await handle(request)).status })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/brevo`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
