/**
 * Issue 10 §3: the seeded send fault soak against the chats API emulator (REST sends), with and
 * without send reconciliation. ~200 sends per run by default; `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import {
  assertSoakHeld,
  formatSoakFaults,
  formatSoakTable,
  runSendSoak,
  type SoakReport,
  soakSendCount,
} from '@switchboard/testkit/soak';
import { afterAll, describe, it } from 'vitest';
import { ALICE, BOB } from '../test/chats-api-fixture.js';
import { createChatsApiAdapter } from './chats-api-adapter.js';

const SENDS = soakSendCount();
const reports: SoakReport[] = [];
const emulators: ChatsApiEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  if (reports.length)
    console.log(
      `\nchats API send soak (seed 10)\n${formatSoakTable(reports)}\n\nfaults injected by kind\n${formatSoakFaults(reports)}\n`,
    );
});

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

async function soak(reconcile: boolean) {
  const emulator = await startChatsApiEmulator({ users: [ALICE, BOB] });
  emulators.push(emulator);
  const chat = emulator.as(BOB.username).openDirect(ALICE.username);
  const aliceId = chat.users.find((u) => u.username === ALICE.username)!.id;
  const report = await runSendSoak(
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
            retry: { retries: 2, minDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 50 },
          }),
          options,
        ),
      storedMessages: () => storedMessages(emulator, chat.id, aliceId),
    },
    { sends: SENDS, seed: 10, reconcile },
  );
  reports.push(report);
  return report;
}

describe('chats API send soak (10 % 5xx, 5 % 429, 5 % reset before / 2 % after commit, 1 % malformed 200 after commit)', () => {
  it.each([false, true])(
    'reconciliation %s: no duplicate, no lost send, every unknown outcome flagged',
    async (reconcile) => {
      const report = await soak(reconcile);
      assertSoakHeld(report);
    },
    300_000,
  );
});
