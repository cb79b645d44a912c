/**
 * Issue 10 §3: the seeded send fault soak against the chats API emulator (REST sends), with and
 * without send reconciliation. ~200 sends per run by default; `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { describeSendSoak, SOAK_RETRY, type SoakSuite } from '@switchboard/testkit/soak';
import { afterAll, describe, it } from 'vitest';
import { ALICE, BOB } from '../test/chats-api-fixture.js';
import { createChatsApiAdapter } from './chats-api-adapter.js';

/** Alice's messages in the chat, read from the emulator over raw REST (not through the adapter). */
async function storedMessages(emulator: ChatsApiEmulator, chatId: string, aliceId: string) {
  const out: Array<{ id: string; text: string }> = [];
  for (let offset = 0; ; offset += 100) {
    const response = await fetch(`${emulator.url}/chats/${chatId}?limit=100&offset=${offset}`, {
      headers: { authorization: `Bearer ${emulator.tokenFor(ALICE.username)}` },
    });
    const page = (await response.json()) as {
      messages: Array<{ id: string; from_user_id: string; text_content?: string | null }>;
      total: number;
    };
    for (const m of page.messages)
      if (m.from_user_id === aliceId && typeof m.text_content === 'string')
        out.push({ id: m.id, text: m.text_content });
    if (offset + 100 >= page.total) return out;
  }
}

async function soak(suite: SoakSuite, reconcile: boolean) {
  const emulator = suite.use(await startChatsApiEmulator({ users: [ALICE, BOB] }));
  const chat = emulator.as(BOB.username).openDirect(ALICE.username);
  const aliceId = chat.users.find((u) => u.username === ALICE.username)!.id;
  return suite.run(
    {
      name: 'chats API',
      faults: emulator.faults,
      sendRequests: { method: 'POST', path: /^\/chats\/[^/]+\/messages$/ },
      conversationId: chat.id,
      createMessenger: (options) =>
        createMessenger(
          createChatsApiAdapter({
            baseUrl: emulator.url,
            username: ALICE.username,
            password: ALICE.password,
            retry: SOAK_RETRY,
          }),
          options,
        ),
      storedMessages: () => storedMessages(emulator, chat.id, aliceId),
    },
    reconcile,
  );
}

describeSendSoak({ describe, it, afterAll }, 'chats API', soak);
