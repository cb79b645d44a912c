/**
 * One app instance for the multi-instance tests: a Brevo adapter on the shared Redis store behind a
 * tiny HTTP server on 127.0.0.1. Forked by the test (tsx loader); answers its port over IPC.
 * - `POST /webhook?token=…` → `adapter.handleWebhook`
 * - `GET /events` → the `message.created` / `conversation.created` events this instance emitted
 * - `GET /history?visitor=…` → every message id of the conversation, walking `listMessages` (pages of 7)
 */
import { createServer } from 'node:http';
import { createBrevoAdapter } from '@switchboard/brevo';
import type { ChatEvent } from '@switchboard/core';
import { createRedisStateStore } from '../src/index.js';

const url = process.env.REDIS_TEST_URL!;
const prefix = process.env.REDIS_TEST_PREFIX!;
const store = createRedisStateStore({ url, prefix });
const adapter = createBrevoAdapter({
  apiKey: 'xkeysib-multi-instance',
  webhookSecret: 'whsec-multi-instance',
  agent: { id: 'agent-1' },
  baseUrl: 'http://127.0.0.1:9/v3',
  presenceIntervalMs: false,
  store,
});
const events: Array<{ type: string; id: string }> = [];
await adapter.subscribe!((event: ChatEvent) => {
  if (event.type === 'message.created') events.push({ type: event.type, id: event.message.id });
  if (event.type === 'conversation.created') events.push({ type: event.type, id: event.conversationId });
});

const server = createServer(async (req, res) => {
  try {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && target.pathname === '/webhook') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const result = await adapter.handleWebhook!(
        new Request(target, {
          method: 'POST',
          body: Buffer.concat(chunks),
          headers: { 'content-type': 'application/json' },
        }),
      );
      res.writeHead(result.status).end();
      return;
    }
    if (target.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(events));
      return;
    }
    if (target.pathname === '/history') {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await adapter.listMessages!(target.searchParams.get('visitor')!, {
          limit: 7,
          ...(cursor && { cursor }),
        });
        ids.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ids));
      return;
    }
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(adapter.close?.())
    .then(() => store.close?.())
    .finally(() => process.exit(0));
});
