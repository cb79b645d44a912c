import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { parseUuid } from './chats-api-ids.js';
import { userFromToken } from './chats-api-routes.js';
import type { ChatRecord, ChatsApiStore, MessageRecord, UserRecord } from './chats-api-store.js';
import type { TokenIssuer } from './chats-api-tokens.js';
import { Validator } from './chats-api-validation.js';
import { toMessageOut } from './chats-api-wire.js';

/** Which endpoint a socket (or an in-process peer) talks through; it decides the `message` frame shape. */
export type SocketEndpoint = 'all' | 'chat';

/**
 * How a refused WebSocket handshake looks. The server calls `websocket.close(1008)` before `accept()`;
 * depending on the ASGI server a client sees either an accepted socket closed with 1008 (what the
 * AsyncAPI document describes) or an HTTP 403 answer to the handshake (uvicorn).
 */
export type WsAuthFailure = 'close-1008' | 'http-403';

/** What the socket hub works on. */
export interface ChatsApiSocketHubDeps {
  store: ChatsApiStore;
  tokens: TokenIssuer;
  authFailure: WsAuthFailure;
}

/** The WebSocket half of the server (`app/routers/ws.py`): `/ws` and `/ws/chats/{chat_id}`. */
export interface ChatsApiSocketHub {
  /** Takes over an HTTP upgrade request (after the fault kit let it through). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Stores a message from `user` and broadcasts it to every socket subscribed to the chat, exactly as
   * a `message` event sent on `endpoint` would be (`/ws` frames carry `chat_id`, per-chat ones do not).
   */
  sendAs(
    user: UserRecord,
    chat: ChatRecord,
    content: MessageContent,
    endpoint: SocketEndpoint,
  ): MessageRecord;
  /** Records and broadcasts a `seen` event from `user`, as the server does. */
  seenAs(user: UserRecord, chat: ChatRecord, messageIds: string[]): void;
  /** Drops every open socket without a close frame (clients see code 1006), as a network failure would. */
  dropConnections(): void;
  /** Sockets currently open. */
  readonly openSockets: number;
  /** Terminates every socket and stops accepting new ones. */
  close(): Promise<void>;
}

/** The text and/or image of a message. */
export interface MessageContent {
  text: string | null;
  image: string | null;
}

/** A client frame that made the server's handler raise: uvicorn closes the socket with 1011. */
class HandlerCrash extends Error {}

const POLICY_VIOLATION = 1008;
const INTERNAL_ERROR = 1011;

/** Creates the hub. Sockets are tracked per chat, as the server's `ChatConnectionManager` does. */
export function createChatsApiSocketHub({
  store,
  tokens,
  authFailure,
}: ChatsApiSocketHubDeps): ChatsApiSocketHub {
  const wss = new WebSocketServer({ noServer: true });
  const subscribers = new Map<string, Set<WebSocket>>();

  const subscribe = (chatId: string, ws: WebSocket) => {
    const set = subscribers.get(chatId) ?? new Set();
    subscribers.set(chatId, set.add(ws));
  };
  const unsubscribe = (chatId: string, ws: WebSocket) => {
    const set = subscribers.get(chatId);
    set?.delete(ws);
    if (set?.size === 0) subscribers.delete(chatId);
  };
  const broadcast = (chatId: string, frame: unknown) => {
    const data = JSON.stringify(frame);
    for (const ws of subscribers.get(chatId) ?? []) if (ws.readyState === WebSocket.OPEN) ws.send(data);
  };

  /** `MessageCreate(**{k: data.get(k) …})`: a validation error is not caught by the server. */
  const messageContent = (data: Record<string, unknown>): MessageContent => {
    const v = new Validator();
    const text = v.string(['text_content'], data.text_content ?? null, { nullable: true, maxLength: 4000 });
    const image = v.string(['image_content'], data.image_content ?? null, { nullable: true });
    if (v.issues.length > 0) throw new HandlerCrash();
    return { text: text ?? null, image: image ?? null };
  };

  const sendAs = (user: UserRecord, chat: ChatRecord, content: MessageContent, endpoint: SocketEndpoint) => {
    const message = store.addMessage(chat, user.id, content.text, content.image);
    const out = toMessageOut(message);
    broadcast(
      chat.id,
      endpoint === 'all'
        ? { type: 'message', chat_id: chat.id, message: out }
        : { type: 'message', message: out },
    );
    return message;
  };

  /** Inserts the seen rows (duplicates and unknown ids make the whole commit fail) and broadcasts anyway. */
  const seenAs = (user: UserRecord, chat: ChatRecord, messageIds: unknown[]) => {
    store.markSeen(
      user.id,
      messageIds.flatMap((id) => parseUuid(String(id)) ?? []),
    );
    broadcast(chat.id, {
      type: 'seen',
      chat_id: chat.id,
      user_id: user.id,
      message_ids: messageIds.map(String),
    });
  };

  const seenIds = (data: Record<string, unknown>): unknown[] => {
    const ids = data.message_ids;
    if (!ids) return [];
    if (!Array.isArray(ids)) throw new HandlerCrash();
    return ids;
  };

  /** Handles one parsed client event; returns the direct reply, if any. */
  const handle = (
    ws: WebSocket,
    user: UserRecord,
    pinned: ChatRecord | undefined,
    data: Record<string, unknown>,
  ) => {
    const type = data.type;
    if (type === 'ping') return { type: 'pong' };

    if (pinned) {
      // /ws/chats/{chat_id}: the chat is fixed by the path; membership was checked at connect.
      if (type === 'message') {
        const content = messageContent(data);
        if (!content.text && !content.image)
          return { type: 'error', error: 'text_content or image_content required' };
        sendAs(user, pinned, content, 'chat');
        return undefined;
      }
      if (type === 'seen') {
        seenAs(user, pinned, seenIds(data));
        return undefined;
      }
      return { type: 'error', error: 'Unknown event type' };
    }

    if (!['message', 'seen', 'subscribe', 'unsubscribe'].includes(String(type)))
      return { type: 'error', error: 'Unknown event type' };
    const chatId = typeof data.chat_id === 'string' ? parseUuid(data.chat_id) : undefined;
    if (!chatId) return { type: 'error', error: 'chat_id is required' };
    if (type === 'unsubscribe') {
      unsubscribe(chatId, ws);
      return { type: 'unsubscribed', chat_id: chatId };
    }
    const chat = store.memberChat(chatId, user.id);
    if (!chat) return { type: 'error', error: 'Not a member of chat' };
    if (type === 'subscribe') {
      subscribe(chatId, ws);
      return { type: 'subscribed', chat_id: chatId };
    }
    if (type === 'seen') {
      seenAs(user, chat, seenIds(data));
      return undefined;
    }
    const content = messageContent(data);
    if (!content.text && !content.image)
      return { type: 'error', error: 'text_content or image_content required' };
    sendAs(user, chat, content, 'all');
    return undefined;
  };

  const onFrame = (
    ws: WebSocket,
    user: UserRecord,
    pinned: ChatRecord | undefined,
    raw: RawData,
    isBinary: boolean,
  ) => {
    try {
      if (isBinary) throw new HandlerCrash(); // Starlette's receive_text() fails on a binary frame.
      let data: unknown;
      try {
        data = JSON.parse(raw.toString());
      } catch {
        ws.send(JSON.stringify({ type: 'error', error: 'Invalid JSON' }));
        return;
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HandlerCrash(); // no .get()
      const reply = handle(ws, user, pinned, data as Record<string, unknown>);
      if (reply) ws.send(JSON.stringify(reply));
    } catch {
      // Anything the handler raises (validation, over-long columns) ends the connection.
      ws.close(INTERNAL_ERROR);
    }
  };

  const refuse = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (authFailure === 'http-403') {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(POLICY_VIOLATION));
  };

  /** Who connects, and to which chat: `undefined` when the server would refuse the handshake. */
  const admit = (req: IncomingMessage): { user: UserRecord; pinned?: ChatRecord } | undefined => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const match = /^\/ws(?:\/chats\/([^/]+))?$/.exec(url.pathname);
    if (!match) return undefined;
    const header = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = url.searchParams.get('token') || header;
    if (!token) return undefined;
    let user: UserRecord;
    try {
      user = userFromToken(store, tokens, token);
    } catch {
      return undefined;
    }
    if (match[1] === undefined) return { user };
    const chatId = parseUuid(decodeURIComponent(match[1]));
    const pinned = chatId ? store.memberChat(chatId, user.id) : undefined;
    return pinned ? { user, pinned } : undefined;
  };

  return {
    upgrade(req, socket, head) {
      const admitted = admit(req);
      if (!admitted) return refuse(req, socket, head);
      const { user, pinned } = admitted;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const chatIds = pinned ? [pinned.id] : store.chatIdsOf(user.id);
        for (const chatId of chatIds) subscribe(chatId, ws);
        ws.on('message', (raw, isBinary) => onFrame(ws, user, pinned, raw, isBinary));
        ws.on('close', () => {
          for (const chatId of [...subscribers.keys()]) unsubscribe(chatId, ws);
        });
      });
    },
    sendAs,
    seenAs,
    dropConnections() {
      for (const ws of wss.clients) ws.terminate();
    },
    get openSockets() {
      return wss.clients.size;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
