import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  type SwitchboardError,
  type SwitchboardErrorClass,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, PDS, SERVICE, sessionOutput } from '../test/bluesky-fixtures.js';
import { mockXrpc, useOfflineNock } from '../test/mock-xrpc.js';
import { type BlueskyAdapter, createBlueskyAdapter } from './bluesky-adapter.js';

type Call = (adapter: BlueskyAdapter) => Promise<unknown>;
const sendMessage: Call = (adapter) => adapter.sendMessage('3l6z5xkxwr22a', { text: 'hi' });
const getConvo: Call = (adapter) => adapter.getConversation('3l6z5xkxwr22a');
const openByHandle: Call = (adapter) => adapter.openConversation({ participantIds: [BOB.handle] });
const connect: Call = (adapter) => adapter.connect();
const createGroup: Call = (adapter) => adapter.openConversation({ participantIds: [BOB.did], title: 'Team' });
const addMembers: Call = (adapter) => adapter.addParticipants('3l6z5xkxwr22a', [BOB.did]);

/** The group lexicons' declared errors: class, and the hint the message carries. */
const groupRows: Row[] = (
  [
    [
      'chat.bsky.group.createGroup',
      createGroup,
      'NewAccountCannotCreateGroup',
      PermissionDeniedError,
      /too new/,
    ],
    [
      'chat.bsky.group.createGroup',
      createGroup,
      'NotFollowedBySender',
      PermissionDeniedError,
      /follow you first/,
    ],
    ['chat.bsky.group.createGroup', createGroup, 'BlockedActor', PermissionDeniedError, /unblock/],
    ['chat.bsky.group.createGroup', createGroup, 'UserForbidsGroups', PermissionDeniedError, /group invites/],
    ['chat.bsky.group.createGroup', createGroup, 'RecipientNotFound', NotFoundError, /Check the DIDs/],
    ['chat.bsky.group.addMembers', addMembers, 'MemberLimitReached', InvalidRequestError, /member limit/],
    ['chat.bsky.group.addMembers', addMembers, 'InsufficientRole', PermissionDeniedError, /owner/],
    ['chat.bsky.group.addMembers', addMembers, 'ConvoLocked', PermissionDeniedError, /locked/],
    ['chat.bsky.group.addMembers', addMembers, 'BlockedSubject', PermissionDeniedError, /blocked you/],
  ] as const
).map(([nsid, call, error, expected, message]) => ({
  status: 400,
  body: { error, message: error },
  nsid,
  call,
  expected,
  providerCode: error,
  message,
}));

interface Row {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The NSID that fails. */
  nsid: string;
  call: Call;
  expected: SwitchboardErrorClass;
  providerCode?: string;
  message?: RegExp;
  retryAfterMs?: number;
}

const rows: Row[] = [
  {
    status: 400,
    body: { error: 'InvalidToken', message: 'Bad token method' },
    nsid: 'chat.bsky.convo.sendMessage',
    call: sendMessage,
    expected: PermissionDeniedError,
    providerCode: 'InvalidToken',
    message: /Allow access to your direct messages/,
  },
  {
    status: 400,
    body: { error: 'InvalidToken', message: 'Bad token scope' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: PermissionDeniedError,
    message: /app password/,
  },
  {
    status: 400,
    body: { error: 'ExpiredToken', message: 'Token has expired' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: AuthenticationError,
    providerCode: 'ExpiredToken',
  },
  {
    status: 400,
    body: { error: 'InvalidConvo', message: 'Convo not found' },
    nsid: 'chat.bsky.convo.sendMessage',
    call: sendMessage,
    expected: NotFoundError,
    providerCode: 'InvalidConvo',
  },
  {
    status: 400,
    body: { error: 'InvalidRequest', message: 'Convo not found' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: NotFoundError,
  },
  {
    status: 400,
    body: { error: 'HandleNotFound', message: 'Unable to resolve handle' },
    nsid: 'com.atproto.identity.resolveHandle',
    call: openByHandle,
    expected: NotFoundError,
  },
  {
    status: 400,
    body: { error: 'RecipientNotFound', message: 'recipient does not exist' },
    nsid: 'chat.bsky.convo.getConvoForMembers',
    call: openByHandle,
    expected: NotFoundError,
  },
  {
    status: 429,
    body: { error: 'RateLimitExceeded', message: 'Too Many Requests' },
    headers: { 'retry-after': '120' },
    nsid: 'chat.bsky.convo.sendMessage',
    call: sendMessage,
    expected: RateLimitError,
    providerCode: 'RateLimitExceeded',
    retryAfterMs: 120_000,
  },
  {
    status: 502,
    body: { error: 'UpstreamFailure', message: 'Upstream service unreachable' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: ProviderUnavailableError,
    providerCode: 'UpstreamFailure',
  },
  {
    status: 500,
    body: '<html>oops</html>',
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: ProviderUnavailableError,
  },
  {
    status: 400,
    body: { error: 'ReactionLimitReached', message: 'Too many reactions' },
    nsid: 'chat.bsky.convo.addReaction',
    call: (adapter) => adapter.addReaction('3l6z5xkxwr22a', '3l6z6c7qaxs2c', '🎉'),
    expected: InvalidRequestError,
    providerCode: 'ReactionLimitReached',
    message: /Too many reactions/,
  },
  {
    status: 400,
    body: { error: 'InvalidRequest', message: 'no service id specified in proxy header' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: InvalidRequestError,
    message: /no service id specified in proxy header/,
  },
  {
    status: 404,
    body: { error: 'XRPCNotSupported', message: 'XRPCNotSupported' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: InvalidRequestError,
    message: /chatServiceDid/,
  },
  {
    status: 401,
    body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' },
    nsid: 'com.atproto.server.createSession',
    call: connect,
    expected: AuthenticationError,
    message: /Invalid identifier or password/,
  },
  {
    status: 401,
    body: { error: 'AuthFactorTokenRequired', message: 'A sign in code has been sent to your email address' },
    nsid: 'com.atproto.server.createSession',
    call: connect,
    expected: AuthenticationError,
    message: /app password/,
  },
  {
    status: 401,
    body: { error: 'AccountTakedown', message: 'Account has been taken down' },
    nsid: 'com.atproto.server.createSession',
    call: connect,
    expected: PermissionDeniedError,
  },
  {
    status: 403,
    body: { error: 'Forbidden' },
    nsid: 'chat.bsky.convo.getConvo',
    call: getConvo,
    expected: PermissionDeniedError,
  },
  ...groupRows,
];

useOfflineNock();

describe('mapBlueskyError (through the adapter, on the wire)', () => {
  it.each(rows.map((row) => [`${row.status} ${JSON.stringify(row.body)} on ${row.nsid}`, row] as const))(
    '%s',
    async (_, row) => {
      const fail = () => [row.status, row.body, row.headers] as const;
      const ok = sessionOutput();
      mockXrpc(SERVICE, {
        'com.atproto.server.createSession': row.nsid.endsWith('createSession') ? fail : () => [200, ok],
        'com.atproto.server.refreshSession': () => [200, sessionOutput()],
      });
      mockXrpc(PDS, {
        'com.atproto.identity.resolveHandle': () => [200, { did: BOB.did }],
        [row.nsid]: fail,
      });
      const adapter = createBlueskyAdapter({
        identifier: ALICE.handle,
        password: 'app-pass-word',
        service: SERVICE,
        retry: false,
      });
      const error = (await row.call(adapter).catch((caught: unknown) => caught)) as SwitchboardError;
      await adapter.close();

      expect(row.expected.isInstance(error), `${error?.name}: ${error?.message}`).toBe(true);
      expect(error).toMatchObject({ provider: 'bluesky', status: row.status });
      expect(error.url).toContain(row.nsid);
      if (row.providerCode) expect(error.providerCode).toBe(row.providerCode);
      if (row.message) expect(error.message).toMatch(row.message);
      if (row.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(row.retryAfterMs);
      expect(error.retryable).toBe(
        row.expected === RateLimitError || row.expected === ProviderUnavailableError,
      );
    },
  );
});
