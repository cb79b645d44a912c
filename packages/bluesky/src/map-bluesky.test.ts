import { describe, expect, it } from 'vitest';
import { ALICE, BOB, convoView, deletedMessageView, messageView } from '../test/bluesky-fixtures.js';
import {
  convoViewSchema,
  getLogOutputSchema,
  getMessagesOutputSchema,
  messageUnionSchema,
} from './bluesky-schemas.js';
import { mapBlueskyConversation } from './map-bluesky-conversation.js';
import { mapBlueskyLog } from './map-bluesky-log.js';
import { knownMessageView, mapBlueskyMessage } from './map-bluesky-message.js';
import { indexProfiles } from './map-bluesky-participant.js';

const CONVO = '3l6z5xkxwr22a';
const context = { selfDid: ALICE.did, profiles: indexProfiles([ALICE, BOB]) };

describe('mapBlueskyConversation', () => {
  it('maps a direct convoView (spec §7.2)', () => {
    const raw = convoView();
    const conversation = mapBlueskyConversation(convoViewSchema.parse(raw), ALICE.did);
    expect(conversation).toMatchObject({
      id: CONVO,
      provider: 'bluesky',
      kind: 'direct',
      unreadCount: 1,
      muted: false,
      updatedAt: new Date('2026-08-19T18:04:59.120Z'),
      participants: [
        {
          id: ALICE.did,
          handle: ALICE.handle,
          displayName: 'Alice',
          avatarUrl: 'https://cdn.example/alice.jpg',
          kind: 'user',
          isSelf: true,
        },
        { id: BOB.did, handle: BOB.handle, displayName: 'Bob', isSelf: false },
      ],
      lastMessage: {
        text: 'see you at 7',
        conversationId: CONVO,
        sender: { id: BOB.did, handle: BOB.handle },
      },
      raw,
    });
    expect(conversation.title).toBeUndefined();
  });

  it('maps a group convo (kind and title) and tolerates unknown lastMessage kinds', () => {
    const raw = convoView({
      kind: { $type: 'chat.bsky.convo.defs#groupConvo', name: 'Book club', memberCount: 3 },
      lastMessage: {
        $type: 'chat.bsky.convo.defs#systemMessageView',
        id: 'x',
        rev: 'y',
        sentAt: 'z',
        data: {},
      },
    });
    const conversation = mapBlueskyConversation(convoViewSchema.parse(raw), ALICE.did);
    expect(conversation).toMatchObject({ kind: 'group', title: 'Book club' });
    expect(conversation.lastMessage).toBeUndefined();
  });

  it('leaves out placeholder handles of missing accounts', () => {
    const raw = convoView({ members: [ALICE, { did: BOB.did, handle: 'missing.invalid' }] });
    const [, missing] = mapBlueskyConversation(convoViewSchema.parse(raw), ALICE.did).participants;
    expect(missing).toEqual(expect.objectContaining({ id: BOB.did, isSelf: false }));
    expect(missing!.handle).toBeUndefined();
  });

  it('rejects a known union member that is malformed (strict on what we read)', () => {
    const bad = convoView({ lastMessage: { $type: 'chat.bsky.convo.defs#messageView', id: 'x' } });
    expect(convoViewSchema.safeParse(bad).success).toBe(false);
  });
});

describe('mapBlueskyMessage', () => {
  it('maps facets, a record embed and reactions (spec §7.3)', () => {
    const raw = messageView({
      text: 'hi @bob.example.com look https://example.com',
      sender: { did: ALICE.did },
      facets: [
        {
          index: { byteStart: 3, byteEnd: 19 },
          features: [{ $type: 'app.bsky.richtext.facet#mention', did: BOB.did }],
        },
        {
          index: { byteStart: 25, byteEnd: 44 },
          features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com' }],
        },
      ],
      embed: {
        $type: 'app.bsky.embed.record#view',
        record: {
          $type: 'app.bsky.embed.record#viewNotFound',
          uri: `at://${BOB.did}/app.bsky.feed.post/3l6yzzz`,
          notFound: true,
        },
      },
      reactions: [{ value: '👍', sender: { did: BOB.did }, createdAt: '2026-08-19T18:05:00.000Z' }],
    });
    const view = knownMessageView(messageUnionSchema.parse(raw))!;
    const message = mapBlueskyMessage(view, CONVO, context);
    expect(message).toEqual({
      id: raw.id,
      conversationId: CONVO,
      provider: 'bluesky',
      sender: expect.objectContaining({ id: ALICE.did, handle: ALICE.handle, isSelf: true }),
      text: raw.text,
      sentAt: new Date(raw.sentAt),
      attachments: [
        { kind: 'link', url: 'https://example.com', name: 'https://example.com', raw: raw.facets[1] },
        { kind: 'embed', url: `at://${BOB.did}/app.bsky.feed.post/3l6yzzz`, raw: raw.embed },
      ],
      reactions: [{ value: '👍', senderId: BOB.did, createdAt: new Date('2026-08-19T18:05:00.000Z') }],
      mentions: [{ participantId: BOB.did, handle: 'bob.example.com', start: 3, end: 19 }],
      raw,
    });
    expect((message.raw as typeof raw).facets).toHaveLength(2);
  });

  it('maps a deletedMessageView as deleted with empty text', () => {
    const view = knownMessageView(messageUnionSchema.parse(deletedMessageView()))!;
    expect(mapBlueskyMessage(view, CONVO, context)).toMatchObject({
      deleted: true,
      text: '',
      attachments: [],
      reactions: [],
      sender: { id: BOB.did, isSelf: false },
    });
  });

  it('skips unknown message kinds in a getMessages page (spec §7.4)', () => {
    const page = getMessagesOutputSchema.parse({
      messages: [
        messageView(),
        { $type: 'chat.bsky.convo.defs#someFutureView', id: 'f' },
        deletedMessageView(),
      ],
    });
    expect(page.messages.map(knownMessageView).filter(Boolean)).toHaveLength(2);
  });
});

describe('mapBlueskyLog', () => {
  const logs = getLogOutputSchema.parse({
    cursor: '2222nbq7k3s2y',
    logs: [
      { $type: 'chat.bsky.convo.defs#logBeginConvo', rev: 'r1', convoId: CONVO },
      {
        $type: 'chat.bsky.convo.defs#logCreateMessage',
        rev: 'r2',
        convoId: CONVO,
        message: messageView({ text: 'ping' }),
        relatedProfiles: [BOB],
      },
      {
        $type: 'chat.bsky.convo.defs#logAddReaction',
        rev: 'r3',
        convoId: CONVO,
        message: messageView(),
        reaction: { value: '❤️', sender: { did: BOB.did }, createdAt: '2026-08-19T18:10:02.000Z' },
      },
      {
        $type: 'chat.bsky.convo.defs#logRemoveReaction',
        rev: 'r4',
        convoId: CONVO,
        message: messageView(),
        reaction: { value: '❤️', sender: { did: BOB.did }, createdAt: '2026-08-19T18:10:02.000Z' },
      },
      { $type: 'chat.bsky.convo.defs#logReadConvo', rev: 'r5', convoId: CONVO, message: messageView() },
      { $type: 'chat.bsky.convo.defs#logReadMessage', rev: 'r6', convoId: CONVO, message: messageView() },
      {
        $type: 'chat.bsky.convo.defs#logDeleteMessage',
        rev: 'r7',
        convoId: CONVO,
        message: deletedMessageView(),
      },
      { $type: 'chat.bsky.convo.defs#logMuteConvo', rev: 'r8', convoId: CONVO },
      { $type: 'chat.bsky.convo.defs#logUnmuteConvo', rev: 'r9', convoId: CONVO },
      { $type: 'chat.bsky.convo.defs#logAcceptConvo', rev: 'ra', convoId: CONVO },
      { $type: 'chat.bsky.convo.defs#logLeaveConvo', rev: 'rb', convoId: CONVO },
      { $type: 'chat.bsky.convo.defs#logCreateJoinLink', rev: 'rc', convoId: CONVO, message: {} },
    ],
  }).logs;

  it('maps each log kind to its event, and ignores unknown kinds', () => {
    const events = logs.map((entry) => mapBlueskyLog(entry, ALICE.did));
    expect(events.map((event) => event?.type)).toEqual([
      'conversation.created',
      'message.created',
      'reaction.added',
      'reaction.removed',
      'read',
      'read',
      'message.deleted',
      'conversation.updated',
      'conversation.updated',
      'conversation.updated',
      'conversation.updated',
      undefined,
    ]);
    expect(events.map((event) => (event?.type === 'conversation.updated' ? event.change : null))).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'muted',
      'unmuted',
      'accepted',
      'left',
      null,
    ]);
    expect(events[1]).toMatchObject({
      provider: 'bluesky',
      conversationId: CONVO,
      message: { text: 'ping', sender: { id: BOB.did, handle: BOB.handle, isSelf: false } },
      raw: logs[1],
    });
    expect(events[2]).toMatchObject({
      messageId: messageView().id,
      reaction: { value: '❤️', senderId: BOB.did },
    });
    expect(events[4]).toMatchObject({ messageId: messageView().id, readerId: ALICE.did });
    expect(events[6]).toMatchObject({ messageId: deletedMessageView().id });
  });
});

describe('mapBlueskyLog: group events', () => {
  const system = (data: Record<string, unknown>) => ({
    $type: 'chat.bsky.convo.defs#systemMessageView',
    id: 'sys1',
    rev: 'r1',
    sentAt: '2026-08-19T18:04:59.120Z',
    data,
  });
  const D = 'chat.bsky.convo.defs';
  /**
   * A `getLog` entry `log<Kind>` whose system message carries `systemMessageData<Kind>` with `data`
   * (and `relatedProfiles` when given).
   */
  const groupLog = (
    kind: string,
    rev: string,
    data: Record<string, unknown>,
    relatedProfiles?: (typeof ALICE)[],
  ) => ({
    $type: `${D}#${kind}`,
    rev,
    convoId: CONVO,
    message: system({ $type: `${D}#systemMessageData${kind.slice('log'.length)}`, ...data }),
    ...(relatedProfiles && { relatedProfiles }),
  });
  const logs = getLogOutputSchema.parse({
    logs: [
      groupLog(
        'logAddMember',
        'r1',
        { member: { did: BOB.did }, role: 'standard', addedBy: { did: ALICE.did } },
        [BOB, ALICE],
      ),
      groupLog('logMemberJoin', 'r2', { member: { did: BOB.did }, role: 'standard' }, [BOB]),
      groupLog('logRemoveMember', 'r3', { member: { did: BOB.did }, removedBy: { did: ALICE.did } }, [
        BOB,
        ALICE,
      ]),
      groupLog('logMemberLeave', 'r4', { member: { did: BOB.did } }, [BOB]),
      groupLog('logEditGroup', 'r5', { oldName: 'a', newName: 'b' }),
      groupLog('logLockConvo', 'r6', { lockedBy: { did: ALICE.did } }, [ALICE]),
      groupLog('logUnlockConvo', 'r7', { unlockedBy: { did: ALICE.did } }, [ALICE]),
    ],
  }).logs;

  it('maps members joining and leaving, renames and locks', () => {
    const events = logs.map((entry) => mapBlueskyLog(entry, ALICE.did));
    expect(events).toMatchObject([
      {
        type: 'participant.joined',
        via: 'added',
        actorId: ALICE.did,
        participant: { id: BOB.did, handle: BOB.handle },
      },
      { type: 'participant.joined', via: 'joined', participant: { id: BOB.did } },
      { type: 'participant.left', via: 'removed', actorId: ALICE.did, participant: { id: BOB.did } },
      { type: 'participant.left', via: 'left', participant: { id: BOB.did } },
      { type: 'conversation.updated', change: 'renamed', title: 'b' },
      { type: 'conversation.updated', change: 'locked', actorId: ALICE.did },
      { type: 'conversation.updated', change: 'unlocked', actorId: ALICE.did },
    ]);
    expect(events[1]).not.toHaveProperty('actorId');
  });
});
