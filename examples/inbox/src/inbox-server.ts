import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { InvalidRequestError, SwitchboardError } from '@switchboard/core';
import {
  type AccountHealth,
  formatConversationRef,
  type Inbox,
  type InboxChatEvent,
  parseMessageRef,
  toConversationRef,
  type UnreadChange,
} from '@switchboard/inbox';
import { build } from 'esbuild';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import {
  wireAccount,
  wireConversation,
  wireError,
  wireEvent,
  wireHealth,
  wireMessage,
} from './inbox-wire.js';

/** What the server needs besides the inbox: demo hooks (peers answering, outages), all optional. */
export interface InboxServerOptions {
  inbox: Inbox;
  /** Port (default 0: any free port). */
  port?: number;
  /** Account key whose webhooks arrive at `POST /webhooks/:account`. */
  webhookAccounts?: string[];
  /** Called after each successful send (the demo makes the other party answer). */
  afterSend?(account: string, conversationId: string, text: string): void;
  /** Takes an account's provider down (`down: true`) or back up: `POST /api/demo/outage`. */
  setOutage?(account: string, down: boolean): void;
}

export interface InboxServer {
  url: string;
  close(): Promise<void>;
}

const publicDir = new URL('../public/', import.meta.url);

/** Bundles the page's TypeScript (src/client) into one browser script, in memory. */
async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./client/app.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
  });
  return result.outputFiles[0]!.text;
}

function statusOf(error: unknown): 400 | 404 | 409 | 502 {
  if (!SwitchboardError.isInstance(error)) return 502;
  if (error.code === 'invalid_request') return 400;
  if (error.code === 'not_found') return 404;
  if (error.code === 'unsupported_operation') return 409;
  return 502;
}

/**
 * The inbox as a web app: a JSON API, Server-Sent Events for everything live, and the page.
 *
 * | route | |
 * |---|---|
 * | `GET /api/accounts` | accounts with provider, capabilities, health, unread |
 * | `GET /api/conversations?unread=1` | the merged list `{ items, missing }` |
 * | `GET /api/messages?ref=&cursor=` | one history page, newest first `{ items, nextCursor }` |
 * | `POST /api/send {ref, text}` | sends (streamed where the account streams replies) |
 * | `POST /api/read {ref, messageId?}` | marks read |
 * | `POST /api/react {ref, value}` | reacts to a message (`ref` is a message ref) |
 * | `GET /api/events` | SSE: `message`, `delta`, `reaction`, `unread`, `health` |
 */
export async function startInboxServer(options: InboxServerOptions): Promise<InboxServer> {
  const { inbox } = options;
  const script = await bundleClient();
  const app = new Hono();
  /** Every open event stream of every page. */
  const streams = new Set<(event: string, data: unknown) => void>();
  const broadcast = (event: string, data: unknown) => {
    for (const send of streams) send(event, data);
  };

  app.onError((error, c) => c.json({ error: wireError(error) }, statusOf(error)));

  const page = (file: string, type: string) => async () =>
    new Response(await readFile(new URL(file, publicDir)), { headers: { 'content-type': type } });
  app.get('/', page('index.html', 'text/html; charset=utf-8'));
  app.get('/style.css', page('style.css', 'text/css; charset=utf-8'));
  app.get('/app.js', (c) => c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  app.get('/api/accounts', (c) =>
    c.json({ accounts: inbox.accounts.map((a) => wireAccount(inbox, a)), unread: inbox.unread() }),
  );

  app.get('/api/conversations', async (c) => {
    const list = inbox.conversations({ unreadOnly: c.req.query('unread') === '1' });
    const items = [];
    for await (const item of list) items.push(wireConversation(item));
    return c.json({
      items,
      missing: list.missing.map((m) => ({ account: m.account, error: wireError(m.error) })),
    });
  });

  app.get('/api/messages', async (c) => {
    const ref = toConversationRef(c.req.query('ref') ?? '');
    const cursor = c.req.query('cursor');
    const { pageSize } = inbox.capabilities(ref.account);
    const limit = Math.min(pageSize.max, Math.max(pageSize.min, 20));
    const page = await inbox.listMessages(ref, { limit, ...(cursor ? { cursor } : {}) });
    return c.json({
      items: page.items.map((m) => wireMessage(m.account, m.message)),
      nextCursor: page.nextCursor,
    });
  });

  app.post('/api/send', async (c) => {
    const body = await c.req.json<{ ref?: string; text?: string }>();
    const ref = toConversationRef(String(body.ref ?? ''));
    const text = String(body.text ?? '');
    if (inbox.supports(ref.account, 'streamedReplies')) {
      // Accepted: the answer streams to the page as `delta` events, then one `message`; our own
      // message as stored follows as a `message` too (the provider confirms it after the reply).
      const stream = await inbox.sendStreaming(ref, text);
      stream.userMessage.then(
        (sent) => broadcast('message', wireMessage(ref.account, sent)),
        () => {}, // a failed stream reaches the page as the account's health
      );
      return c.json({ streaming: true }, 202);
    }
    const sent = await inbox.send(ref, text);
    options.afterSend?.(sent.account, sent.ref.conversationId, text);
    return c.json({ message: wireMessage(sent.account, sent.message), streaming: false });
  });

  app.post('/api/read', async (c) => {
    const body = await c.req.json<{ ref?: string; messageId?: string }>();
    await inbox.markRead(String(body.ref ?? ''), body.messageId);
    return c.json({ unread: inbox.unread() });
  });

  app.post('/api/react', async (c) => {
    const body = await c.req.json<{ ref?: string; value?: string }>();
    const ref = parseMessageRef(String(body.ref ?? ''));
    await inbox.react(ref, ref.messageId, String(body.value ?? ''));
    return c.json({ ok: true });
  });

  app.post('/api/demo/outage', async (c) => {
    const body = await c.req.json<{ account?: string; down?: boolean }>();
    if (!options.setOutage) throw new InvalidRequestError('Outages are a demo feature.');
    inbox.health(String(body.account)); // unknown account → 400
    options.setOutage(String(body.account), body.down === true);
    return c.json({ ok: true });
  });

  for (const account of options.webhookAccounts ?? []) {
    app.post(`/webhooks/${account}`, (c) => inbox.handleWebhook(account, c.req.raw));
  }

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let id = 0;
      const send = (event: string, data: unknown) => {
        id += 1;
        void stream.writeSSE({ event, data: JSON.stringify(data), id: String(id) });
      };
      const listeners = {
        event: (e: InboxChatEvent) => {
          const wire = wireEvent(e.account, e.event);
          if (wire) send(...wire);
        },
        health: (h: AccountHealth) => send('health', wireHealth(h)),
        unread: (u: UnreadChange) =>
          send('unread', { ref: formatConversationRef(u.ref), count: u.count, counts: u.counts }),
      };
      streams.add(send);
      inbox.on('event', listeners.event);
      inbox.on('health', listeners.health);
      inbox.on('unread', listeners.unread);
      send('ready', { accounts: inbox.healthAll().map(wireHealth) });
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      streams.delete(send);
      inbox.off('event', listeners.event);
      inbox.off('health', listeners.health);
      inbox.off('unread', listeners.unread);
    }),
  );

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
