import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  ProviderUnavailableError,
  TimeoutError,
} from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { assertAsyncApiClientEvent } from '../../emulators/test/chats-api/spec-validators.js';
import { openChatsApiSocket } from './chats-api-socket.js';

const SELF = 'a0000000-0000-4000-8000-000000000001';
const CHAT = 'c0000000-0000-4000-8000-000000000001';
const TOKEN = 'header.payload.very-secret-signature';

type Script = (frame: Record<string, unknown>, ws: WebSocket) => void;
let server: Server | undefined;

/** A scripted server: answers `ping` with `pong`, everything else through `script`; checks every frame. */
async function scriptedServer(script: Script, onConnect?: (ws: WebSocket) => void) {
  const wss = new WebSocketServer({ noServer: true });
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      onConnect?.(ws);
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as Record<string, unknown>;
        assertAsyncApiClientEvent(frame);
        if (frame.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
        else script(frame, ws);
      });
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const open = (url: string, confirmTimeoutMs = 500) =>
  openChatsApiSocket({
    url,
    token: TOKEN,
    selfId: SELF,
    confirmTimeoutMs,
    onFrame: () => undefined,
    onError: () => undefined,
    onClose: () => undefined,
  });

const echo = (frame: Record<string, unknown>, from = SELF) =>
  JSON.stringify({
    type: 'message',
    chat_id: frame.chat_id,
    message: {
      id: 'e0000000-0000-4000-8000-000000000001',
      chat_id: frame.chat_id,
      from_user_id: from,
      text_content: frame.text_content ?? null,
      image_content: frame.image_content ?? null,
      created_at: '2025-11-04T10:05:00Z',
      seen_by: [],
    },
  });

describe('openChatsApiSocket', () => {
  it('resolves a send with its echo, skipping broadcasts that are not ours', async () => {
    const url = await scriptedServer((frame, ws) => {
      ws.send(echo({ ...frame, text_content: 'someone else' }, 'a0000000-0000-4000-8000-000000000009'));
      ws.send(echo(frame));
    });
    const socket = await open(url);
    const sent = await socket.sendMessage(CHAT, { text_content: 'hi', image_content: null });
    expect(sent).toMatchObject({ chat_id: CHAT, from_user_id: SELF, text_content: 'hi' });
    await socket.close();
  });

  it('fails with TimeoutError (saying it may have been sent) when no echo comes', async () => {
    const url = await scriptedServer(() => undefined);
    const socket = await open(url, 100);
    const error = await socket.sendMessage(CHAT, { text_content: 'lost?' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('may have been sent');
    await socket.close();
  });

  it('maps error frames: Not a member → NotFoundError, validation → InvalidRequestError', async () => {
    const url = await scriptedServer((frame, ws) =>
      ws.send(
        JSON.stringify({
          type: 'error',
          error:
            frame.type === 'subscribe' ? 'Not a member of chat' : 'text_content or image_content required',
        }),
      ),
    );
    const socket = await open(url);
    await expect(socket.subscribe(CHAT)).rejects.toBeInstanceOf(NotFoundError);
    await expect(socket.sendMessage(CHAT, { text_content: null })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await socket.close();
  });

  it('treats a close 1008 right after the handshake, or an HTTP 403, as a refused token', async () => {
    const url = await scriptedServer(
      () => undefined,
      (ws) => ws.close(1008),
    );
    const error = await open(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('very-secret-signature');
    expect((error as AuthenticationError).url).toContain('token=%5BREDACTED%5D');

    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await expect(open(`ws://127.0.0.1:${port}/ws`)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('rejects pending requests when the server closes with 1011 (its handler raised)', async () => {
    const url = await scriptedServer((_frame, ws) => ws.close(1011));
    const socket = await open(url);
    await expect(socket.sendMessage(CHAT, { text_content: 'boom' })).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });

  it('sends seen with the AsyncAPI shape and resolves on its echo', async () => {
    const url = await scriptedServer((frame, ws) =>
      ws.send(
        JSON.stringify({
          type: 'seen',
          chat_id: frame.chat_id,
          user_id: SELF,
          message_ids: frame.message_ids,
        }),
      ),
    );
    const socket = await open(url);
    await socket.seen(CHAT, ['e0000000-0000-4000-8000-000000000001']);
    await socket.close();
  });

  it('removes its abort listener from the caller signal when it closes, however many sockets share it', async () => {
    const url = await scriptedServer(() => undefined);
    const controller = new AbortController();
    const listeners = () => getEventListeners(controller.signal, 'abort').length;
    for (let i = 0; i < 30; i += 1) {
      let dropped!: () => void;
      const closed = new Promise<void>((resolve) => {
        dropped = resolve;
      });
      const socket = await openChatsApiSocket({
        url,
        token: TOKEN,
        selfId: SELF,
        confirmTimeoutMs: 500,
        onFrame: () => undefined,
        onError: () => undefined,
        onClose: () => dropped(),
        signal: controller.signal,
      });
      expect(listeners()).toBe(1);
      if (i % 2 === 0) await socket.close();
      else {
        socket.terminate();
        await closed;
      }
      expect(listeners()).toBe(0);
    }
  });
});
