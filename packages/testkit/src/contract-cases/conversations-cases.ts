import assert from 'node:assert/strict';
import { hasCapability } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { clamp, uniqueText } from './fixtures.js';
import { startConversations } from './observers.js';
import { assertEachOnce, assertFirstPageFull, collectPages } from './pages.js';
import { allOf, declared, withParticipant } from './requirements.js';

/** The explicit page limit of the listing case: small, so a few conversations already span pages. */
const SMALL_LIMIT = 2;

/**
 * Two or more conversations: the peers' (`peer`, `peers`), else a second one opened as a titled
 * group. Ends the case as not checked when the backend cannot build two.
 */
async function severalConversations(context: ContractCaseContext): Promise<string[]> {
  const ids = new Set(await startConversations(context));
  const { capabilities, peer, messenger } = context;
  if (
    ids.size < 2 &&
    peer.participant !== undefined &&
    (capabilities.openConversation === 'group' || capabilities.openConversation === 'direct-and-group')
  ) {
    ids.add(
      (await messenger.openConversation({ participants: [peer.participant], title: uniqueText('second') }))
        .id,
    );
  }
  if (ids.size < 2)
    context.notChecked(
      'only one conversation can be built here: give setup() more `peers` (each starts its own conversation)',
    );
  return [...ids];
}

/**
 * Creates the conversations the listing case expects to find: several group conversations when
 * `openConversation` opens groups (a titled group is new on most providers), a direct one otherwise,
 * and whatever the peer can start. Returns their ids (fewer than asked where the provider dedupes).
 */
async function createConversations(context: ContractCaseContext): Promise<Set<string>> {
  const { messenger, capabilities, peer } = context;
  const ids = new Set<string>(await startConversations(context));
  if (!hasCapability(capabilities, 'openConversation') || peer.participant === undefined) return ids;
  const participants = [peer.participant];
  if (capabilities.openConversation === 'direct') {
    ids.add((await messenger.openConversation({ participants })).id);
    return ids;
  }
  const count = Math.min(capabilities.pageSize.default + 3, 30);
  for (let i = 0; i < count; i += 1) {
    ids.add((await messenger.openConversation({ participants, title: uniqueText(`group ${i}`) })).id);
  }
  return ids;
}

async function listAllConversations(context: ContractCaseContext, limit: number | undefined) {
  const pageSize = limit ?? context.capabilities.pageSize.default;
  const what = `listConversations(${limit === undefined ? 'default page size' : `limit ${limit}`})`;
  const pages = await collectPages((cursor) => context.messenger.listConversations({ cursor, limit }), {
    limit: pageSize,
    maxPages: 1000,
    what,
  });
  const items = pages.flat();
  assertFirstPageFull(pages, pageSize, items.length, what);
  assertEachOnce(items, (conversation) => conversation.id, what);
  return { ids: items.map((conversation) => conversation.id), what };
}

/** The conversations group: listing, reading, opening, deleting and muting conversations. */
export const conversationsCases: readonly ContractCase[] = [
  {
    id: 'list-conversations-pages',
    group: 'conversations',
    title: `listConversations pages through every conversation exactly once, with the default page size and with an explicit limit (${SMALL_LIMIT}); not checked when fewer conversations than that limit + 1 can be built`,
    requires: 'listConversations',
    async run(context) {
      const created = await createConversations(context);
      const { pageSize } = context.capabilities;
      const small = clamp(SMALL_LIMIT, pageSize.min, pageSize.max);
      if (created.size <= small)
        context.notChecked(
          `paging needs more than ${small} conversations, and only ${created.size} can be built here: give setup() more \`peers\``,
        );
      for (const limit of [undefined, small]) {
        const { ids, what } = await listAllConversations(context, limit);
        for (const id of created) assert.ok(ids.includes(id), `${what}: conversation ${id} is missing`);
      }
    },
  },
  {
    id: 'get-conversation',
    group: 'conversations',
    title: 'getConversation returns the conversation asked for (of several), with its id and provider',
    requires: 'getConversation',
    async run(context) {
      const { messenger, adapter } = context;
      const ids = await severalConversations(context);
      for (const id of [...ids].reverse()) {
        const conversation = await messenger.getConversation(id);
        assert.equal(
          conversation.id,
          id,
          `getConversation(${JSON.stringify(id)}) returned another conversation`,
        );
        assert.equal(
          conversation.provider,
          adapter.provider,
          'conversation.provider is not adapter.provider',
        );
        assert.ok(Array.isArray(conversation.participants), 'conversation.participants is not an array');
        assert.ok(
          ['direct', 'group', 'support', 'assistant'].includes(conversation.kind),
          `conversation.kind ${JSON.stringify(conversation.kind)} is not a ConversationKind`,
        );
      }
    },
  },
  {
    id: 'participants-include-self',
    group: 'conversations',
    title:
      'a conversation (getConversation, else listConversations) lists us among its participants (isSelf, the id connect() returned) and the peer as not self',
    requires: (capabilities) =>
      hasCapability(capabilities, 'getConversation') || hasCapability(capabilities, 'listConversations')
        ? undefined
        : 'neither getConversation nor listConversations is declared',
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const self = await messenger.connect();
      const id = await peer.startConversation();
      let conversation = hasCapability(capabilities, 'getConversation')
        ? await messenger.getConversation(id)
        : undefined;
      if (!conversation) {
        for await (const candidate of messenger.conversations()) {
          if (candidate.id === id) {
            conversation = candidate;
            break;
          }
        }
      }
      assert.ok(conversation, `conversation ${id} is not listed`);
      const selves = conversation.participants.filter((participant) => participant.isSelf);
      assert.equal(
        selves.length,
        1,
        `participants hold ${selves.length} entries with isSelf; expected exactly us`,
      );
      if (self)
        assert.equal(selves[0]!.id, self.id, 'the isSelf participant is not the one connect() returned');
      assert.ok(
        conversation.participants.some((participant) => !participant.isSelf),
        'participants hold nobody but us (the peer is missing)',
      );
    },
  },
  {
    id: 'open-conversation',
    group: 'conversations',
    title:
      'openConversation with the peer returns a conversation; a direct one is the same when opened twice',
    requires: allOf(declared('openConversation'), withParticipant),
    async run({ messenger, peer, capabilities }) {
      const participants = [peer.participant!];
      const first = await messenger.openConversation({ participants });
      assert.ok(typeof first.id === 'string' && first.id !== '', 'openConversation returned no id');
      if (capabilities.openConversation !== 'group') {
        const again = await messenger.openConversation({ participants });
        assert.equal(again.id, first.id, 'opening the same direct conversation twice gave two conversations');
      }
      if (hasCapability(capabilities, 'getConversation')) {
        assert.equal(
          (await messenger.getConversation(first.id)).id,
          first.id,
          'getConversation cannot find it',
        );
      }
    },
  },
  {
    id: 'delete-conversation',
    group: 'conversations',
    title: 'deleteConversation removes the conversation from our list',
    requires: 'deleteConversation',
    async run(context) {
      const id = await context.peer.startConversation();
      await context.messenger.deleteConversation(id);
      if (!hasCapability(context.capabilities, 'listConversations')) return;
      const { ids, what } = await listAllConversations(context, undefined);
      assert.ok(!ids.includes(id), `${what}: the deleted conversation ${id} is still listed`);
    },
  },
  {
    id: 'mute-conversation',
    group: 'conversations',
    title: 'muteConversation / unmuteConversation set and clear `muted`',
    requires: 'muteConversation',
    async run({ messenger, peer, capabilities }) {
      const id = await peer.startConversation();
      const muted = await messenger.muteConversation(id);
      assert.equal(muted.id, id, 'muteConversation returned another conversation');
      assert.equal(muted.muted, true, 'muteConversation returned muted !== true');
      if (hasCapability(capabilities, 'getConversation')) {
        assert.equal(
          (await messenger.getConversation(id)).muted,
          true,
          'getConversation does not show it muted',
        );
      }
      const unmuted = await messenger.unmuteConversation(id);
      assert.equal(unmuted.muted, false, 'unmuteConversation returned muted !== false');
    },
  },
];
