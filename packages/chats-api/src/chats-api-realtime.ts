import {
  type ChatEvent,
  type EventSink,
  NetworkError,
  type Participant,
  SwitchboardError,
} from '@switchboard/core';
import pRetry from 'p-retry';
import type { ChatsApiApi } from './chats-api-api.js';
import { fetchMissed, listAllChats, MAX_CATCH_UP } from './chats-api-catch-up.js';
import { connectChatsApiSocket } from './chats-api-connect.js';
import type { ResolvedChatsApiOptions } from './chats-api-options.js';
import type { MessageOut, ServerFrame } from './chats-api-schemas.js';
import type { ChatsApiSocket } from './chats-api-socket.js';
import { mapChatsApiConversationPreview, participantsOf } from './map-chats-api-conversation.js';
import { mapChatsApiMessage } from './map-chats-api-message.js';
import { createRecentIds, type RecentIds } from './recent-ids.js';

/** What the realtime connection needs. */
export interface ChatsApiRealtimeDeps {
  api: ChatsApiApi;
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
 * Ids remembered per chat between two catch-ups of it: more than one catch-up reads back
 * (`MAX_CATCH_UP`), so the next catch-up never delivers again a message delivered live meanwhile.
 */
const SINCE_CAPACITY = 2 * MAX_CATCH_UP;
/**
 * Most live frames held for one chat while it waits for its catch-up; past it the oldest are dropped.
 * Dropped `message` frames stay in the history the catch-up reads (within `MAX_CATCH_UP`).
 */
const MAX_HELD_PER_CHAT = 10_000;

/** The chat a live frame belongs to (`message` and `seen` frames), else `undefined`. */
function chatOf(frame: ServerFrame): string | undefined {
  if (frame.type === 'message') return frame.message.chat_id;
  if (frame.type === 'seen') return frame.chat_id;
  return undefined;
}

/**
 * Starts realtime over `/ws`:
 * - snapshot of our chats (`GET /chats`) → connect (the server subscribes us to them) → catch up what
 *   arrived in between;
 * - `ping` every `pingIntervalMs`; a missing `pong` drops the socket;
 * - on any close: reports a retryable `NetworkError` through `onError`, reconnects with exponential
 *   backoff and jitter (p-retry), logs in again once on a refused token (when we have a password),
 *   then catches up from history what was missed;
 * - every `syncIntervalMs`, the same catch-up: finds chats others added us to (no event exists) and
 *   messages sent over REST (never broadcast), and subscribes to new chats.
 *
 * Ordering: from the moment a socket starts connecting, each chat's live frames are **held** until that
 * chat's catch-up has run on a `GET /chats` snapshot taken after the socket was open; then the history
 * read back (oldest first) and the held frames are merged by message id. A chat's live frames are held
 * the same way while a periodic sync reads its history. So each message is delivered exactly once and in
 * order per chat, across reconnects: a frame reaching a new socket before its catch-up cannot overtake
 * messages missed while disconnected. (A message another client sent over REST is never broadcast: it
 * comes with the next catch-up, after any live message that overtook it.)
 * @throws {SwitchboardError} when the first connection cannot be made (after a few retries).
 */
export async function startChatsApiRealtime(deps: ChatsApiRealtimeDeps): Promise<ChatsApiRealtime> {
  const { api, options, selfId } = deps;
  const abort = new AbortController();
  const emitted = createRecentIds(DEDUPE_CAPACITY);
  /**
   * Chat id → id of the chat's newest message as of its last catch-up (at start: the newest there was;
   * `null`: none). The next catch-up reads back everything newer: what live frames missed, and what
   * others sent over REST (never broadcast), even when a live message overtook it.
   */
  const known = new Map<string, string | null>();
  /** Chat id → ids of the messages delivered since its last catch-up (which the next one reads back). */
  const deliveredSince = new Map<string, RecentIds>();
  /** Chats whose live frames wait for their catch-up, with those frames in arrival order. */
  const held = new Map<string, ServerFrame[]>();
  /** Bumped when a socket starts connecting, once it is open, and when it closes. */
  let epoch = 0;
  /**
   * The epoch in which the current socket opened (`-1`: none open). Only a pass that started then — its
   * snapshot taken while that socket was subscribed — may release chats; a pass that started while a
   * socket was connecting (even one that then failed) or while none was open only delivers history.
   */
  let openEpoch = -1;
  const mayRelease = (passEpoch: number) => passEpoch === epoch && passEpoch === openEpoch;
  /** Chats the current socket is subscribed to. */
  let subscribed = new Set<string>();
  let socket: ChatsApiSocket | undefined;
  let syncing: Promise<void> | undefined;
  /** A catch-up was asked for while one ran: run another pass after it. */
  let again = false;
  let timers: NodeJS.Timeout[] = [];

  const emit = (event: ChatEvent) => {
    try {
      deps.sink(event);
    } catch (error) {
      deps.onError(error);
    }
  };

  /** Delivers a message unless it already was (since the chat's last catch-up, or among the last 10,000). */
  const deliverMessage = (out: MessageOut, raw: unknown) => {
    const message = mapChatsApiMessage(out, selfId, deps.participants);
    const since = deliveredSince.get(message.conversationId) ?? createRecentIds(SINCE_CAPACITY);
    if (since.has(message.id) || !emitted.add(message.id)) return;
    deliveredSince.set(message.conversationId, since);
    since.add(message.id);
    emit({
      type: 'message.created',
      provider: 'chats-api',
      conversationId: message.conversationId,
      message,
      raw,
    });
  };

  const deliver = (frame: ServerFrame) => {
    if (frame.type === 'message') deliverMessage(frame.message, frame);
    else if (frame.type === 'seen') {
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

  const onFrame = (frame: ServerFrame) => {
    const chatId = chatOf(frame);
    if (chatId === undefined) return;
    // A chat we have not listed yet (created between our snapshot and the socket's connect): its frames
    // wait for the pass that finds it (conversation.created, then its history, then them).
    if (!known.has(chatId)) hold(chatId);
    const queue = held.get(chatId);
    if (!queue) {
      deliver(frame);
      return;
    }
    queue.push(frame);
    if (queue.length > MAX_HELD_PER_CHAT) queue.shift();
  };

  /** From now on, `chatId`'s live frames wait for {@link release}. */
  const hold = (chatId: string) => {
    if (!held.has(chatId)) held.set(chatId, []);
  };
  /** Delivers the frames held for `chatId` (those already delivered from history are skipped by id). */
  const release = (chatId: string) => {
    const frames = held.get(chatId) ?? [];
    held.delete(chatId);
    for (const frame of frames) deliver(frame);
  };

  const subscribe = async (chatId: string) => {
    if (!socket || subscribed.has(chatId)) return;
    await socket.subscribe(chatId);
    subscribed.add(chatId);
  };

  /**
   * Catches up one chat: holds its live frames, reads back the history newer than its last catch-up
   * (when the snapshot's newest differs) and delivers, oldest first, what was not delivered yet; then
   * releases the held frames, unless a new socket came since the pass began (the next pass will).
   */
  const catchUp = async (chatId: string, newest: string | null, passEpoch: number) => {
    hold(chatId);
    if (newest !== null && known.get(chatId) !== newest) {
      const from = known.get(chatId) ?? null;
      const missed = await fetchMissed(api, chatId, from, abort.signal);
      for (const [id, participant] of participantsOf(missed.chat, selfId))
        deps.participants.set(id, participant);
      if (!missed.complete) {
        // The chat outpaced our paging: delivering what we read would skip a gap. Keep it held and run
        // another pass once this one is done.
        again = true;
        return;
      }
      if (missed.truncated)
        deps.onError(
          new NetworkError(
            `chats-api: more than ${MAX_CATCH_UP} messages of chat ${chatId} came while realtime was disconnected or catching up; only the newest ${MAX_CATCH_UP} are delivered, read the older ones with listMessages.`,
            { provider: 'chats-api', retryable: false },
          ),
        );
      for (const out of [...missed.messages].reverse()) deliverMessage(out, out);
      // The next catch-up starts after what this one read (held frames released below are newer).
      deliveredSince.delete(chatId);
      known.set(chatId, missed.messages[0]?.id ?? from);
    }
    if (mayRelease(passEpoch)) release(chatId);
  };

  /** One catch-up pass over every chat we are in. */
  const pass = async () => {
    const passEpoch = epoch;
    const chats = await listAllChats(api, abort.signal);
    for (const chat of chats) {
      if (abort.signal.aborted) return;
      if (!known.has(chat.id)) {
        hold(chat.id);
        known.set(chat.id, null);
        emit({
          type: 'conversation.created',
          provider: 'chats-api',
          conversationId: chat.id,
          conversation: mapChatsApiConversationPreview(chat, selfId),
          raw: chat,
        });
      }
      await subscribe(chat.id);
      await catchUp(chat.id, chat.last_message?.id ?? null, passEpoch);
    }
    // Chats we are no longer in get no frames; deliver what they held. (Chats not known yet stay held
    // until a pass lists them.)
    if (!mayRelease(passEpoch)) return;
    const listed = new Set(chats.map((chat) => chat.id));
    for (const chatId of [...held.keys()]) if (known.has(chatId) && !listed.has(chatId)) release(chatId);
  };

  /** Runs catch-up passes (single-flight): one asked for while a pass runs runs right after it. */
  const sync = (): Promise<void> => {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      try {
        do {
          again = false;
          try {
            await pass();
          } catch (error) {
            // Chats left held stay held (their frames are kept) until a later pass catches them up.
            if (!abort.signal.aborted) deps.onError(error);
          }
        } while (again && !abort.signal.aborted);
      } finally {
        syncing = undefined;
      }
    })();
    return syncing;
  };

  const connectOnce = async () => {
    // The server subscribes the new socket to every chat we are in; hold their frames from the first
    // one on, until their catch-up (which needs a snapshot taken once the socket is open).
    epoch += 1;
    const chatsBefore = new Set(known.keys());
    for (const chatId of chatsBefore) hold(chatId);
    const opened = await connectChatsApiSocket(
      api,
      options,
      selfId,
      {
        onFrame,
        onError: deps.onError,
        onClose: (code) => {
          socket = undefined;
          epoch += 1;
          if (abort.signal.aborted) return;
          deps.onError(
            new NetworkError(
              `chats-api: the realtime WebSocket closed (code ${code}); reconnecting, then catching up from history.`,
              { provider: 'chats-api', retryable: true },
            ),
          );
          void reconnect();
        },
      },
      abort.signal,
    );
    epoch += 1;
    openEpoch = epoch;
    return { opened, chatsBefore };
  };

  const connect = async (retries: number) => {
    const { opened, chatsBefore } = await pRetry(connectOnce, {
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
    subscribed = chatsBefore;
    await sync();
  };

  const reconnect = async () => {
    try {
      await connect(Number.POSITIVE_INFINITY);
    } catch (error) {
      if (!abort.signal.aborted) deps.onError(error);
    }
  };

  for (const chat of await listAllChats(api)) known.set(chat.id, chat.last_message?.id ?? null);
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
