import { type ChatEvent, InvalidRequestError, NotFoundError, PermissionDeniedError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { useMessengerSetup } from '../test/bluesky-messenger-setup.js';

const current = useMessengerSetup(['carol.test', 'dave.test']);
const { start } = current;

/** Resolves with the first event matching `match` (event-driven: no sleeps). */
function nextEvent(match: (event: ChatEvent) => boolean): Promise<ChatEvent> {
  return new Promise((resolve) => {
    const listener = (event: ChatEvent) => {
      if (!match(event)) return;
      current.messenger.off('event', listener);
      resolve(event);
    };
    current.messenger.on('event', listener);
  });
}

describe('bluesky groups through the Messenger', () => {
  it('creates, renames, adds and removes participants, pages through them, and sends to the group', async () => {
    const { emulator, messenger } = await start();
    const group = await messenger.openConversation({
      participants: ['bob.test', 'carol.test'],
      title: 'Trip',
    });
    expect(group).toMatchObject({ kind: 'group', title: 'Trip', participantCount: 3, status: 'accepted' });
    expect(group.participants.map((p) => p.handle)).toEqual(['alice.test', 'bob.test', 'carol.test']);

    const renamed = await messenger.updateConversation(group.id, { title: 'Trip 2027 🏔️' });
    expect(renamed.title).toBe('Trip 2027 🏔️');
    const added = await messenger.addParticipants(group.id, ['dave.test']);
    expect(added.participantCount).toBe(4);
    const removed = await messenger.removeParticipants(group.id, [emulator.as('carol.test').did]);
    expect(removed.participantCount).toBe(3);

    const handles: string[] = [];
    for await (const participant of messenger.participants(group.id, { limit: 2 }))
      handles.push(participant.handle!);
    expect(handles).toEqual(['alice.test', 'bob.test', 'dave.test']);

    const sent = await messenger.send(group.id, 'hello group');
    const history: string[] = [];
    for await (const message of messenger.messages(group.id)) history.push(message.id);
    // System messages (rename, add, remove) are not messages; only the text message is listed.
    expect(history).toEqual([sent.id]);
  });

  it('a group someone else started is a request until accepted', async () => {
    const { emulator, messenger } = await start();
    const id = emulator.as('bob.test').createGroup('Bob’s group', ['alice.test', 'carol.test']);
    expect((await messenger.getConversation(id)).status).toBe('request');
    expect(await messenger.acceptConversation(id)).toBe(true);
    expect((await messenger.getConversation(id)).status).toBe('accepted');
    expect(await messenger.acceptConversation(id)).toBe(false);
  });

  it('reports participant joined/left, rename and lock events from getLog', async () => {
    const { emulator, messenger } = await start();
    const bob = emulator.as('bob.test');
    const id = bob.createGroup('Bob’s group', ['alice.test']);
    await messenger.start();
    const joined = nextEvent((e) => e.type === 'participant.joined');
    bob.addMembers(id, ['carol.test']);
    expect(await joined).toMatchObject({
      type: 'participant.joined',
      conversationId: id,
      via: 'added',
      actorId: bob.did,
      participant: { id: emulator.as('carol.test').did, handle: 'carol.test', isSelf: false },
    });
    const renamed = nextEvent((e) => e.type === 'conversation.updated' && e.change === 'renamed');
    bob.editGroup(id, 'New name');
    expect(await renamed).toMatchObject({ title: 'New name', conversationId: id });
    const left = nextEvent((e) => e.type === 'participant.left');
    bob.removeMembers(id, ['carol.test']);
    expect(await left).toMatchObject({
      via: 'removed',
      actorId: bob.did,
      participant: { handle: 'carol.test' },
    });
    const locked = nextEvent((e) => e.type === 'conversation.updated' && e.change === 'locked');
    bob.setLocked(id, true);
    expect(await locked).toMatchObject({ actorId: bob.did });
  });

  it('maps the group lexicon errors to typed errors with what to do', async () => {
    const { emulator, messenger } = await start();
    emulator.addAccount({ handle: 'picky.test', password: 'pw', allowGroupInvites: 'following' });
    const error = await messenger
      .openConversation({ participants: ['picky.test'], title: 'G' })
      .catch((caught: unknown) => caught);
    expect(PermissionDeniedError.isInstance(error), String(error)).toBe(true);
    expect(error).toMatchObject({
      providerCode: 'NotFollowedBySender',
      message: expect.stringMatching(/follow/),
    });

    await expect(
      messenger.openConversation({ participants: ['did:plc:nobody000000000000000000'], title: 'G' }),
    ).rejects.toSatisfy((e: unknown) => NotFoundError.isInstance(e));

    const bobGroup = emulator.as('bob.test').createGroup('Bob’s', ['alice.test']);
    const notOwner = await messenger.updateConversation(bobGroup, { title: 'x' }).catch((e: unknown) => e);
    expect(notOwner).toMatchObject({ code: 'permission_denied', message: expect.stringMatching(/owner/) });

    const full = await messenger.openConversation({ participants: ['bob.test'], title: 'Big' });
    const many = Array.from(
      { length: 99 },
      (_, i) => emulator.addAccount({ handle: `m${i}.test`, password: 'p' }).did,
    );
    const limit = await messenger.addParticipants(full.id, many).catch((e: unknown) => e);
    expect(InvalidRequestError.isInstance(limit)).toBe(true);
    expect(limit).toMatchObject({
      providerCode: 'MemberLimitReached',
      message: expect.stringMatching(/member limit/),
    });
  });

  it('Bluesky-only: lock/unlock, join links and join requests', async () => {
    const { emulator, adapter, messenger } = await start();
    const group = await messenger.openConversation({ participants: ['bob.test'], title: 'Club' });
    const link = await adapter.createJoinLink(group.id, { joinRule: 'anyone', requireApproval: true });
    expect(link).toMatchObject({ enabled: true, requireApproval: true, joinRule: 'anyone' });
    const [preview] = await adapter.getJoinLinkPreviews([link.code]);
    expect(preview).toMatchObject({ status: 'valid', title: 'Club', participantCount: 2 });
    expect(emulator.as('dave.test').requestJoin(link.code)).toBe('pending');
    const requests = await adapter.listJoinRequests(group.id);
    expect(requests.items.map((r) => r.participant.handle)).toEqual(['dave.test']);
    const approved = await adapter.approveJoinRequest(group.id, requests.items[0]!.participant.id);
    expect(approved.participantCount).toBe(3);
    const mutual = await adapter.listMutualGroups(emulator.as('dave.test').did);
    expect(mutual.items.map((c) => c.id)).toEqual([group.id]);
    expect((await adapter.setJoinLinkEnabled(group.id, false)).enabled).toBe(false);

    const locked = await adapter.lockConversation(group.id);
    expect(locked.raw).toMatchObject({ kind: { lockStatus: 'locked' } });
    await expect(messenger.send(group.id, 'nope')).rejects.toMatchObject({
      code: 'permission_denied',
      providerCode: 'ConvoLocked',
    });
    await adapter.unlockConversation(group.id);
    await messenger.send(group.id, 'open again');
  });
});

describe('bluesky sendBatch', () => {
  it('sends to several conversations in calls of up to 100, in order', async () => {
    const { emulator, messenger, requests } = await start();
    const direct = await messenger.openConversation({ participants: ['bob.test'] });
    const group = await messenger.openConversation({ participants: ['bob.test', 'carol.test'], title: 'G' });
    const items = Array.from({ length: 150 }, (_, i) => ({
      conversationId: i % 2 ? direct.id : group.id,
      message: `batch ${i}`,
    }));
    const before = requests.filter((r) => r.url.includes('sendMessageBatch')).length;
    const results = await messenger.sendBatch(items);
    expect(requests.filter((r) => r.url.includes('sendMessageBatch')).length - before).toBe(2);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(results.map((r) => (r.status === 'sent' ? r.message.text : ''))).toEqual(
      items.map((i) => i.message),
    );
    expect(results.map((r) => (r.status === 'sent' ? r.message.conversationId : ''))).toEqual(
      items.map((i) => i.conversationId),
    );
    expect(emulator.stats().messages).toBe(150);
  });

  it('is all-or-nothing: an invalid conversation fails every item of its call, and nothing is stored', async () => {
    const { emulator, messenger } = await start();
    const direct = await messenger.openConversation({ participants: ['bob.test'] });
    const results = await messenger.sendBatch([
      { conversationId: direct.id, message: 'one' },
      { conversationId: 'no-such-convo', message: 'two' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]).toMatchObject({ error: { code: 'not_found' } });
    expect(emulator.stats().messages).toBe(0);
  });
});

describe('bluesky mentions', () => {
  it('sends @handles as mention facets with the DID, and reads them back as Message.mentions', async () => {
    const { emulator, messenger } = await start();
    const group = await messenger.openConversation({ participants: ['bob.test', 'carol.test'], title: 'G' });
    const text = 'héllo 👋🏽 @bob.test and @nobody.test, see https://example.com';
    const sent = await messenger.send(group.id, text);
    const bob = emulator.as('bob.test').did;
    const byteStart = Buffer.byteLength('héllo 👋🏽 ');
    expect((sent.raw as { facets: unknown[] }).facets).toEqual([
      {
        index: { byteStart, byteEnd: byteStart + '@bob.test'.length },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob }],
      },
      expect.objectContaining({
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com' }],
      }),
    ]);
    const [stored] = (await messenger.listMessages(group.id, { limit: 1 })).items;
    expect(stored!.mentions).toEqual([
      { participantId: bob, handle: 'bob.test', start: text.indexOf('@bob'), end: text.indexOf('@bob') + 9 },
    ]);
  });
});
