import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventType, Message, Messenger } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { uniqueText } from './fixtures.js';
import { allOf, declared, realtimeKind, withRealtime } from './requirements.js';

/**
 * The realtime-events family: each change the manifest declares (edit, delete, reaction, read, mute,
 * leave, a new conversation, a streamed reply's chunks) reaches the Messenger's `'event'` stream
 * exactly once, as the right `ChatEvent` type with the right ids and values. One case per kind, so a
 * failure names the kind.
 */

/** The event of type `T`. */
type EventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;

/** Every `'event'` (and `'error'`) from now on, with event-driven waits over them. */
function recordChatEvents(messenger: Messenger) {
  const events: ChatEvent[] = [];
  const errors: string[] = [];
  const waiters = new Set<() => void>();
  const onEvent = (event: ChatEvent) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  };
  const onError = (error: unknown) => errors.push(describeThrown(error));
  messenger.on('event', onEvent);
  messenger.on('error', onError);
  return {
    events,
    /** Events of `type` recorded from position `from` on. */
    ofType<T extends ChatEventType>(type: T, from = 0): EventOf<T>[] {
      return events.slice(from).filter((event): event is EventOf<T> => event.type === type);
    },
    /**
     * Resolves with the first event (from position `from` on) of `type` matching `predicate`; rejects
     * after `timeoutMs`, naming what arrived instead.
     */
    waitFor<T extends ChatEventType>(
      type: T,
      predicate: (event: EventOf<T>) => boolean,
      timeoutMs: number,
      what: string,
      from = 0,
    ): Promise<EventOf<T>> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find((e) => e.type === type && predicate(e as EventOf<T>));
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found as EventOf<T>);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = events.slice(from).map(describeEvent);
          reject(
            new assert.AssertionError({
              message: `no '${type}' event for ${what} within ${timeoutMs} ms; events seen: ${
                seen.length ? seen.join(', ') : 'none'
              }${errors.length ? `; 'error' events: ${errors.join(' | ')}` : ''}`,
            }),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    stop() {
      messenger.off('event', onEvent);
      messenger.off('error', onError);
      waiters.clear();
    },
  };
}

type Recorder = ReturnType<typeof recordChatEvents>;

/** One line per event for failure messages: its type and the ids it carries. */
function describeEvent(event: ChatEvent): string {
  switch (event.type) {
    case 'message.created':
    case 'message.updated':
      return `${event.type}(${event.message.id})`;
    case 'read':
      return `${event.type}(${event.messageId ?? event.conversationId})`;
    case 'message.deleted':
    case 'reaction.added':
    case 'reaction.removed':
      return `${event.type}(${event.messageId})`;
    case 'conversation.updated':
      return `${event.type}:${event.change}(${event.conversationId})`;
    case 'message.delta':
      return `${event.type}(${event.replyId}#${event.index})`;
    default:
      return `${event.type}(${event.conversationId})`;
  }
}

/**
 * Makes the peer write one more message in `conversationId` and waits until it arrived: events are
 * delivered in order, so a duplicate of an earlier change delivered late shows before it does.
 */
async function marker(context: ContractCaseContext, recorder: Recorder, conversationId: string) {
  const text = uniqueText('marker');
  const arrived = recorder.waitFor(
    'message.created',
    (event) => event.message.text === text,
    context.realtimeTimeoutMs,
    "the peer's marker message",
  );
  await context.peer.send(conversationId, text);
  await arrived;
}

/** Asserts `count` of them is exactly 1. */
function assertOnce(count: number, what: string) {
  assert.equal(count, 1, `${what} reached 'event' ${count} times`);
}

/** The account we are logged in as (`connect()`'s answer), or `undefined` when the adapter reports none. */
async function selfOf(messenger: Messenger) {
  return messenger.connect();
}

/**
 * Sends a message of ours and, where realtime echoes our own sends (polling, WebSocket), waits for its
 * echo, so a late echo cannot be taken for the change the case makes next.
 */
async function sendOwn(
  context: ContractCaseContext,
  recorder: Recorder,
  conversationId: string,
  label: string,
): Promise<Message> {
  const sent = await context.messenger.send(conversationId, uniqueText(label));
  if (context.capabilities.realtime === 'polling' || context.capabilities.realtime === 'websocket') {
    await recorder.waitFor(
      'message.created',
      (event) => event.message.id === sent.id,
      context.realtimeTimeoutMs,
      'the echo of our own send',
    );
  }
  return sent;
}

/** A peer message, received through realtime (its id is the one the adapter reports). */
async function peerMessage(
  context: ContractCaseContext,
  recorder: Recorder,
  conversationId: string,
  label: string,
): Promise<Message> {
  const text = uniqueText(label);
  const arrived = recorder.waitFor(
    'message.created',
    (event) => event.message.text === text,
    context.realtimeTimeoutMs,
    "the peer's message",
  );
  await context.peer.send(conversationId, text);
  return (await arrived).message;
}

/** Starts realtime over a fresh conversation with the peer and records every event from then on. */
async function startedConversation(context: ContractCaseContext) {
  const conversationId = await context.peer.startConversation();
  const self = await selfOf(context.messenger);
  await context.messenger.start();
  return { conversationId, self, recorder: recordChatEvents(context.messenger) };
}

/**
 * Runs `check` on a {@link startedConversation}; its recorder stops afterwards, whether `check`
 * passed or threw.
 */
async function whileStarted(
  context: ContractCaseContext,
  check: (started: Awaited<ReturnType<typeof startedConversation>>) => Promise<void>,
): Promise<void> {
  const started = await startedConversation(context);
  try {
    await check(started);
  } finally {
    started.recorder.stop();
  }
}

/** Realtime kinds where changes made through the adapter or by the peer are reported as events. */
const changeFeeds = realtimeKind('polling', 'websocket', 'webhook');

/** The reaction value the reaction event cases use: not 👍, so a hard-coded value is caught. */
const REACTION = '🎉';

/** Per reaction event: the other type (our change must never reach 'event' as it), how failures name the change and the wait. */
const REACTION_CHANGES = {
  'reaction.added': {
    opposite: 'reaction.removed',
    change: 'adding',
    waiting: (messageId: string) => `our reaction to ${messageId}`,
  },
  'reaction.removed': {
    opposite: 'reaction.added',
    change: 'removing',
    waiting: (messageId: string) => `our removed reaction on ${messageId}`,
  },
} as const;

/**
 * After we added or removed {@link REACTION} on `messageId` (events from position `from` on): the
 * `type` event arrives naming the conversation, with that value and our id as sender, reaches
 * 'event' exactly once (checked after a marker), and the change never arrives as the opposite type.
 */
async function checkOwnReactionEvent(
  context: ContractCaseContext,
  { conversationId, self, recorder }: Awaited<ReturnType<typeof startedConversation>>,
  messageId: string,
  type: keyof typeof REACTION_CHANGES,
  from: number,
): Promise<void> {
  const { opposite, change, waiting } = REACTION_CHANGES[type];
  const event = await recorder.waitFor(
    type,
    (e) => e.messageId === messageId,
    context.realtimeTimeoutMs,
    waiting(messageId),
    from,
  );
  assert.equal(event.conversationId, conversationId, `${type} names another conversation`);
  assert.equal(event.reaction.value, REACTION, `${type} carries another reaction value`);
  if (self) assert.equal(event.reaction.senderId, self.id, `${type}'s senderId is not our id`);
  else assert.ok(event.reaction.senderId, `${type} has no senderId`);
  await marker(context, recorder, conversationId);
  assertOnce(
    recorder.ofType(type, from).filter((e) => e.messageId === messageId).length,
    `${type} of our reaction`,
  );
  assert.equal(
    recorder.ofType(opposite, from).length,
    0,
    `${change} a reaction reached 'event' as ${opposite}`,
  );
}

/** The realtime-events family (group `realtime`). */
export const realtimeEventCases: readonly ContractCase[] = [
  {
    id: 'realtime-emits-message-updated',
    group: 'realtime',
    title:
      "after start(), editing our message reaches 'event' exactly once as message.updated with its id, conversation, new text, editedAt and sender.isSelf",
    requires: allOf(declared('editMessage'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const sent = await sendOwn(context, recorder, conversationId, 'before edit');
        const from = recorder.events.length;
        const text = uniqueText('after edit');
        await context.messenger.edit(conversationId, sent.id, text);
        const { message, ...event } = await recorder.waitFor(
          'message.updated',
          (e) => e.message.id === sent.id,
          context.realtimeTimeoutMs,
          `our edited message ${sent.id}`,
          from,
        );
        assert.equal(event.conversationId, conversationId, 'message.updated names another conversation');
        assert.equal(
          message.conversationId,
          conversationId,
          "message.updated's message is in another conversation",
        );
        assert.equal(message.text, text, "message.updated's message does not carry the new text");
        assert.ok(message.editedAt instanceof Date, "message.updated's message has no editedAt Date");
        assert.ok(
          message.editedAt.getTime() >= sent.sentAt.getTime() - 1_000,
          `message.updated's editedAt ${message.editedAt.toISOString()} is before the message was sent`,
        );
        assert.equal(message.sender.isSelf, true, "message.updated's message has sender.isSelf !== true");
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('message.updated', from).filter((e) => e.message.id === sent.id).length,
          'message.updated of our edit',
        );
        const created = recorder.ofType('message.created', from).filter((e) => e.message.id === sent.id);
        assert.equal(created.length, 0, "the edit reached 'event' as message.created too");
      });
    },
  },
  {
    id: 'realtime-emits-message-deleted',
    group: 'realtime',
    title:
      "after start(), deleting our message (for everyone or for self, as declared) reaches 'event' exactly once as message.deleted with its id and conversation",
    requires: allOf(declared('deleteMessage'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const sent = await sendOwn(context, recorder, conversationId, 'to delete');
        const from = recorder.events.length;
        await context.messenger.deleteMessage(conversationId, sent.id);
        const event = await recorder.waitFor(
          'message.deleted',
          (e) => e.messageId === sent.id,
          context.realtimeTimeoutMs,
          `our deleted message ${sent.id}`,
          from,
        );
        assert.equal(event.conversationId, conversationId, 'message.deleted names another conversation');
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('message.deleted', from).filter((e) => e.messageId === sent.id).length,
          'message.deleted of our delete',
        );
        const other = recorder.events
          .slice(from)
          .filter(
            (e) => (e.type === 'message.created' || e.type === 'message.updated') && e.message.id === sent.id,
          );
        assert.deepEqual(
          other.map(describeEvent),
          [],
          "the delete reached 'event' as a message.created/updated of the deleted message",
        );
        if (context.capabilities.deleteMessage === 'for-self') {
          // Deleting for self hides anyone's message, the peer's too.
          const theirs = await peerMessage(context, recorder, conversationId, 'peer message to hide');
          const hiddenFrom = recorder.events.length;
          await context.messenger.deleteMessage(conversationId, theirs.id);
          await recorder.waitFor(
            'message.deleted',
            (e) => e.messageId === theirs.id && e.conversationId === conversationId,
            context.realtimeTimeoutMs,
            `the peer's message ${theirs.id} we deleted for ourselves`,
            hiddenFrom,
          );
          await marker(context, recorder, conversationId);
          assertOnce(
            recorder.ofType('message.deleted', hiddenFrom).filter((e) => e.messageId === theirs.id).length,
            "message.deleted of the peer's message we deleted for ourselves",
          );
        }
      });
    },
  },
  {
    id: 'realtime-emits-reaction-added',
    group: 'realtime',
    title: `after start(), our reaction (${REACTION}) to the peer's message reaches 'event' exactly once as reaction.added with the message id, value and our id as sender`,
    requires: allOf(declared('reactions'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, self, recorder }) => {
        const target = await peerMessage(context, recorder, conversationId, 'to react to');
        const from = recorder.events.length;
        await context.messenger.react(conversationId, target.id, REACTION);
        await checkOwnReactionEvent(
          context,
          { conversationId, self, recorder },
          target.id,
          'reaction.added',
          from,
        );
      });
    },
  },
  {
    id: 'realtime-emits-reaction-removed',
    group: 'realtime',
    title: `after start(), removing our reaction (${REACTION}) reaches 'event' exactly once as reaction.removed with the message id, value and our id as sender`,
    requires: allOf(declared('reactions'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, self, recorder }) => {
        const target = await peerMessage(context, recorder, conversationId, 'to unreact');
        const added = recorder.events.length;
        await context.messenger.react(conversationId, target.id, REACTION);
        await recorder.waitFor(
          'reaction.added',
          (e) => e.messageId === target.id,
          context.realtimeTimeoutMs,
          `our reaction to ${target.id}`,
          added,
        );
        const from = recorder.events.length;
        await context.messenger.unreact(conversationId, target.id, REACTION);
        await checkOwnReactionEvent(
          context,
          { conversationId, self, recorder },
          target.id,
          'reaction.removed',
          from,
        );
      });
    },
  },
  {
    id: 'realtime-emits-read',
    group: 'realtime',
    title:
      "after start(), markRead up to the newer of two peer messages reaches 'event' as read naming that message, once, with our id as reader, and no later read names an older one",
    requires: allOf(declared('markRead'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, self, recorder }) => {
        const older = await peerMessage(context, recorder, conversationId, 'to read 1');
        const target = await peerMessage(context, recorder, conversationId, 'to read 2');
        const from = recorder.events.length;
        await context.messenger.markRead(conversationId, target.id);
        const event = await recorder.waitFor(
          'read',
          (e) => e.conversationId === conversationId && e.messageId === target.id,
          context.realtimeTimeoutMs,
          `our markRead up to ${target.id}`,
          from,
        );
        if (self) assert.equal(event.readerId, self.id, "the read event's readerId is not our id");
        else assert.ok(event.readerId, 'the read event has no readerId');
        await marker(context, recorder, conversationId);
        const reads = recorder.ofType('read', from).filter((e) => e.conversationId === conversationId);
        assertOnce(reads.filter((e) => e.messageId === target.id).length, 'the read event of our markRead');
        assert.equal(
          reads.at(-1)?.messageId,
          target.id,
          `after the read event up to ${target.id}, another one moved the read marker back to ${reads.at(-1)?.messageId} (the older message is ${older.id})`,
        );
      });
    },
  },
  {
    id: 'realtime-emits-conversation-muted',
    group: 'realtime',
    title:
      "after start(), mute and unmute each reach 'event' exactly once as conversation.updated ('muted', then 'unmuted') for that conversation",
    requires: allOf(declared('muteConversation'), withRealtime, changeFeeds),
    async run(context) {
      await whileStarted(context, async ({ conversationId, recorder }) => {
        for (const [change, call] of [
          ['muted', () => context.messenger.muteConversation(conversationId)],
          ['unmuted', () => context.messenger.unmuteConversation(conversationId)],
        ] as const) {
          const from = recorder.events.length;
          await call();
          const event = await recorder.waitFor(
            'conversation.updated',
            (e) => e.conversationId === conversationId && e.change === change,
            context.realtimeTimeoutMs,
            `the conversation we ${change === 'muted' ? 'muted' : 'unmuted'}`,
            from,
          );
          if (event.conversation) {
            assert.equal(
              event.conversation.id,
              conversationId,
              `conversation.updated '${change}' carries another conversation`,
            );
            assert.equal(
              event.conversation.muted,
              change === 'muted',
              `conversation.updated '${change}' carries a conversation with muted ${event.conversation.muted}`,
            );
          }
          await marker(context, recorder, conversationId);
          const updates = recorder
            .ofType('conversation.updated', from)
            .filter((e) => e.conversationId === conversationId);
          assert.deepEqual(
            updates.map((e) => e.change),
            [change],
            `${change === 'muted' ? 'muteConversation' : 'unmuteConversation'} reached 'event' as these conversation.updated changes`,
          );
        }
      });
    },
  },
  {
    id: 'realtime-emits-conversation-left',
    group: 'realtime',
    title:
      "after start(), deleteConversation ('for-self': we leave) reaches 'event' exactly once as conversation.updated 'left' for that conversation",
    requires: allOf(
      (capabilities) =>
        capabilities.deleteConversation === 'for-self'
          ? undefined
          : `deleteConversation is ${JSON.stringify(capabilities.deleteConversation)} (this case is for 'for-self')`,
      withRealtime,
      changeFeeds,
    ),
    async run(context) {
      await whileStarted(context, async ({ conversationId, recorder }) => {
        // Delivery time of one event: the silence after leaving is watched for three times as long.
        const started = performance.now();
        await marker(context, recorder, conversationId);
        const deliveryMs = performance.now() - started;
        const from = recorder.events.length;
        await context.messenger.deleteConversation(conversationId);
        await recorder.waitFor(
          'conversation.updated',
          (e) => e.conversationId === conversationId && e.change === 'left',
          context.realtimeTimeoutMs,
          'the conversation we left',
          from,
        );
        // We left: the peer's messages no longer reach us, so a marker from another peer (or silence) ends the watch.
        const other = context.peers[0];
        if (other) {
          const otherConversation = await other.startConversation();
          const text = uniqueText('other marker');
          const arrived = recorder.waitFor(
            'message.created',
            (e) => e.message.text === text,
            context.realtimeTimeoutMs,
            "another peer's marker message",
          );
          await other.send(otherConversation, text);
          await arrived;
        } else {
          await new Promise((resolve) => setTimeout(resolve, Math.max(300, deliveryMs * 3)).unref());
        }
        const updates = recorder
          .ofType('conversation.updated', from)
          .filter((e) => e.conversationId === conversationId);
        assert.deepEqual(
          updates.map((e) => e.change),
          ['left'],
          "leaving reached 'event' as these conversation.updated changes",
        );
      });
    },
  },
  {
    id: 'realtime-emits-conversation-created',
    group: 'realtime',
    title:
      "after start(), a conversation the peer starts with us reaches 'event' exactly once as conversation.created with its id",
    requires: allOf(withRealtime, changeFeeds),
    async run(context) {
      await context.messenger.connect();
      await context.messenger.start();
      const recorder = recordChatEvents(context.messenger);
      try {
        const conversationId = await context.peer.startConversation();
        const event = await recorder.waitFor(
          'conversation.created',
          (e) => e.conversationId === conversationId,
          context.realtimeTimeoutMs,
          `the conversation ${conversationId} the peer started`,
        );
        if (event.conversation)
          assert.equal(
            event.conversation.id,
            conversationId,
            'conversation.created carries another conversation',
          );
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('conversation.created').filter((e) => e.conversationId === conversationId).length,
          'conversation.created of the new conversation',
        );
      } finally {
        recorder.stop();
      }
    },
  },
  {
    id: 'realtime-emits-peer-edit',
    group: 'realtime',
    title:
      "after start(), the peer editing its message reaches 'event' exactly once as message.updated with the new text, editedAt and sender.isSelf false (needs peer.edit)",
    requires: allOf(declared('editMessage'), withRealtime, changeFeeds),
    async run(context) {
      const edit = context.peer.edit?.bind(context.peer);
      if (!edit)
        return context.notChecked('setup() gives no `peer.edit` (the peer cannot edit its messages here)');
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const target = await peerMessage(context, recorder, conversationId, 'peer before edit');
        const from = recorder.events.length;
        const text = uniqueText('peer after edit');
        await edit(conversationId, target.id, text);
        const { message, ...event } = await recorder.waitFor(
          'message.updated',
          (e) => e.message.id === target.id,
          context.realtimeTimeoutMs,
          `the peer's edited message ${target.id}`,
          from,
        );
        assert.equal(event.conversationId, conversationId, 'message.updated names another conversation');
        assert.equal(message.text, text, "message.updated's message does not carry the peer's new text");
        assert.ok(message.editedAt instanceof Date, "message.updated's message has no editedAt Date");
        assert.equal(message.sender.isSelf, false, "the peer's edited message has sender.isSelf !== false");
        assert.equal(message.sender.id, target.sender.id, "the peer's edited message names another sender");
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('message.updated', from).filter((e) => e.message.id === target.id).length,
          "message.updated of the peer's edit",
        );
      });
    },
  },
  {
    id: 'realtime-emits-peer-delete',
    group: 'realtime',
    title:
      "after start(), the peer deleting its message for everyone reaches 'event' exactly once as message.deleted with its id (needs peer.deleteMessage)",
    requires: allOf(
      (capabilities) =>
        capabilities.deleteMessage === 'for-everyone'
          ? undefined
          : `deleteMessage is ${JSON.stringify(capabilities.deleteMessage)} (this case is for 'for-everyone')`,
      withRealtime,
      changeFeeds,
    ),
    async run(context) {
      const remove = context.peer.deleteMessage?.bind(context.peer);
      if (!remove)
        return context.notChecked(
          'setup() gives no `peer.deleteMessage` (the peer cannot delete for everyone here)',
        );
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const target = await peerMessage(context, recorder, conversationId, 'peer to delete');
        const from = recorder.events.length;
        await remove(conversationId, target.id);
        const event = await recorder.waitFor(
          'message.deleted',
          (e) => e.messageId === target.id,
          context.realtimeTimeoutMs,
          `the peer's deleted message ${target.id}`,
          from,
        );
        assert.equal(event.conversationId, conversationId, 'message.deleted names another conversation');
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('message.deleted', from).filter((e) => e.messageId === target.id).length,
          "message.deleted of the peer's delete",
        );
      });
    },
  },
  {
    id: 'realtime-emits-peer-reaction',
    group: 'realtime',
    title: `after start(), the peer's reaction (${REACTION}) to our message, then its removal, each reach 'event' exactly once (reaction.added, reaction.removed) with the peer's id as sender (needs peer.react/unreact)`,
    requires: allOf(declared('reactions'), withRealtime, changeFeeds),
    async run(context) {
      const { peer } = context;
      if (!peer.react || !peer.unreact)
        return context.notChecked(
          'setup() gives no `peer.react`/`peer.unreact` (the peer cannot react here)',
        );
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const peerId = (await peerMessage(context, recorder, conversationId, 'peer says hi')).sender.id;
        const ours = await sendOwn(context, recorder, conversationId, 'for the peer to react to');
        for (const [type, act] of [
          ['reaction.added', () => peer.react!(conversationId, ours.id, REACTION)],
          ['reaction.removed', () => peer.unreact!(conversationId, ours.id, REACTION)],
        ] as const) {
          const from = recorder.events.length;
          await act();
          const event = await recorder.waitFor(
            type,
            (e) => e.messageId === ours.id,
            context.realtimeTimeoutMs,
            `the peer's reaction on our message ${ours.id}`,
            from,
          );
          assert.equal(event.conversationId, conversationId, `${type} names another conversation`);
          assert.equal(event.reaction.value, REACTION, `${type} carries another reaction value`);
          assert.equal(event.reaction.senderId, peerId, `${type}'s senderId is not the peer's id`);
          await marker(context, recorder, conversationId);
          const reactions = recorder.events
            .slice(from)
            .filter(
              (e) =>
                (e.type === 'reaction.added' || e.type === 'reaction.removed') && e.messageId === ours.id,
            );
          assert.deepEqual(
            reactions.map((e) => e.type),
            [type],
            `the peer's ${type === 'reaction.added' ? 'reaction' : 'removal'} reached 'event' as these reaction events`,
          );
        }
      });
    },
  },
  {
    id: 'realtime-emits-peer-read',
    group: 'realtime',
    title:
      "after start(), the peer reading our message reaches 'event' exactly once as read with that message id and the peer's id as reader (needs peer.markRead: providers with read receipts)",
    requires: allOf(declared('markRead'), withRealtime, changeFeeds),
    async run(context) {
      const markRead = context.peer.markRead?.bind(context.peer);
      if (!markRead)
        return context.notChecked(
          "setup() gives no `peer.markRead` (the provider reports no one else's reads)",
        );
      await whileStarted(context, async ({ conversationId, recorder }) => {
        const peerId = (await peerMessage(context, recorder, conversationId, 'peer says hi')).sender.id;
        const ours = await sendOwn(context, recorder, conversationId, 'for the peer to read');
        const from = recorder.events.length;
        await markRead(conversationId, ours.id);
        const event = await recorder.waitFor(
          'read',
          (e) => e.conversationId === conversationId && e.readerId === peerId,
          context.realtimeTimeoutMs,
          `the peer reading our message ${ours.id}`,
          from,
        );
        assert.equal(
          event.messageId,
          ours.id,
          "the peer's read event does not name the message it read up to",
        );
        await marker(context, recorder, conversationId);
        assertOnce(
          recorder.ofType('read', from).filter((e) => e.readerId === peerId && e.messageId === ours.id)
            .length,
          "the peer's read event",
        );
      });
    },
  },
  {
    id: 'realtime-emits-reply-deltas',
    group: 'realtime',
    title:
      "after start(), a streamed reply's chunks reach 'event' as message.delta (one replyId, indexes 0…n-1 once each, joined equal to the reply), then the reply once as message.created with that replyId",
    requires: allOf(declared('streamedReplies'), withRealtime),
    async run(context) {
      const { messenger } = context;
      const conversationId = await context.peer.startConversation();
      await messenger.start();
      const recorder = recordChatEvents(messenger);
      try {
        const streamed = await messenger.sendStreaming(conversationId, uniqueText('stream'));
        const [reply, userMessage] = await Promise.all([streamed.reply, streamed.userMessage]);
        const created = await recorder.waitFor(
          'message.created',
          (e) => e.message.id === reply.id,
          context.realtimeTimeoutMs,
          `the streamed reply ${reply.id}`,
        );
        assert.equal(
          created.conversationId,
          conversationId,
          "the reply's message.created names another conversation",
        );
        assert.ok(created.replyId, "the reply's message.created carries no replyId");
        const deltas = recorder.ofType('message.delta').filter((e) => e.replyId === created.replyId);
        assert.ok(
          deltas.length > 0,
          `no message.delta with the reply's replyId ${created.replyId} reached 'event'`,
        );
        for (const delta of deltas)
          assert.equal(delta.conversationId, conversationId, 'a message.delta names another conversation');
        const indexes = deltas.map((e) => e.index);
        assert.deepEqual(
          [...indexes].sort((a, b) => a - b),
          indexes.map((_, i) => i),
          `the reply's message.delta indexes are ${JSON.stringify(indexes)} (expected 0…n-1, each once)`,
        );
        const joined = [...deltas]
          .sort((a, b) => a.index - b.index)
          .map((e) => e.delta)
          .join('');
        assert.equal(
          joined,
          reply.text,
          "the reply's message.delta chunks, joined, are not the reply's text",
        );
        const createdIndex = recorder.events.indexOf(created);
        assert.ok(
          deltas.every((delta) => recorder.events.indexOf(delta) < createdIndex),
          "a message.delta reached 'event' after the reply's message.created",
        );
        assert.notEqual(userMessage.id, reply.id, 'the reply has the id of our own message');
        // A second exchange: a duplicate of the first reply's events would have shown by its end.
        const second = await messenger.sendStreaming(conversationId, uniqueText('stream again'));
        const secondReply = await second.reply;
        await recorder.waitFor(
          'message.created',
          (e) => e.message.id === secondReply.id,
          context.realtimeTimeoutMs,
          `the second streamed reply ${secondReply.id}`,
        );
        assertOnce(
          recorder.ofType('message.created').filter((e) => e.message.id === reply.id).length,
          "the reply's message.created",
        );
        assert.equal(
          recorder.ofType('message.delta').filter((e) => e.replyId === created.replyId).length,
          deltas.length,
          "the reply's message.delta chunks reached 'event' again later",
        );
      } finally {
        recorder.stop();
      }
    },
  },
];
