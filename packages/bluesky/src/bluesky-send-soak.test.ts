/**
 * Issue 10 §3: the seeded send fault soak against the Bluesky emulator, with and without send
 * reconciliation. ~200 sends per run by default; `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { type BlueskyEmulator, startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { describeSendSoak, SOAK_RETRY, type SoakSuite } from '@switchboard/testkit/soak';
import { afterAll, describe, it } from 'vitest';
import { createBlueskyAdapter } from './index.js';

const PASSWORD = 'alice-app-pass-1234';

/** Alice's messages in the convo, read from the emulator over raw XRPC (not through the adapter). */
async function storedMessages(emulator: BlueskyEmulator, convoId: string) {
  const session = (await (
    await fetch(`${emulator.url}/xrpc/com.atproto.server.createSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'alice.test', password: PASSWORD }),
    })
  ).json()) as { accessJwt: string; did: string };
  const out: Array<{ id: string; text: string }> = [];
  let cursor: string | undefined;
  do {
    const url = new URL('/xrpc/chat.bsky.convo.getMessages', emulator.url);
    url.searchParams.set('convoId', convoId);
    url.searchParams.set('limit', '100');
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = (await (
      await fetch(url, {
        headers: { authorization: `Bearer ${session.accessJwt}`, 'atproto-proxy': emulator.proxyHeader },
      })
    ).json()) as { messages: Array<{ id: string; text?: string; sender: { did: string } }>; cursor?: string };
    for (const m of page.messages)
      if (m.sender.did === session.did && m.text !== undefined) out.push({ id: m.id, text: m.text });
    cursor = page.cursor;
  } while (cursor);
  return out;
}

async function soak(suite: SoakSuite, reconcile: boolean) {
  const emulator = await startBlueskyEmulator({
    accounts: [
      { handle: 'alice.test', password: PASSWORD },
      { handle: 'bob.test', password: 'bob-app-pass-5678' },
    ],
  });
  const convoId = emulator.as('bob.test').openConvo('alice.test');
  // The fault kit's generator is seeded per emulator: each run draws from the same seeded sequence.
  emulator.faults.clear();
  return suite.run(
    {
      name: 'Bluesky',
      faults: emulator.faults,
      sendRequests: { method: 'POST', path: '/xrpc/chat.bsky.convo.sendMessage' },
      conversationId: convoId,
      createMessenger: (options) =>
        createMessenger(
          createBlueskyAdapter({
            identifier: 'alice.test',
            password: PASSWORD,
            service: emulator.url,
            retry: SOAK_RETRY,
          }),
          options,
        ),
      storedMessages: () => storedMessages(emulator, convoId),
    },
    reconcile,
  );
}

describeSendSoak({ describe, it, afterAll }, 'Bluesky', soak);
