import {
  AuthenticationError,
  InvalidResponseError,
  NetworkError,
  redactUrl,
  type SwitchboardError,
  TimeoutError,
  toSafeCause,
} from '@switchboard/core';
import { mapHttpStatus, retryAfterMsFromHeaders } from '@switchboard/core/http';
import WebSocket from 'ws';
import type { MessageCreate } from './chats-api-api.js';
import { type MessageOut, type ServerFrame, serverFrameSchema } from './chats-api-schemas.js';
import { mapChatsApiSocketError, serverCrashError } from './map-chats-api-error.js';

const PROVIDER = 'chats-api';
const POLICY_VIOLATION = 1008;
const INTERNAL_ERROR = 1011;

/** Options of {@link openChatsApiSocket}. */
export interface ChatsApiSocketOptions {
  /** `ws(s)://…/ws` without the token. */
  url: string;
  /** Sent as `?token=` (the server's documented way); never appears in an error. */
  token: string;
  /** Our user id: our own echoes are recognised by `from_user_id` / `user_id`. */
  selfId: string;
  /** How long the handshake, and each request's confirmation, may take, in ms. */
  confirmTimeoutMs: number;
  /** Every valid frame the server sends (our echoes included), after request correlation. */
  onFrame(frame: ServerFrame): void;
  /** A frame that is not what the AsyncAPI document describes. */
  onError(error: SwitchboardError): void;
  /** The socket closed after it was open (not called when `close()` was asked for). */
  onClose(code: number): void;
  /**
   * Aborting drops the socket, also while it is still connecting. The socket's one `abort` listener is
   * removed when it closes, so a long-lived signal can serve any number of sockets.
   */
  signal?: AbortSignal;
}

/** One open `/ws` connection, with requests correlated to the server's answers. */
export interface ChatsApiSocket {
  /** `subscribe` → `subscribed` (needed for chats created after the socket connected). */
  subscribe(chatId: string): Promise<void>;
  /**
   * Sends a `message` event and resolves with the stored message once its broadcast echo arrives (the
   * server's only confirmation). Subscribe to the chat first: the server echoes only to subscribers.
   * @throws {TimeoutError | NetworkError} when the echo does not come: the message may have been sent.
   */
  sendMessage(chatId: string, body: MessageCreate): Promise<MessageOut>;
  /** Sends a `seen` event and resolves when its broadcast comes back. */
  seen(chatId: string, messageIds: string[]): Promise<void>;
  /** `ping` → `pong`. */
  ping(): Promise<void>;
  /** Drops the connection at once (a dead peer); `onClose` follows, as for any unexpected close. */
  terminate(): void;
  /** Closes the socket (code 1000); resolves once closed. `onClose` is not called. */
  close(): Promise<void>;
}

type Pending = {
  /** Whether this frame is the answer. */
  answers(frame: ServerFrame): boolean;
  /** `ping` never gets an `error` answer. */
  canFail: boolean;
  what: string;
  resolve(frame: ServerFrame): void;
  reject(error: SwitchboardError): void;
};

/**
 * Opens `/ws?token=` and confirms it with a `ping` round trip (a refused token is a close 1008 right
 * after the handshake, or an HTTP 403 to it, depending on the server).
 * @throws {AuthenticationError} when the token is refused; `NetworkError`, `TimeoutError` or the
 * status's error when the socket cannot be opened.
 */
export async function openChatsApiSocket(options: ChatsApiSocketOptions): Promise<ChatsApiSocket> {
  const safeUrl = redactUrl(`${options.url}?token=${encodeURIComponent(options.token)}`);
  const ws = new WebSocket(`${options.url}?token=${encodeURIComponent(options.token)}`, {
    handshakeTimeout: options.confirmTimeoutMs,
  });
  // One listener per socket on the caller's (long-lived) signal, removed when this socket closes, so
  // reconnecting many times under one subscription does not pile up listeners holding dead sockets.
  const onAbort = () => ws.terminate();
  const signal = options.signal;
  if (signal?.aborted) ws.terminate();
  else {
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('close', () => signal?.removeEventListener('abort', onAbort));
  }
  const pending: Pending[] = [];
  let established = false;
  let closing = false;
  let closedWith: number | undefined;

  const fail = (code: number, what: string): SwitchboardError => {
    if (code === POLICY_VIOLATION)
      return new AuthenticationError(
        `chats-api: the WebSocket refused the access token (close 1008) while ${what}.`,
        {
          provider: PROVIDER,
          url: safeUrl,
        },
      );
    if (code === INTERNAL_ERROR) return serverCrashError(what);
    return new NetworkError(`chats-api: the WebSocket closed (code ${code}) while ${what}.`, {
      provider: PROVIDER,
      url: safeUrl,
    });
  };

  const request = (frame: object, what: string, answers: Pending['answers'], canFail = true) =>
    new Promise<ServerFrame>((resolve, reject) => {
      if (closedWith !== undefined) {
        reject(fail(closedWith, what));
        return;
      }
      const timer = setTimeout(() => {
        pending.splice(pending.indexOf(entry), 1);
        reject(
          new TimeoutError(
            `chats-api: no confirmation within ${options.confirmTimeoutMs} ms while ${what}.`,
            {
              provider: PROVIDER,
            },
          ),
        );
      }, options.confirmTimeoutMs);
      const entry: Pending = {
        answers,
        canFail,
        what,
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      pending.push(entry);
      // While the socket is closing, the close handler rejects the request with the close code.
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    });

  /** The server answers one connection's events in order: an answer settles the oldest waiting request it fits. */
  const settle = (frame: ServerFrame) => {
    const index =
      frame.type === 'error'
        ? pending.findIndex((p) => p.canFail)
        : pending.findIndex((p) => p.answers(frame));
    if (index < 0) return;
    const [entry] = pending.splice(index, 1);
    if (frame.type === 'error') entry!.reject(mapChatsApiSocketError(frame.error));
    else entry!.resolve(frame);
  };

  ws.on('message', (data, isBinary) => {
    let frame: ServerFrame;
    try {
      const parsed = serverFrameSchema.safeParse(JSON.parse(isBinary ? '' : data.toString()));
      if (!parsed.success) throw parsed.error;
      frame = parsed.data;
    } catch {
      options.onError(
        new InvalidResponseError(
          'chats-api: the WebSocket sent a frame the AsyncAPI document does not describe.',
          {
            provider: PROVIDER,
          },
        ),
      );
      return;
    }
    settle(frame);
    options.onFrame(frame);
  });

  const opened = new Promise<void>((resolve, reject) => {
    const refuse = (error: SwitchboardError) => {
      ws.terminate();
      reject(error);
    };
    ws.once('unexpected-response', (_req, res) => {
      const headers = Object.fromEntries(
        Object.entries(res.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      const status = res.statusCode ?? 0;
      res.resume();
      refuse(
        status === 403 || status === 401
          ? fail(POLICY_VIOLATION, 'connecting')
          : status < 300
            ? new InvalidResponseError(
                `chats-api: the WebSocket handshake was answered with HTTP ${status}.`,
                {
                  provider: PROVIDER,
                  status,
                  url: safeUrl,
                },
              )
            : mapHttpStatus({
                provider: PROVIDER,
                status,
                body: undefined,
                headers,
                method: 'GET',
                url: safeUrl,
                retryAfterMs: retryAfterMsFromHeaders(headers),
              }),
      );
    });
    ws.once('error', (error) =>
      refuse(
        new NetworkError('chats-api: the WebSocket could not connect.', {
          provider: PROVIDER,
          url: safeUrl,
          cause: toSafeCause(error, [options.token]),
        }),
      ),
    );
    ws.once('open', resolve);
  });

  ws.on('close', (code) => {
    closedWith = code;
    for (const entry of pending.splice(0)) entry.reject(fail(code, entry.what));
    if (established && !closing) options.onClose(code);
  });

  await opened;
  const socket: ChatsApiSocket = {
    async subscribe(chatId) {
      await request(
        { type: 'subscribe', chat_id: chatId },
        `subscribing to chat ${chatId}`,
        (f) => f.type === 'subscribed' && f.chat_id === chatId,
      );
    },
    async sendMessage(chatId, body) {
      const text = body.text_content ?? null;
      const image = body.image_content ?? null;
      const echo = await request(
        { type: 'message', chat_id: chatId, ...body },
        `sending a message to chat ${chatId}; it may have been sent, check the history before sending it again`,
        (f) =>
          f.type === 'message' &&
          f.message.chat_id === chatId &&
          f.message.from_user_id === options.selfId &&
          (f.message.text_content ?? null) === text &&
          (f.message.image_content ?? null) === image,
      );
      return (echo as Extract<ServerFrame, { type: 'message' }>).message;
    },
    async seen(chatId, messageIds) {
      await request(
        { type: 'seen', chat_id: chatId, message_ids: messageIds },
        `marking messages seen in chat ${chatId}`,
        (f) =>
          f.type === 'seen' &&
          f.chat_id === chatId &&
          f.user_id === options.selfId &&
          f.message_ids.join() === messageIds.join(),
      );
    },
    async ping() {
      await request({ type: 'ping' }, 'waiting for pong', (f) => f.type === 'pong', false);
    },
    terminate() {
      ws.terminate();
    },
    close() {
      closing = true;
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
        // A peer that never answers the close frame does not hold us up.
        setTimeout(() => ws.terminate(), options.confirmTimeoutMs).unref();
      });
    },
  };
  // The handshake alone does not prove the token was accepted: the server may close with 1008 next.
  await socket.ping();
  established = true;
  return socket;
}
