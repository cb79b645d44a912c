import { type ChatEvent, type EventSink, type Participant, SwitchboardError } from '@switchboard/core';
import pRetry from 'p-retry';
import { fetchMissed, listAllChats } from './chats-api-catch-up.js';
import { connectChatsApiSocket } from './chats-api-connect.js';
import type { ResolvedChatsApiOptions } from './chats-api-options.js';
import type { ChatsApiRest } from './chats-api-rest.js';
import type { ServerFrame } from './chats-api-schemas.js';
import type { ChatsApiSocket } from './chats-api-socket.js';
import { participantsOf, toConversationFromPreview } from './map-chats-api-conversation.js';
import { toMessage } from './map-chats-api-message.js';

import { createRecentIds } from './recent-ids.js';

/** What the realtime connection needs. */
export interface ChatsApiRealtimeDeps {
  rest: ChatsApiRest;
  options: ResolvedChatsApiOptions;
  selfId: string;
  /** Users seen so far (shared with the adapter), to name the senders of live messages. */
  participants: Map<string, Participant>;
  sink: EventSink;
  onError(error: unknown): void;
}

/** The running realtime connection: one `/ws` socket, kept open. */
export interface ChatsApiRealtime {
  /** The socket, while connected. */
  readonly socket: ChatsApiSocket | undefined;
  /**
   * Makes sure the socket is subscribed to `chatId` (the server subscribes a socket only to the chats
   * that existed when it connected) and that the chat takes part in catch-ups.
   */
  track(chatId: string): Promise<void>;
  close(): Promise<void>;
}

/** Initial connection attempts before `subscribe` gives up (later reconnects never give up). */
const INITIAL_RETRIES = 3;
/** Message ids remembered to deliver each message once. */
const DEDUPE_CAPACITY = 10_000;

/**
 * Starts realtime over `/ws`:
 * - snapshot of our chats (`GET /chats`) → connect (the server subscribes us to them) → catch up what
 *   arrived in between;
 * - `ping` every `pingIntervalMs`; a missing `pong` drops the socket;
 * - on any close: reconnect with exponential backoff and jitter (p-retry), log in again once on a
 *   refused token (when we have a password), then catch up from history what was missed, oldest
 *   first, each message exactly once;
 * - every `syncIntervalMs`, the same catch-up: finds chats others added us to (no event exists) and
 *   messages sent over REST (never broadcast), and subscribes to new chats.
 * @throws {SwitchboardError} when the first connection cannot be made (after a few retries).
 */
export async function startChatsApiRealtime(deps: ChatsApiRealtimeDeps): Promise<ChatsApiRealtime> {
  const { rest, options, selfId } = deps;
  const abort = new AbortController();
  const emitted = createRecentIds(DEDUPE_CAPACITY);
  /** Chat id → id of the newest message we know of there (`null`: none). */
  const known = new Map<string, string | null>();
  /** Chats the current socket is subscribed to. */
  let subscribed = new Set<string>();
  let socket: ChatsApiSocket | undefined;
  /** Live frames held back while a catch-up runs, so events stay in order. */
  let held: ServerFrame[] | undefined;
  let syncing: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];

  const emit = (event: ChatEvent) => {
    try {
      deps.sink(event);
    } catch (error) {
      deps.onError(error);
    }
  };

  const onFrame = (frame: ServerFrame) => {
    if (held) {
      held.push(frame);
      return;
    }
    if (frame.type === 'message') {
      const message = toMessage(frame.message, selfId, deps.participants);
      known.set(message.conversationId, message.id);
      if (emitted.add(message.id))
        emit({
          type: 'message.created',
          provider: 'chats-api',
          conversationId: message.conversationId,
          message,
          raw: frame,
        });
    } else if (frame.type === 'seen') {
      for (const messageId of frame.message_ids)
        emit({
          type: 'read',
          provider: 'chats-api',
          conversationId: frame.chat_id,
          messageId,
          readerId: frame.user_id,
          raw: frame,
        });
    }
  };

  /** One catch-up pass (single-flight). */
  const sync = () => {
    syncing ??= (async () => {
      held = [];
      try {
        for (const chat of await listAllChats(rest, abort.signal)) {
          const isNew = !known.has(chat.id);
          const newest = chat.last_message?.id ?? null;
          if (isNew) {
            emit({
              type: 'conversation.created',
              provider: 'chats-api',
              conversationId: chat.id,
              conversation: toConversationFromPreview(chat, selfId),
              raw: chat,
            });
            await subscribe(chat.id);
          }
          if (newest === null || (!isNew && known.get(chat.id) === newest)) {
            known.set(chat.id, newest);
            continue;
          }
          const missed = await fetchMissed(rest, chat.id, known.get(chat.id) ?? null, abort.signal);
          for (const [id, participant] of participantsOf(missed.chat, selfId))
            deps.participants.set(id, participant);
          for (const out of missed.messages.reverse()) {
            const message = toMessage(out, selfId, deps.participants);
            if (emitted.add(message.id))
              emit({
                type: 'message.created',
                provider: 'chats-api',
                conversationId: chat.id,
                message,
                raw: out,
              });
          }
          known.set(chat.id, newest);
        }
      } catch (error) {
        if (!abort.signal.aborted) deps.onError(error);
      } finally {
        const frames = held;
        held = undefined;
        syncing = undefined;
        for (const frame of frames ?? []) onFrame(frame);
      }
    })();
    return syncing;
  };

  const subscribe = async (chatId: string) => {
    if (!socket || subscribed.has(chatId)) return;
    await socket.subscribe(chatId);
    subscribed.add(chatId);
  };

  const connectOnce = () =>
    connectChatsApiSocket(
      rest,
      options,
      selfId,
      {
        onFrame,
        onError: deps.onError,
        onClose: () => {
          socket = undefined;
          if (!abort.signal.aborted) void reconnect();
        },
      },
      abort.signal,
    );

  const connect = async (retries: number) => {
    const opened = await pRetry(connectOnce, {
      retries,
      minTimeout: options.reconnect.minDelayMs,
      maxTimeout: options.reconnect.maxDelayMs,
      randomize: true,
      signal: abort.signal,
      onFailedAttempt: ({ error }) => {
        if (retries === Number.POSITIVE_INFINITY && !abort.signal.aborted) deps.onError(error);
      },
      shouldRetry: ({ error }) =>
        retries === Number.POSITIVE_INFINITY || (SwitchboardError.isInstance(error) && error.retryable),
    });
    if (abort.signal.aborted) {
      await opened.close();
      return;
    }
    socket = opened;
    // The server subscribed the new socket to every chat we were in when it connected.
    subscribed = new Set(known.keys());
    await sync();
  };

  const reconnect = async () => {
    try {
      await connect(Number.POSITIVE_INFINITY);
    } catch (error) {
      if (!abort.signal.aborted) deps.onError(error);
    }
  };

  for (const chat of await listAllChats(rest)) known.set(chat.id, chat.last_message?.id ?? null);
  await connect(INITIAL_RETRIES);

  const every = (ms: number, task: () => Promise<unknown>) => {
    const timer = setInterval(() => void task().catch((error) => deps.onError(error)), ms);
    timer.unref();
    timers.push(timer);
  };
  // A missing pong means a dead connection: drop it, which reconnects.
  every(options.pingIntervalMs, async () => socket?.ping().catch(() => socket?.terminate()));
  every(options.syncIntervalMs, sync);

  return {
    get socket() {
      return socket;
    },
    async track(chatId) {
      if (!known.has(chatId)) known.set(chatId, null);
      await subscribe(chatId);
    },
    async close() {
      abort.abort();
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await syncing;
      await socket?.close();
      socket = undefined;
    },
  };
}
