import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BrevoAdapter, createBrevoAdapter } from '@switchboard/brevo';
import { startBrevoEmulator } from '@switchboard/emulators/brevo';
import type { DemoProvider } from './demo-provider.js';

/** Hands one Node request to the adapter's webhook handler (a web `Request` in, a status out). */
async function serveWebhook(adapter: BrevoAdapter, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host}`), {
    method: req.method ?? 'GET',
    headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
    ...(req.method === 'POST' && { body: Buffer.concat(chunks) }),
  });
  const { status } = await adapter.handleWebhook(request);
  res.writeHead(status).end();
}

/**
 * Brevo Conversations on the local emulator. A website visitor writes first (Brevo has no way to
 * start a conversation from the agent side but to message a known visitor), the emulator posts the
 * webhooks to a local server where the adapter's handler is mounted, and the visitor answers.
 */
export const brevoDemoProvider: DemoProvider = {
  name: 'brevo',
  async setup() {
    const emulator = await startBrevoEmulator();
    const webhookSecret = randomBytes(16).toString('hex');
    const adapter = createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: emulator.agents.list()[0]!.id },
      webhookSecret,
    });
    const server = createServer((req, res) => void serveWebhook(adapter, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/brevo`;
    emulator.setWebhook(webhookUrl, webhookSecret);

    const visitor = emulator.visitor({ displayedName: 'Jane (website visitor)' });
    await visitor.write('Hi! Is my order on its way?');
    return {
      adapter,
      description: `Brevo Conversations emulator at ${emulator.url}, webhooks to ${webhookUrl}?token=…`,
      conversationId: visitor.id,
      async peerReply(_conversationId, text) {
        await visitor.write(text);
      },
      async teardown() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await emulator.close();
      },
    };
  },
};
