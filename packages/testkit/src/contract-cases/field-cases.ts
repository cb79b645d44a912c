import assert from 'node:assert/strict';
import {
  type CapabilityName,
  type Conversation,
  hasCapability,
  InvalidRequestError,
  type Message,
  UnsupportedOperationError,
} from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { BackendMessage } from '../contract-types.js';
import { describeThrown, settle } from './contract-assert.js';
import { sampleAttachments, uniqueText } from './fixtures.js';
import { anyOf, declared } from './requirements.js';

/**
 * The optional fields of messages and conversations: each one an adapter reports must come back with
 * its exact value wherever the message or conversation is read (the send/edit result, getMessage,
 * history, realtime), and where the backend records it (`peer.readMessages`), the adapter must report it.
 */

/** Runs each read whose capability is declared, in order, and pairs the capability's name with what it found. */
async function declaredReads<T>(
  capabilities: ContractCaseContext['capabilities'],
  reads: ReadonlyArray<readonly [CapabilityName, () => Promise<T | undefined>]>,
): Promise<Array<[string, T | undefined]>> {
  const found: Array<[string, T | undefined]> = [];
  for (const [name, read] of reads) if (hasCapability(capabilities, name)) found.push([name, await read()]);
  return found;
}

/** The message as each of the adapter's own reads sees it: getMessage and the newest page of history. */
function adapterReads(
  context: ContractCaseContext,
  conversationId: string,
  messageId: string,
): Promise<Array<[string, Message | undefined]>> {
  const { messenger, capabilities } = context;
  return declaredReads(capabilities, [
    ['getMessage', () => messenger.getMessage(conversationId, messageId)],
    [
      'listMessages',
      async () =>
        (await messenger.listMessages(conversationId)).items.find((message) => message.id === messageId),
    ],
  ]);
}

/** The message as the backend stores it (`undefined`: no `peer.readMessages`, or not found). */
async function backendRead(
  context: ContractCaseContext,
  conversationId: string,
  messageId: string,
): Promise<BackendMessage | undefined> {
  if (!context.peer.readMessages) return undefined;
  return (await context.peer.readMessages(conversationId)).find((message) => message.id === messageId);
}

/** Resolves with the first `'message'` event with `text`, or fails after `timeoutMs`. */
function realtimeMessage(context: ContractCaseContext, text: string): Promise<Message> {
  const { messenger, realtimeTimeoutMs } = context;
  return new Promise<Message>((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.text !== text) return;
      clearTimeout(timer);
      messenger.off('message', onMessage);
      resolve(message);
    };
    const timer = setTimeout(() => {
      messenger.off('message', onMessage);
      reject(
        new assert.AssertionError({
          message: `our reply did not reach 'message' within ${realtimeTimeoutMs} ms`,
        }),
      );
    }, realtimeTimeoutMs);
    messenger.on('message', onMessage);
  });
}

/** The conversation as every declared way of reading it sees it. */
function conversationReads(
  context: ContractCaseContext,
  conversationId: string,
): Promise<Array<[string, Conversation | undefined]>> {
  const { messenger, capabilities } = context;
  return declaredReads(capabilities, [
    ['getConversation', () => messenger.getConversation(conversationId)],
    [
      'listConversations',
      async () => {
        let found: Conversation | undefined;
        let cursor: string | undefined;
        do {
          const page = await messenger.listConversations({ cursor });
          found = page.items.find((conversation) => conversation.id === conversationId);
          cursor = page.nextCursor;
        } while (!found && cursor !== undefined);
        return found;
      },
    ],
  ]);
}

/** Every `ParticipantKind` (core's model). */
const PARTICIPANT_KINDS: readonly string[] = ['user', 'agent', 'visitor', 'bot'];

const readsConversations = anyOf(declared('getConversation'), declared('listConversations'));

/** The field cases (groups messages and conversations). */
export const fieldCases: readonly ContractCase[] = [
  {
    id: 'field-reply-round-trip',
    group: 'messages',
    title:
      'a reply (send with replyToId) is stored as a reply and reports that exact replyToId from send, getMessage/history and realtime; a plain message has none',
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      const target = await messenger.send(conversationId, uniqueText('reply target'));
      assert.equal(
        target.replyToId,
        undefined,
        `send of a plain message returned replyToId ${target.replyToId}`,
      );
      const text = uniqueText('reply');
      const attempt = await settle(messenger.send(conversationId, { text, replyToId: target.id }));
      if ('error' in attempt) {
        // A provider with no replies refuses `replyToId` as bad input, before any request.
        if (
          InvalidRequestError.isInstance(attempt.error) ||
          UnsupportedOperationError.isInstance(attempt.error)
        )
          context.notChecked(`the adapter refuses replies: ${describeThrown(attempt.error)}`);
        throw attempt.error;
      }
      const reply = attempt.value;
      const stored = await backendRead(context, conversationId, reply.id);
      if (stored?.replyToId !== undefined)
        assert.equal(
          stored.replyToId,
          target.id,
          'peer.readMessages: the reply is not stored as a reply to the target (replyToId not sent?)',
        );
      if (reply.replyToId === undefined && (stored?.replyToId ?? undefined) === undefined)
        context.notChecked(
          'neither send nor the backend (peer.readMessages `replyToId`) report replies: the provider may have none',
        );
      assert.equal(reply.replyToId, target.id, 'send: the reply does not carry replyToId of its target');
      for (const [source, read] of await adapterReads(context, conversationId, reply.id)) {
        assert.ok(read, `${source}: the reply cannot be read back`);
        assert.equal(
          read.replyToId,
          target.id,
          `${source}: the reply read back has replyToId ${read.replyToId}`,
        );
      }
      for (const [source, read] of await adapterReads(context, conversationId, target.id))
        assert.equal(read?.replyToId, undefined, `${source}: a plain message reads back with a replyToId`);
      // Realtime echoes our own sends on polling and websocket adapters (webhooks report the peer's only).
      if (capabilities.realtime === 'polling' || capabilities.realtime === 'websocket') {
        await messenger.start();
        const echoText = uniqueText('reply echo');
        const echoed = realtimeMessage(context, echoText);
        await messenger.send(conversationId, { text: echoText, replyToId: target.id });
        const echo = await echoed;
        assert.equal(
          echo.replyToId,
          target.id,
          "realtime: the reply reached 'message' without its replyToId",
        );
      }
    },
  },
  {
    id: 'field-edited-at',
    group: 'messages',
    title:
      'a message has no editedAt until edited; after edit, editedAt is a valid Date not before sentAt, from edit and getMessage/history',
    requires: 'editMessage',
    async run(context) {
      const { messenger, peer } = context;
      const conversationId = await peer.startConversation();
      const sent = await messenger.send(conversationId, uniqueText('before edit'));
      assert.equal(sent.editedAt, undefined, 'send: a new message already has editedAt');
      for (const [source, read] of await adapterReads(context, conversationId, sent.id))
        assert.equal(read?.editedAt, undefined, `${source}: a message never edited has editedAt`);
      const edited = await messenger.edit(conversationId, sent.id, uniqueText('after edit'));
      const stored = await backendRead(context, conversationId, sent.id);
      if (edited.editedAt === undefined && stored?.edited !== true)
        context.notChecked('neither edit nor the backend (peer.readMessages `edited`) report edits');
      const check = (source: string, message: Message | undefined) => {
        const editedAt = message?.editedAt;
        assert.ok(
          editedAt instanceof Date && !Number.isNaN(editedAt.getTime()),
          `${source}: the edited message has no valid editedAt`,
        );
        assert.ok(
          editedAt.getTime() >= sent.sentAt.getTime(),
          `${source}: editedAt ${editedAt.toISOString()} is before sentAt ${sent.sentAt.toISOString()}`,
        );
      };
      check('edit', edited);
      for (const [source, read] of await adapterReads(context, conversationId, sent.id)) check(source, read);
    },
  },
  {
    id: 'field-attachment-names',
    group: 'messages',
    title:
      'each declared attachment kind sent with a file name comes back with that exact name (send, getMessage/history), where the adapter or backend keeps names',
    requires: 'attachments',
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      let checked = 0;
      for (const kind of capabilities.attachments) {
        const sample = sampleAttachments[kind];
        const sent = await messenger.send(conversationId, { text: uniqueText(kind), attachments: [sample] });
        const stored = await backendRead(context, conversationId, sent.id);
        const storedName = stored?.attachments?.find((attachment) => attachment.kind === kind)?.name;
        if (storedName !== undefined)
          assert.equal(
            storedName,
            sample.name,
            `peer.readMessages: the '${kind}' attachment is stored as ${storedName}`,
          );
        const sentName = sent.attachments.find((attachment) => attachment.kind === kind)?.name;
        if (sentName === undefined && storedName === undefined) continue;
        checked += 1;
        assert.equal(sentName, sample.name, `send: the '${kind}' attachment comes back named ${sentName}`);
        for (const [source, read] of await adapterReads(context, conversationId, sent.id)) {
          const name = read?.attachments.find((attachment) => attachment.kind === kind)?.name;
          assert.equal(name, sample.name, `${source}: the '${kind}' attachment reads back named ${name}`);
        }
      }
      if (checked === 0)
        context.notChecked('neither send nor the backend (peer.readMessages) report attachment names');
    },
  },
  {
    id: 'field-display-names',
    group: 'conversations',
    title:
      "the peer's displayName (peer.displayName) is exact on the conversation's participants and on the sender of the peer's messages, each with a valid ParticipantKind",
    requires: anyOf(readsConversations, declared('listMessages')),
    async run(context) {
      const { messenger, peer, capabilities } = context;
      if (peer.displayName === undefined) context.notChecked('setup() gives no `peer.displayName`');
      const conversationId = await peer.startConversation();
      const text = uniqueText('display name');
      await peer.send(conversationId, text);
      const expected = peer.displayName;
      for (const [source, conversation] of await conversationReads(context, conversationId)) {
        assert.ok(conversation, `${source}: the conversation is not there`);
        for (const participant of conversation.participants)
          assert.ok(
            PARTICIPANT_KINDS.includes(participant.kind),
            `${source}: participant ${participant.id} has kind ${JSON.stringify(participant.kind)}, not a ParticipantKind`,
          );
        const others = conversation.participants.filter((participant) => !participant.isSelf);
        assert.ok(
          others.some((participant) => participant.displayName === expected),
          `${source}: no participant has the peer's displayName ${JSON.stringify(expected)} (got ${JSON.stringify(others.map((p) => p.displayName))})`,
        );
      }
      if (hasCapability(capabilities, 'listMessages')) {
        const found = (await messenger.listMessages(conversationId)).items.find((m) => m.text === text);
        assert.ok(found, "listMessages: the peer's message is not in the newest page");
        assert.ok(
          PARTICIPANT_KINDS.includes(found.sender.kind),
          `listMessages: the peer's message has sender.kind ${JSON.stringify(found.sender.kind)}`,
        );
        assert.equal(
          found.sender.displayName,
          expected,
          "listMessages: the sender of the peer's message has another displayName",
        );
        if (hasCapability(capabilities, 'getMessage')) {
          const got = await messenger.getMessage(conversationId, found.id);
          assert.equal(
            got.sender.displayName,
            expected,
            "getMessage: the sender of the peer's message has another displayName",
          );
        }
      }
    },
  },
  {
    id: 'field-last-message',
    group: 'conversations',
    title:
      "where conversations report lastMessage, it is the newest message: after the peer's message then ours, ours (id, text, sender.isSelf), in getConversation and listConversations alike",
    requires: readsConversations,
    async run(context) {
      const { messenger, peer } = context;
      const conversationId = await peer.startConversation();
      const theirs = uniqueText('last message theirs');
      await peer.send(conversationId, theirs);
      const afterPeer = await conversationReads(context, conversationId);
      const text = uniqueText('last message ours');
      const sent = await messenger.send(conversationId, text);
      const afterOurs = await conversationReads(context, conversationId);
      const reported = [...afterPeer, ...afterOurs].some(([, conversation]) => conversation?.lastMessage);
      if (!reported) context.notChecked('no conversation read reports lastMessage');
      for (const [source, conversation] of afterPeer) {
        assert.equal(
          conversation?.lastMessage?.text,
          theirs,
          `${source}: after the peer's message, lastMessage is not it`,
        );
        assert.equal(
          conversation?.lastMessage?.sender.isSelf,
          false,
          `${source}: the peer's lastMessage has isSelf`,
        );
      }
      for (const [source, conversation] of afterOurs) {
        const last = conversation?.lastMessage;
        assert.ok(last, `${source}: after our send, the conversation has no lastMessage`);
        assert.equal(last.id, sent.id, `${source}: lastMessage is not the message we just sent`);
        assert.equal(last.text, text, `${source}: lastMessage has another text`);
        assert.equal(last.sender.isSelf, true, `${source}: our lastMessage has sender.isSelf not true`);
        assert.equal(
          last.conversationId,
          conversationId,
          `${source}: lastMessage names another conversation`,
        );
      }
    },
  },
];
