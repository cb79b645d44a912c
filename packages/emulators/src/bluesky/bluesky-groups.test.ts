import { AtpAgent } from '@atproto/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyAccount, blueskyAccounts } from '../../test/test-accounts.js';
import { assertInput, assertOutput, callXrpc, login } from './bluesky-test-client.js';
import { type BlueskyEmulator, startBlueskyEmulator } from './index.js';

/**
 * Group chats on the emulator, driven by the official `@atproto/api` client (which checks every
 * response against the lexicons it ships) and by raw XRPC calls checked with the same lexicons.
 */
let emulator: BlueskyEmulator;

beforeEach(async () => {
  emulator = await startBlueskyEmulator({
    accounts: [
      blueskyAccount('alice', { displayName: 'Alice' }),
      ...blueskyAccounts('bob', 'carol', 'dave'),
      blueskyAccount('newbie', { canCreateGroups: false }),
      blueskyAccount('picky', { allowGroupInvites: 'following' }),
      blueskyAccount('hermit', { allowGroupInvites: 'none' }),
      blueskyAccount('blocker', { blocks: ['alice.test'] }),
    ],
  });
});
afterEach(() => emulator.close());

async function agentFor(handle: string, password: string) {
  const agent = new AtpAgent({ service: emulator.url });
  await agent.login({ identifier: handle, password });
  const proxied = agent.withProxy('bsky_chat', 'did:web:api.bsky.chat');
  return { convo: proxied.chat.bsky.convo, group: proxied.chat.bsky.group, actor: proxied.chat.bsky.actor };
}

const types = (logs: { $type?: string }[]) => logs.map((l) => String(l.$type).replace(/^.*#/, ''));

describe('official AtpAgent: a full group flow', () => {
  it('create, add, rename, send, batch send, remove, leave, lock', async () => {
    const alice = await agentFor('alice.test', 'pw-alice');
    const bob = await agentFor('bob.test', 'pw-bob');
    const [bobDid, carolDid, daveDid] = ['bob.test', 'carol.test', 'dave.test'].map(
      (h) => emulator.as(h).did,
    );
    const { data: bobStart } = await bob.convo.getLog({});

    const { data: created } = await alice.group.createGroup({
      members: [bobDid!, carolDid!],
      name: 'Trip 🏔️',
    });
    const convoId = created.convo.id;
    expect(created.convo.kind).toMatchObject({
      $type: 'chat.bsky.convo.defs#groupConvo',
      name: 'Trip 🏔️',
      memberCount: 3,
      lockStatus: 'unlocked',
    });
    expect(created.convo.status).toBe('accepted');

    const { data: asRequest } = await bob.convo.getConvo({ convoId });
    expect(asRequest.convo.status).toBe('request');
    const { data: requests } = await bob.convo.listConvoRequests({});
    expect(requests.requests.map((r) => (r as { id?: string }).id)).toEqual([convoId]);
    expect((await bob.convo.acceptConvo({ convoId })).data.rev).toBeDefined();

    const { data: added } = await alice.group.addMembers({ convoId, members: [daveDid!] });
    expect(added.addedMembers?.map((m) => m.handle)).toEqual(['dave.test']);
    expect(added.convo.kind).toMatchObject({ memberCount: 4 });

    const { data: renamed } = await alice.group.editGroup({ convoId, name: 'Trip 2027' });
    expect(renamed.convo.kind).toMatchObject({ name: 'Trip 2027' });

    const { data: sent } = await alice.convo.sendMessage({ convoId, message: { text: 'hello group' } });
    const { data: batch } = await alice.convo.sendMessageBatch({
      items: [
        { convoId, message: { text: 'one' } },
        { convoId, message: { text: 'two' } },
      ],
    });
    expect(batch.items.map((m) => m.text)).toEqual(['one', 'two']);

    await alice.group.removeMembers({ convoId, members: [carolDid!] });
    await expect(
      callXrpc(emulator, 'chat.bsky.convo.getConvo', {
        token: (await login(emulator, 'carol.test', 'pw-carol')).accessJwt,
        params: { convoId },
      }),
    ).resolves.toMatchObject({ status: 400, body: { error: 'InvalidConvo' } });

    const { data: members } = await bob.convo.getConvoMembers({ convoId, limit: 2 });
    expect(members.members.map((m) => m.handle)).toEqual(['alice.test', 'bob.test']);
    const { data: rest } = await bob.convo.getConvoMembers({ convoId, limit: 2, cursor: members.cursor });
    expect(rest.members.map((m) => m.handle)).toEqual(['dave.test']);
    expect(rest.cursor).toBeUndefined();
    expect(members.members[0]?.kind).toMatchObject({ role: 'owner' });

    await expect(alice.convo.leaveConvo({ convoId })).rejects.toMatchObject({ error: 'OwnerCannotLeave' });
    await bob.convo.leaveConvo({ convoId });

    const { data: locked } = await alice.convo.lockConvo({ convoId });
    expect(locked.convo.kind).toMatchObject({ lockStatus: 'locked' });
    await expect(alice.convo.sendMessage({ convoId, message: { text: 'late' } })).rejects.toMatchObject({
      error: 'ConvoLocked',
    });

    const { data: history } = await alice.convo.getMessages({ convoId });
    expect(types(history.messages)).toEqual([
      'systemMessageView', // lock
      'systemMessageView', // bob left
      'systemMessageView', // carol removed
      'messageView',
      'messageView',
      'messageView',
      'systemMessageView', // rename
      'systemMessageView', // dave added
    ]);
    expect(history.messages.find((m) => 'id' in m && m.id === sent.id)).toBeDefined();

    const { data: bobLog } = await bob.convo.getLog({ cursor: bobStart.cursor });
    expect(types(bobLog.logs)).toEqual([
      'logBeginConvo',
      'logAcceptConvo',
      'logAddMember',
      'logEditGroup',
      'logCreateMessage',
      'logCreateMessage',
      'logCreateMessage',
      'logRemoveMember',
      'logLeaveConvo',
    ]);
  });

  it('join links: approval, join requests and their log events', async () => {
    const alice = await agentFor('alice.test', 'pw-alice');
    const dave = await agentFor('dave.test', 'pw-dave');
    const { data: aliceStart } = await alice.convo.getLog({});
    const { data: created } = await alice.group.createGroup({ members: [], name: 'Open house' });
    const convoId = created.convo.id;
    const { data: link } = await alice.group.createJoinLink({
      convoId,
      joinRule: 'anyone',
      requireApproval: true,
    });
    const { code } = link.joinLink;

    const { data: previews } = await dave.group.getJoinLinkPreviews({ codes: [code, 'nope'] });
    expect(previews.joinLinkPreviews.map((p) => p.$type)).toEqual([
      'chat.bsky.group.defs#joinLinkPreviewView',
      'chat.bsky.group.defs#invalidJoinLinkPreviewView',
    ]);
    expect((await dave.group.requestJoin({ code })).data.status).toBe('pending');
    const { data: pending } = await alice.group.listJoinRequests({ convoId });
    expect(pending.requests.map((r) => r.requestedBy.handle)).toEqual(['dave.test']);
    await alice.group.updateJoinRequestsRead({ convoId });
    const { data: approved } = await alice.group.approveJoinRequest({
      convoId,
      member: emulator.as('dave.test').did,
    });
    expect(approved.convo.kind).toMatchObject({ memberCount: 2 });
    await alice.group.disableJoinLink({ convoId });
    await expect((await agentFor('bob.test', 'pw-bob')).group.requestJoin({ code })).rejects.toMatchObject({
      error: 'LinkDisabled',
    });

    const { data: log } = await alice.convo.getLog({ cursor: aliceStart.cursor });
    expect(types(log.logs)).toEqual([
      'logBeginConvo',
      'logCreateJoinLink',
      'logIncomingJoinRequest',
      'logReadJoinRequests',
      'logApproveJoinRequest',
      'logMemberJoin',
      'logDisableJoinLink',
    ]);
    const { data: mutual } = await alice.group.listMutualGroups({ subject: emulator.as('dave.test').did });
    expect(mutual.convos.map((c) => c.id)).toEqual([convoId]);
  });

  it('lists by kind and lock status, and reports getStatus', async () => {
    const alice = await agentFor('alice.test', 'pw-alice');
    const bob = emulator.as('bob.test');
    const direct = bob.openConvo('alice.test');
    const group = bob.createGroup('Bob and friends', ['alice.test']);
    bob.setLocked(group, true);
    expect((await alice.convo.listConvos({ kind: 'direct' })).data.convos.map((c) => c.id)).toEqual([direct]);
    expect((await alice.convo.listConvos({ kind: 'group' })).data.convos.map((c) => c.id)).toEqual([group]);
    expect((await alice.convo.listConvos({ lockStatus: 'locked' })).data.convos.map((c) => c.id)).toEqual([
      group,
    ]);
    expect((await alice.actor.getStatus()).data).toEqual({
      chatDisabled: false,
      canCreateGroups: true,
      groupMemberLimit: 100,
    });
  });
});

describe('group errors and limits (lexicon-checked)', () => {
  let token: string;
  beforeEach(async () => {
    token = (await login(emulator, 'alice.test', 'pw-alice')).accessJwt;
  });
  const post = async (nsid: string, body: Record<string, unknown>, as = token) => {
    const answer = await callXrpc(emulator, nsid, { token: as, body });
    if (answer.status === 200) assertOutput(nsid, answer.body);
    return answer;
  };
  const did = (handle: string) => emulator.as(handle).did;

  it('answers the declared errors of createGroup and addMembers', async () => {
    const cases: Array<[string, string]> = [
      ['picky.test', 'NotFollowedBySender'],
      ['hermit.test', 'UserForbidsGroups'],
      ['blocker.test', 'BlockedSubject'],
      ['did:plc:nobody000000000000000000', 'RecipientNotFound'],
    ];
    for (const [member, error] of cases) {
      const body = { members: [member.startsWith('did:') ? member : did(member)], name: 'G' };
      assertInput('chat.bsky.group.createGroup', body);
      expect(await post('chat.bsky.group.createGroup', body)).toMatchObject({ status: 400, body: { error } });
    }
    const newbie = (await login(emulator, 'newbie.test', 'pw-newbie')).accessJwt;
    expect(
      await post('chat.bsky.group.createGroup', { members: [did('bob.test')], name: 'G' }, newbie),
    ).toMatchObject({
      status: 400,
      body: { error: 'NewAccountCannotCreateGroup' },
    });
    const { body } = await post('chat.bsky.group.createGroup', { members: [did('bob.test')], name: 'G' });
    const convoId = (body as { convo: { id: string } }).convo.id;
    const bob = (await login(emulator, 'bob.test', 'pw-bob')).accessJwt;
    expect(
      await post('chat.bsky.group.addMembers', { convoId, members: [did('carol.test')] }, bob),
    ).toMatchObject({
      status: 400,
      body: { error: 'InsufficientRole' },
    });
  });

  it('enforces the name (50 graphemes on create) and member limits', async () => {
    const ok = await post('chat.bsky.group.createGroup', { members: [], name: '🏔️'.repeat(50) });
    expect(ok.status).toBe(200);
    const tooLong = await post('chat.bsky.group.createGroup', { members: [], name: 'x'.repeat(51) });
    expect(tooLong).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
    expect(String((tooLong.body as { message: string }).message)).toMatch(/50 graphemes/);
    const empty = await post('chat.bsky.group.createGroup', { members: [], name: '' });
    expect(empty.status).toBe(400);
    const fifty = Array.from(
      { length: 50 },
      (_, i) => emulator.addAccount({ handle: `m${i}.test`, password: 'p' }).did,
    );
    expect((await post('chat.bsky.group.createGroup', { members: fifty, name: 'big' })).status).toBe(400);

    const convoId = (ok.body as { convo: { id: string } }).convo.id;
    expect((await post('chat.bsky.group.addMembers', { convoId, members: fifty.slice(0, 49) })).status).toBe(
      200,
    );
    const more = Array.from(
      { length: 51 },
      (_, i) => emulator.addAccount({ handle: `n${i}.test`, password: 'p' }).did,
    );
    expect(await post('chat.bsky.group.addMembers', { convoId, members: more })).toMatchObject({
      status: 400,
      body: { error: 'MemberLimitReached' },
    });
    expect((await post('chat.bsky.group.addMembers', { convoId, members: more.slice(0, 50) })).status).toBe(
      200,
    );
    const { body } = await callXrpc(emulator, 'chat.bsky.convo.getConvo', { token, params: { convoId } });
    assertOutput('chat.bsky.convo.getConvo', body);
    const convo = (body as { convo: { members: unknown[]; kind: { memberCount: number } } }).convo;
    expect(convo.kind.memberCount).toBe(100);
    expect(convo.members.length).toBeLessThanOrEqual(11);
  });
});
