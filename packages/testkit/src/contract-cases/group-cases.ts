import assert from 'node:assert/strict';
import {
  type ChatEvent,
  type GroupCapabilityName,
  groupCapabilityNames,
  hasCapability,
  type Messenger,
  UnsupportedOperationError,
} from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import type { ContractPeer } from '../contract-types.js';
import { uniqueText } from './fixtures.js';
import { expectRejectedLocally, faultsOf } from './requests.js';
import { allOf, withFaults, withParticipant, withRealtime } from './requirements.js';

/**
 * What the other party of a contract test can do in group conversations, played by the backend
 * in-process (no adapter involved). Give it as `peer.groups` in `setup()`; the group cases of an
 * adapter that declares the group capabilities need it.
 */
export interface ContractGroupPeer {
  /**
   * At least two more participants (ids or handles `openConversation` and `addParticipants` accept),
   * besides the peer itself.
   */
  others: [string, string, ...string[]];
  /** Whether `participant` (one of `others`, as given there) is a member of the group, as the backend sees it. */
  isMember(conversationId: string, participant: string): Promise<boolean>;
  /**
   * The peer creates a group with us (and `others[0]`) titled `title`, so that for us it is a request
   * (capability `conversationRequests`); returns its id as the adapter sees it.
   */
  startGroup(title: string): Promise<string>;
}

/** A contract peer with group abilities: return it from `setup()` to run the group cases. */
export type ContractPeerWithGroups = ContractPeer & { groups?: ContractGroupPeer };

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The peer's group abilities; fails the case with what to add when `setup()` gave none. */
function groupPeer(context: ContractCaseContext): ContractGroupPeer {
  const groups = (context.peer as ContractPeerWithGroups).groups;
  assert.ok(
    groups,
    'not checked: this adapter declares group capabilities, but setup() returned a peer without `groups` ' +
      '(ContractGroupPeer): add it, or skip this case with a reason',
  );
  return groups;
}

const opensGroups = (capabilities: ContractCaseContext['capabilities']) =>
  capabilities.openConversation === 'group' || capabilities.openConversation === 'direct-and-group'
    ? undefined
    : "capability 'openConversation' does not include groups";

const declaredGroup =
  (capability: GroupCapabilityName) => (capabilities: ContractCaseContext['capabilities']) =>
    hasCapability(capabilities, capability) ? undefined : `capability '${capability}' is not declared`;

/** Resolves with the first event matching `match`, or rejects after `timeoutMs`. */
function nextEvent(
  messenger: Messenger,
  match: (event: ChatEvent) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ChatEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      messenger.off('event', listener);
      reject(new assert.AssertionError({ message: `${what}: no such event within ${timeoutMs} ms` }));
    }, timeoutMs);
    const listener = (event: ChatEvent) => {
      if (!match(event)) return;
      clearTimeout(timer);
      messenger.off('event', listener);
      resolve(event);
    };
    messenger.on('event', listener);
  });
}

/** The Messenger calls that need a group capability, for the "not declared ⇒ refused locally" cases. */
function callsNeeding(capability: GroupCapabilityName, messenger: Messenger, conversationId: string) {
  switch (capability) {
    case 'addParticipants':
      return () => messenger.addParticipants(conversationId, ['contract-participant']);
    case 'removeParticipants':
      return () => messenger.removeParticipants(conversationId, ['contract-participant']);
    case 'updateConversation':
      return () => messenger.updateConversation(conversationId, { title: 'contract title' });
    case 'conversationRequests':
      return () => messenger.acceptConversation(conversationId);
    case 'listParticipants':
      return () => messenger.listParticipants(conversationId);
    case 'sendBatch':
      return () => messenger.sendBatch([{ conversationId, message: uniqueText('batch') }]);
  }
}

/** One case per group capability: when the manifest leaves it out, the Messenger refuses it without a request. */
function rejectsCase(capability: GroupCapabilityName): ContractCase {
  return {
    id: `manifest-rejects-${kebab(capability)}`,
    group: 'manifest',
    title: `an undeclared '${capability}' throws UnsupportedOperationError through the Messenger, with no request`,
    requires: allOf(
      (capabilities) =>
        hasCapability(capabilities, capability)
          ? `capability '${capability}' is declared (its working case runs instead)`
          : undefined,
      withFaults,
    ),
    async run(context) {
      const conversationId = await context.peer.startConversation();
      await expectRejectedLocally(
        faultsOf(context),
        callsNeeding(capability, context.messenger, conversationId),
        UnsupportedOperationError,
        capability,
      );
    },
  };
}

/**
 * The group cases: create a group, add/remove a participant (seen by the backend), rename (with its
 * realtime event), request → accept, page through participants, batch send; and for each group
 * capability the manifest leaves out, that the Messenger refuses it locally.
 */
export const groupCases: readonly ContractCase[] = [
  {
    id: 'group-create',
    group: 'conversations',
    title:
      'openConversation with a title (and two others, when the peer has `groups`) creates a group with that title',
    requires: allOf(opensGroups, withParticipant),
    async run(context) {
      const groups = (context.peer as ContractPeerWithGroups).groups;
      const participants = groups ? [groups.others[0], groups.others[1]] : [context.peer.participant!];
      const title = uniqueText('group');
      const group = await context.messenger.openConversation({ participants, title });
      assert.equal(group.kind, 'group', 'a conversation opened with a title is a group');
      assert.equal(group.title, title, 'the group has the title it was created with');
      const count = group.participantCount ?? group.participants.length;
      assert.ok(
        count >= participants.length + 1,
        `the group has us and the ${participants.length} other(s) (${count} participants)`,
      );
      if (context.capabilities.getConversation) {
        const again = await context.messenger.getConversation(group.id);
        assert.equal(again.title, title, 'getConversation shows the title');
      }
    },
  },
  {
    id: 'group-add-remove-participant',
    group: 'conversations',
    title: 'addParticipants / removeParticipants change the membership the backend sees',
    requires: allOf(opensGroups, declaredGroup('addParticipants'), declaredGroup('removeParticipants')),
    async run(context) {
      const groups = groupPeer(context);
      const [first, second] = groups.others;
      const group = await context.messenger.openConversation({
        participants: [first],
        title: uniqueText('g'),
      });
      assert.equal(await groups.isMember(group.id, second), false, 'not a member before being added');
      await context.messenger.addParticipants(group.id, [second]);
      assert.equal(await groups.isMember(group.id, second), true, 'the backend sees the added participant');
      await context.messenger.removeParticipants(group.id, [second]);
      assert.equal(
        await groups.isMember(group.id, second),
        false,
        'the backend no longer sees the removed one',
      );
      assert.equal(await groups.isMember(group.id, first), true, 'the other participant stays');
    },
  },
  {
    id: 'group-rename-event',
    group: 'realtime',
    title:
      "updateConversation renames a group, and a 'conversation.updated' event with change 'renamed' follows",
    requires: allOf(opensGroups, declaredGroup('updateConversation'), withRealtime),
    async run(context) {
      const { others } = groupPeer(context);
      const { messenger } = context;
      const group = await messenger.openConversation({ participants: [others[0]], title: uniqueText('g') });
      await messenger.start();
      const title = uniqueText('renamed');
      const event = nextEvent(
        messenger,
        (e) => e.type === 'conversation.updated' && e.conversationId === group.id && e.change === 'renamed',
        context.realtimeTimeoutMs,
        'rename',
      );
      const renamed = await messenger.updateConversation(group.id, { title });
      assert.equal(renamed.title, title, 'updateConversation returns the new title');
      const seen = await event;
      assert.ok(seen.type === 'conversation.updated');
      if (seen.title !== undefined) assert.equal(seen.title, title, "the event's title is the new one");
    },
  },
  {
    id: 'group-request-accept',
    group: 'conversations',
    title: "a group someone else started is a 'request' until acceptConversation makes it 'accepted'",
    requires: allOf(declaredGroup('conversationRequests'), 'getConversation'),
    async run(context) {
      const id = await groupPeer(context).startGroup(uniqueText('their group'));
      assert.equal(
        (await context.messenger.getConversation(id)).status,
        'request',
        'status before accepting',
      );
      assert.equal(await context.messenger.acceptConversation(id), true, 'accepting a request resolves true');
      assert.equal(
        (await context.messenger.getConversation(id)).status,
        'accepted',
        'status after accepting',
      );
      assert.equal(await context.messenger.acceptConversation(id), false, 'accepting again resolves false');
    },
  },
  {
    id: 'group-list-participants',
    group: 'conversations',
    title: 'participants() pages through every participant of a group exactly once',
    requires: allOf(opensGroups, declaredGroup('listParticipants')),
    async run(context) {
      const { others } = groupPeer(context);
      const group = await context.messenger.openConversation({
        participants: [others[0], others[1]],
        title: uniqueText('g'),
      });
      const ids: string[] = [];
      const limit = Math.max(context.capabilities.pageSize.min, 1);
      for await (const participant of context.messenger.participants(group.id, { limit }))
        ids.push(participant.id);
      assert.equal(new Set(ids).size, ids.length, 'no participant is listed twice');
      assert.equal(ids.length, group.participantCount ?? 3, 'every participant is listed');
      assert.ok(
        ids.some((id) => group.participants.some((p) => p.isSelf && p.id === id)),
        'we are among the participants',
      );
    },
  },
  {
    id: 'send-batch',
    group: 'messages',
    title: 'sendBatch sends every item, in order, with one result per item',
    requires: allOf(declaredGroup('sendBatch'), 'listMessages'),
    async run(context) {
      const conversationId = await context.peer.startConversation();
      const texts = Array.from({ length: 3 }, (_, i) => uniqueText(`batch ${i}`));
      const results = await context.messenger.sendBatch(
        texts.map((message) => ({ conversationId, message })),
      );
      assert.deepEqual(
        results.map((r) => (r.status === 'sent' ? r.message.text : `failed: ${String(r.error)}`)),
        texts,
        'one sent result per item, in order',
      );
      const history = (
        await context.messenger.listMessages(conversationId, { limit: context.capabilities.pageSize.max })
      ).items;
      for (const text of texts)
        assert.equal(history.filter((m) => m.text === text).length, 1, `"${text}" is stored exactly once`);
    },
  },
  ...groupCapabilityNames.map(rejectsCase),
];
