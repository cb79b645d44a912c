/** Lexicon-shaped payloads for unit tests (the shapes of spec §7). */

export const ALICE = { did: 'did:plc:alice234567abcdefghijklm', handle: 'alice.bsky.social' };
export const BOB = { did: 'did:plc:bob34567abcdefghijklmnop', handle: 'bob.example.com' };
export const SERVICE = 'https://entryway.example';
export const PDS = 'https://morel.us-east.host.example';

let counter = 0;
/** A createSession / refreshSession output whose tokens are unique per call. */
export function sessionOutput(options: { pds?: string; withDidDoc?: boolean } = {}) {
  counter += 1;
  const output: Record<string, unknown> = {
    ...ALICE,
    accessJwt: `eyJhY2Nlc3MiOjF9.access-token-${counter}.sig${counter}`,
    refreshJwt: `eyJyZWZyZXNoIjoxfQ.refresh-token-${counter}.sig${counter}`,
    active: true,
  };
  if (options.withDidDoc ?? true)
    output.didDoc = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: ALICE.did,
      service: [
        { id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: options.pds ?? PDS },
      ],
    };
  return output;
}

export function messageView<T extends Record<string, unknown> = {}>(overrides: T = {} as T) {
  return {
    $type: 'chat.bsky.convo.defs#messageView',
    id: '3l6z6c7qaxs2c',
    rev: '2222nbq6a4k2k',
    text: 'hello',
    sender: { did: BOB.did },
    sentAt: '2026-08-19T18:04:59.120Z',
    ...overrides,
  };
}

export function deletedMessageView<T extends Record<string, unknown> = {}>(overrides: T = {} as T) {
  return {
    $type: 'chat.bsky.convo.defs#deletedMessageView',
    id: '3l6z6a1aaaa2a',
    rev: '2222nbq5aaa2a',
    sender: { did: BOB.did },
    sentAt: '2026-08-19T18:01:00.000Z',
    ...overrides,
  };
}

export function convoView<T extends Record<string, unknown> = {}>(overrides: T = {} as T) {
  return {
    id: '3l6z5xkxwr22a',
    rev: '2222nbq5tsz2j',
    members: [
      { ...ALICE, displayName: 'Alice', avatar: 'https://cdn.example/alice.jpg' },
      { ...BOB, displayName: 'Bob' },
    ],
    lastMessage: messageView({ text: 'see you at 7' }),
    muted: false,
    status: 'accepted',
    unreadCount: 1,
    kind: { $type: 'chat.bsky.convo.defs#directConvo' },
    ...overrides,
  };
}
