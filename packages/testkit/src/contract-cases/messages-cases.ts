import assert from 'node:assert/strict';
import { hasCapability, type Message, NotFoundError } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { clamp, sampleAttachments, seedHistory, textOfLength, uniquePrefix, uniqueText } from './fixtures.js';
import { assertFirstPageFull, assertSeededNewestFirst, collectPages } from './pages.js';

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

/** Reads a message back: `getMessage` when declared, else the newest page of history. */
async function readBack(context: ContractCaseContext, conversationId: string, messageId: string) {
  if (hasCapability(context.capabilities, 'getMessage'))
    return context.messenger.getMessage(conversationId, messageId);
  if (hasCapability(context.capabilities, 'listMessages'))
    return findInHistory(context, conversationId, messageId);
  return undefined;
}

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
    title: 'edit changes the text of our message, and reading it back shows the new text',
    requires: 'editMessage',
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const sent = await context.messenger.send(conversationId, uniqueText('before edit'));
      const text = uniqueText('after edit');
      const edited = await context.messenger.edit(conversationId, sent.id, text);
      assert.equal(edited.id, sent.id, 'edit returned another message');
      assert.equal(edited.text, text, 'edit returned the old text');
      const read = await readBack(context, conversationId, sent.id);
      if (read) assert.equal(read.text, text, 'reading the message back shows the old text');
    },
  },
  {
    id: 'delete-message',
    group: 'messages',
    title: 'deleteMessage removes our message (gone, or marked deleted, when read back)',
    requires: 'deleteMessage',
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const sent = await context.messenger.send(conversationId, uniqueText('delete'));
      await context.messenger.deleteMessage(conversationId, sent.id);
      let read: Message | undefined;
      try {
        read = await readBack(context, conversationId, sent.id);
      } catch (error) {
        if (NotFoundError.isInstance(error)) return;
        throw error;
      }
      assert.ok(read === undefined || read.deleted === true, 'the deleted message reads back as not deleted');
    },
  },
  {
    id: 'mark-read',
    group: 'messages',
    title: 'markRead (up to a message, and of the whole conversation) resolves; unreadCount drops to 0',
    requires: 'markRead',
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      await peer.send(conversationId, uniqueText('unread'));
      const sent = await messenger.send(conversationId, uniqueText('read'));
      await messenger.markRead(conversationId, sent.id);
      await messenger.markRead(conversationId);
      if (!hasCapability(capabilities, 'getConversation')) return;
      const { unreadCount } = await messenger.getConversation(conversationId);
      assert.ok(
        unreadCount === undefined || unreadCount === 0,
        `unreadCount is ${unreadCount} after markRead`,
      );
    },
  },
  {
    id: 'add-remove-reaction',
    group: 'messages',
    title: 'react adds our reaction to a message and unreact removes it',
    requires: 'reactions',
    async run(context) {
      const { messenger, peer } = context;
      const conversationId = await peer.startConversation();
      const sent = await messenger.send(conversationId, uniqueText('react'));
      const ours = (message: Message | undefined) =>
        message?.reactions.some(
          (reaction) => reaction.value === '👍' && reaction.senderId === sent.sender.id,
        );
      await messenger.react(conversationId, sent.id, '👍');
      const reacted = await readBack(context, conversationId, sent.id);
      if (reacted) assert.ok(ours(reacted), 'the message read back does not carry our 👍');
      await messenger.unreact(conversationId, sent.id, '👍');
      const unreacted = await readBack(context, conversationId, sent.id);
      if (unreacted) assert.ok(!ours(unreacted), 'the message read back still carries our 👍');
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
];
