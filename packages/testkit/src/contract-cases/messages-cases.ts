import assert from 'node:assert/strict';
import { type ChatAdapter, hasCapability, type Message } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { clamp, sampleAttachments, seedHistory, textOfLength, uniquePrefix, uniqueText } from './fixtures.js';
import {
  independentObservers,
  type MessageObserver,
  type ObservedMessage,
  readBackObservers,
} from './observers.js';
import { assertFirstPageFull, assertSeededNewestFirst, collectPages } from './pages.js';
import { allOf, declared, withReadBack } from './requirements.js';

/** Reaction values the reaction case tries: not only 👍. */
const REACTION_VALUES = ['👍', '🎉'] as const;

/** How many messages the history cases seed. */
const HISTORY_SIZE = 250;

/** A message we sent, as the adapter returns it: same text, our conversation, sent by us. */
function assertOwnMessage(
  message: Message,
  conversationId: string,
  text: string,
  provider: string,
  what: string,
) {
  assert.ok(typeof message.id === 'string' && message.id !== '', `${what}: message has no id`);
  assert.equal(message.text, text, `${what}: message.text differs from the text sent`);
  assert.equal(message.conversationId, conversationId, `${what}: message.conversationId is wrong`);
  assert.equal(message.provider, provider, `${what}: message.provider is not adapter.provider`);
  assert.equal(
    message.sender?.isSelf,
    true,
    `${what}: message.sender.isSelf is not true for our own message`,
  );
  assert.ok(
    message.sentAt instanceof Date && !Number.isNaN(message.sentAt.getTime()),
    `${what}: sentAt is not a valid Date`,
  );
  assert.ok(Array.isArray(message.attachments), `${what}: attachments is not an array`);
  assert.ok(Array.isArray(message.reactions), `${what}: reactions is not an array`);
}

/** Finds a message in the newest page of history (`undefined` when it is not there). */
async function findInHistory(context: ContractCaseContext, conversationId: string, messageId: string) {
  const page = await context.messenger.listMessages(conversationId);
  return page.items.find((message) => message.id === messageId);
}

/** Reads `messageId` through every observer, failing (naming the observer) where `check` says what is wrong. */
async function checkObserved(
  observers: readonly MessageObserver[],
  conversationId: string,
  messageId: string,
  check: (message: ObservedMessage | 'gone' | undefined) => string | undefined,
): Promise<void> {
  for (const observer of observers) {
    const problem = check(await observer.read(conversationId, messageId));
    assert.equal(problem, undefined, `${observer.name}: ${problem}`);
  }
}

/**
 * A check for {@link checkObserved}: `unreadable` when the message cannot be read back (absent or
 * gone), otherwise what `check` says of the message read back.
 */
function readBack(
  check: (message: ObservedMessage) => string | undefined,
  unreadable = 'the message cannot be read back',
): (read: ObservedMessage | 'gone' | undefined) => string | undefined {
  return (read) => (read === undefined || read === 'gone' ? unreadable : check(read));
}

/**
 * Deletes our message `messageId`, after checking every observer can read it (`unreadableBefore`
 * otherwise); then every observer must find it gone or marked deleted (`stillShown` otherwise).
 */
async function deleteAndCheckObserved(
  context: ContractCaseContext,
  observers: readonly MessageObserver[],
  conversationId: string,
  messageId: string,
  unreadableBefore: string,
  stillShown: string,
): Promise<void> {
  await checkObserved(
    observers,
    conversationId,
    messageId,
    readBack(() => undefined, unreadableBefore),
  );
  await context.messenger.deleteMessage(conversationId, messageId);
  await checkObserved(observers, conversationId, messageId, (read) =>
    read === undefined || read === 'gone' || read.deleted ? undefined : stillShown,
  );
}

/** Texts whose whitespace must survive: leading/trailing spaces, inner runs, tabs, newlines. */
const WHITESPACE_TEXTS = (label: string) => [
  `  ${uniqueText(label)}  leading and trailing  `,
  `${uniqueText(label)}   three   spaces\tand a tab`,
  `${uniqueText(label)}\nsecond line\n\n  indented fourth line\n`,
];

async function checkHistoryPaging(context: ContractCaseContext, limit: number | undefined) {
  const { messenger, peer, capabilities } = context;
  const conversationId = await peer.startConversation();
  const prefix = uniquePrefix('history');
  await seedHistory(peer, conversationId, HISTORY_SIZE, prefix);
  const pageSize = limit ?? capabilities.pageSize.default;
  const what = `listMessages(${limit === undefined ? 'default page size' : `limit ${limit}`})`;
  const pages = await collectPages((cursor) => messenger.listMessages(conversationId, { cursor, limit }), {
    limit: pageSize,
    maxPages: HISTORY_SIZE + 10,
    what,
  });
  const messages = pages.flat();
  assertFirstPageFull(pages, pageSize, messages.length, what);
  assertSeededNewestFirst(messages, prefix, HISTORY_SIZE, what);
}

/** The messages group: sending, history paging, reading, editing, deleting, read markers, reactions, attachments. */
export const messagesCases: readonly ContractCase[] = [
  {
    id: 'send-returns-message',
    group: 'messages',
    title: 'send returns the message: same text, our conversation, sender.isSelf, a valid sentAt',
    async run({ messenger, peer, adapter }) {
      const conversationId = await peer.startConversation();
      const text = uniqueText('send');
      assertOwnMessage(
        await messenger.send(conversationId, text),
        conversationId,
        text,
        adapter.provider,
        'send',
      );
    },
  },
  {
    id: 'send-appears-in-history',
    group: 'messages',
    title: 'a sent message appears in the newest page of history with the same text and sender.isSelf',
    requires: 'listMessages',
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const text = uniqueText('history');
      const sent = await context.messenger.send(conversationId, text);
      const found = await findInHistory(context, conversationId, sent.id);
      assert.ok(found, `listMessages: the sent message ${sent.id} is not in the newest page`);
      assertOwnMessage(found, conversationId, text, context.adapter.provider, 'listMessages');
    },
  },
  {
    id: 'send-accepts-max-length',
    group: 'messages',
    title:
      'a text of exactly maxTextLength, counted in textLengthUnit with multi-unit characters, is sent unchanged',
    async run({ messenger, peer, capabilities }) {
      const conversationId = await peer.startConversation();
      const text = textOfLength(capabilities.maxTextLength, capabilities.textLengthUnit);
      let sent: Message;
      try {
        sent = await messenger.send(conversationId, text);
      } catch (error) {
        assert.fail(
          `send() of ${capabilities.maxTextLength} ${capabilities.textLengthUnit} failed (does the provider count another unit?): ${describeThrown(error)}`,
        );
      }
      assert.equal(sent.text.normalize('NFC'), text.normalize('NFC'), 'the text came back changed');
    },
  },
  {
    id: 'history-newest-first-default-page-size',
    group: 'messages',
    title: `${HISTORY_SIZE} messages page back newest first, each exactly once, with pageSize.default`,
    requires: 'listMessages',
    run: (context) => checkHistoryPaging(context, undefined),
  },
  {
    id: 'history-newest-first-explicit-limit',
    group: 'messages',
    title: `${HISTORY_SIZE} messages page back newest first, each exactly once, with an explicit limit`,
    requires: 'listMessages',
    run: (context) =>
      checkHistoryPaging(
        context,
        clamp(17, context.capabilities.pageSize.min, context.capabilities.pageSize.max),
      ),
  },
  {
    id: 'get-message',
    group: 'messages',
    title: 'getMessage returns a sent message with its text and sender.isSelf',
    requires: 'getMessage',
    async run({ messenger, peer, adapter }) {
      const conversationId = await peer.startConversation();
      const text = uniqueText('get');
      const sent = await messenger.send(conversationId, text);
      const got = await messenger.getMessage(conversationId, sent.id);
      assert.equal(got.id, sent.id, 'getMessage returned another message');
      assertOwnMessage(got, conversationId, text, adapter.provider, 'getMessage');
    },
  },
  {
    id: 'edit-message',
    group: 'messages',
    title:
      'edit changes the text of our message, and reading it back (getMessage/history, and the backend when setup() can read it) shows the new text',
    requires: allOf(declared('editMessage'), withReadBack),
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const sent = await context.messenger.send(conversationId, uniqueText('before edit'));
      const observers = readBackObservers(context, () => sent.sender.id);
      const text = uniqueText('after edit');
      const edited = await context.messenger.edit(conversationId, sent.id, text);
      assert.equal(edited.id, sent.id, 'edit returned another message');
      assert.equal(edited.text, text, 'edit returned the old text');
      await checkObserved(
        observers,
        conversationId,
        sent.id,
        readBack(
          (read) => (read.text === text ? undefined : 'reading the message back shows the old text'),
          'the edited message cannot be read back',
        ),
      );
    },
  },
  {
    id: 'delete-message',
    group: 'messages',
    title:
      'deleteMessage removes our message (gone, or marked deleted, when read back through getMessage/history and the backend)',
    requires: allOf(declared('deleteMessage'), withReadBack),
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const sent = await context.messenger.send(conversationId, uniqueText('delete'));
      const observers = readBackObservers(context, () => sent.sender.id);
      await deleteAndCheckObserved(
        context,
        observers,
        conversationId,
        sent.id,
        'the message cannot be read back before the delete',
        'the deleted message reads back as not deleted',
      );
    },
  },
  {
    id: 'delete-for-everyone-seen-by-others',
    group: 'messages',
    title:
      "a 'for-everyone' delete is seen by someone else: the backend (peer.readMessages) or a second adapter instance no longer shows the message",
    requires: (capabilities) =>
      capabilities.deleteMessage === 'for-everyone'
        ? undefined
        : `deleteMessage is '${capabilities.deleteMessage}', not 'for-everyone'`,
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const sent = await context.messenger.send(conversationId, uniqueText('delete for everyone'));
      const observers = await independentObservers(context, () => sent.sender.id, 'a delete');
      await deleteAndCheckObserved(
        context,
        observers,
        conversationId,
        sent.id,
        'the message cannot be read before the delete',
        "still shows the message after a 'for-everyone' delete (only this adapter hides it?)",
      );
    },
  },
  {
    id: 'mark-read',
    group: 'messages',
    title:
      "markRead of the peer's messages, up to the 2nd of 3 then the whole conversation, reads them all (unreadCount ≤ 1 then 0 as this adapter and a second instance see it; the backend's read markers via peer.readMessages)",
    requires: 'markRead',
    async run(context) {
      const { messenger, peer, capabilities, adapter } = context;
      const conversationId = await peer.startConversation();
      // Only the peer writes: our own send would clear unread by itself.
      const texts = [uniqueText('unread 1'), uniqueText('unread 2'), uniqueText('unread 3')];
      for (const text of texts) await peer.send(conversationId, text);
      const second = await context.openSecondAdapter();
      const counters = [
        { name: 'adapter', adapter },
        ...(second ? [{ name: 'secondAdapter', adapter: second }] : []),
      ];
      const unreadOf = async (observer: ChatAdapter) => {
        if (hasCapability(capabilities, 'getConversation') && observer.getConversation)
          return (await observer.getConversation(conversationId)).unreadCount;
        if (hasCapability(capabilities, 'listConversations') && observer.listConversations) {
          let cursor: string | undefined;
          do {
            const page = await observer.listConversations({ cursor });
            const found = page.items.find((conversation) => conversation.id === conversationId);
            if (found) return found.unreadCount;
            cursor = page.nextCursor;
          } while (cursor !== undefined);
        }
        return undefined;
      };
      const reporting = [];
      for (const counter of counters) {
        const before = await unreadOf(counter.adapter);
        if (before === undefined) continue;
        assert.ok(before >= 3, `${counter.name}: unreadCount is ${before} before markRead; the peer wrote 3`);
        reporting.push(counter);
      }
      /** The peer's 3 messages as the backend stores them (`undefined`: no backend read markers). */
      const backendMarks = async () => {
        if (!peer.readMessages) return undefined;
        const stored = await peer.readMessages(conversationId);
        const ours = texts.map((text) => stored.find((message) => message.text === text));
        return ours.every((message) => message?.readBySelf !== undefined) ? ours : undefined;
      };
      const marksBefore = await backendMarks();
      if (reporting.length === 0 && marksBefore === undefined)
        context.notChecked(
          'nothing can observe reads: no unreadCount reported (getConversation/listConversations) and no `readBySelf` from `peer.readMessages`',
        );
      if (marksBefore)
        assert.ok(
          marksBefore.every((message) => message?.readBySelf === false),
          "peer.readMessages: the peer's new messages are already read before markRead",
        );
      const history = hasCapability(capabilities, 'listMessages')
        ? (await messenger.listMessages(conversationId)).items
        : undefined;
      const secondId =
        history?.find((message) => message.text === texts[1])?.id ?? marksBefore?.[1]?.id ?? undefined;
      if (secondId !== undefined) {
        await messenger.markRead(conversationId, secondId);
        for (const counter of reporting) {
          const after = await unreadOf(counter.adapter);
          assert.ok(
            after !== undefined && after <= 1,
            `${counter.name}: unreadCount is ${after} after markRead up to the 2nd of the peer's 3 messages`,
          );
        }
        const marks = await backendMarks();
        if (marks) {
          assert.ok(
            marks[0]?.readBySelf === true && marks[1]?.readBySelf === true,
            "peer.readMessages: after markRead up to the peer's 2nd message, the messages up to it are not all read (only that one marked?)",
          );
          assert.equal(
            marks[2]?.readBySelf,
            false,
            "peer.readMessages: after markRead up to the peer's 2nd message, the 3rd is read too (the messageId was dropped?)",
          );
        }
      }
      await messenger.markRead(conversationId);
      for (const counter of reporting) {
        const after = await unreadOf(counter.adapter);
        assert.equal(after, 0, `${counter.name}: unreadCount is ${after} after markRead of the conversation`);
      }
      const marks = await backendMarks();
      if (marks)
        assert.ok(
          marks.every((message) => message?.readBySelf === true),
          "peer.readMessages: after markRead of the conversation, some of the peer's messages are not read",
        );
    },
  },
  {
    id: 'add-remove-reaction',
    group: 'messages',
    title:
      'react adds our reaction (👍, then 🎉) to a message and unreact removes it, as read back through getMessage/history and the backend',
    requires: allOf(declared('reactions'), withReadBack),
    async run(context) {
      const { messenger, peer } = context;
      const conversationId = await peer.startConversation();
      const sent = await messenger.send(conversationId, uniqueText('react'));
      const observers = readBackObservers(context, () => sent.sender.id);
      for (const value of REACTION_VALUES) {
        const ours = (read: ObservedMessage | 'gone' | undefined) =>
          read !== undefined &&
          read !== 'gone' &&
          read.reactions.some((reaction) => reaction.value === value && reaction.fromSelf !== false);
        await messenger.react(conversationId, sent.id, value);
        await checkObserved(observers, conversationId, sent.id, (read) =>
          ours(read) ? undefined : `the message read back does not carry our ${value}`,
        );
        await messenger.unreact(conversationId, sent.id, value);
        await checkObserved(observers, conversationId, sent.id, (read) =>
          ours(read) ? `the message read back still carries our ${value}` : undefined,
        );
      }
    },
  },
  {
    id: 'stream-reply',
    group: 'messages',
    title:
      'sendStreaming gives our stored message, then the reply in chunks that add up to the stored reply (not from self)',
    requires: 'streamedReplies',
    async run({ messenger, peer, adapter }) {
      const conversationId = await peer.startConversation();
      const text = uniqueText('stream');
      const stream = await messenger.sendStreaming(conversationId, text);
      const chunks: string[] = [];
      for await (const chunk of stream.chunks) chunks.push(chunk);
      assertOwnMessage(
        await stream.userMessage,
        conversationId,
        text,
        adapter.provider,
        'sendStreaming userMessage',
      );
      const reply = await stream.reply;
      assert.ok(chunks.length > 0, 'the reply came without any chunk');
      assert.equal(reply.text, chunks.join(''), 'the chunks do not add up to the stored reply');
      assert.equal(reply.conversationId, conversationId, 'the reply names another conversation');
      assert.equal(reply.sender.isSelf, false, 'the reply has sender.isSelf === true');
      const again: string[] = [];
      for await (const chunk of stream.chunks) again.push(chunk);
      assert.deepEqual(again, chunks, 'a second iteration of chunks does not start from the first chunk');
    },
  },
  {
    id: 'send-attachments',
    group: 'messages',
    title: 'each declared attachment kind can be sent and comes back on the message',
    requires: 'attachments',
    async run({ messenger, peer, capabilities }) {
      const conversationId = await peer.startConversation();
      for (const kind of capabilities.attachments) {
        const sent = await messenger.send(conversationId, {
          text: uniqueText(kind),
          attachments: [sampleAttachments[kind]],
        });
        assert.ok(
          sent.attachments.some((attachment) => attachment.kind === kind),
          `the sent message carries no '${kind}' attachment`,
        );
      }
    },
  },
  {
    id: 'attachments-read-back',
    group: 'messages',
    title:
      'each declared attachment kind sent comes back when the message is read again (getMessage/history, and the backend when setup() can read it)',
    requires: allOf(declared('attachments'), withReadBack),
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      for (const kind of capabilities.attachments) {
        const sent = await messenger.send(conversationId, {
          text: uniqueText(kind),
          attachments: [sampleAttachments[kind]],
        });
        await checkObserved(
          readBackObservers(context, () => sent.sender.id),
          conversationId,
          sent.id,
          readBack((read) =>
            read.attachments.some((attachment) => attachment.kind === kind)
              ? undefined
              : `the message read back carries no '${kind}' attachment`,
          ),
        );
      }
    },
  },
  {
    id: 'text-whitespace-preserved',
    group: 'messages',
    title:
      'texts with leading/trailing spaces, inner runs of spaces, tabs and newlines come back exactly: from send and when read back',
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      const canReadBack =
        hasCapability(capabilities, 'getMessage') ||
        hasCapability(capabilities, 'listMessages') ||
        peer.readMessages !== undefined;
      for (const text of WHITESPACE_TEXTS('whitespace')) {
        const sent = await messenger.send(conversationId, text);
        assert.equal(
          sent.text,
          text,
          `send returned ${JSON.stringify(sent.text)} for ${JSON.stringify(text)}`,
        );
        if (!canReadBack) continue;
        await checkObserved(
          readBackObservers(context, () => sent.sender.id),
          conversationId,
          sent.id,
          readBack((read) =>
            read.text === text
              ? undefined
              : `reads back ${JSON.stringify(read.text)} for ${JSON.stringify(text)}`,
          ),
        );
      }
    },
  },
  {
    id: 'history-peer-not-self',
    group: 'messages',
    title: "in history the peer's message has sender.isSelf false and ours true",
    requires: 'listMessages',
    async run({ messenger, peer }) {
      const conversationId = await peer.startConversation();
      const theirs = uniqueText('theirs');
      await peer.send(conversationId, theirs);
      const ours = await messenger.send(conversationId, uniqueText('ours'));
      const page = await messenger.listMessages(conversationId);
      const peerMessage = page.items.find((message) => message.text === theirs);
      assert.ok(peerMessage, "listMessages: the peer's message is not in the newest page");
      assert.equal(
        peerMessage.sender.isSelf,
        false,
        "listMessages: the peer's message has sender.isSelf true",
      );
      assert.notEqual(
        peerMessage.sender.id,
        ours.sender.id,
        "listMessages: the peer's message has our sender id",
      );
      const ownMessage = page.items.find((message) => message.id === ours.id);
      assert.ok(ownMessage, 'listMessages: our message is not in the newest page');
      assert.equal(ownMessage.sender.isSelf, true, 'listMessages: our message has sender.isSelf false');
    },
  },
];
