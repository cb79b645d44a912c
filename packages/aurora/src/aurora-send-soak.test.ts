/**
 * Issue 10 §3: the seeded send fault soak against the Aurora emulator (`send`: the user's turn,
 * streamed reply read to its end), with and without send reconciliation. ~200 sends per run by
 * default; `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { startAuroraEmulator } from '@switchboard/emulators/aurora';
import { describeSendSoak, SOAK_RETRY, type SoakSuite } from '@switchboard/testkit/soak';
import { afterAll, describe, it } from 'vitest';
import { createAuroraAdapter } from './index.js';

const USER = { username: 'ann', password: 'pw-ann-secret', quotaMax: 1_000_000 };
const ADA = '2';

async function soak(suite: SoakSuite, reconcile: boolean) {
  const emulator = suite.use(await startAuroraEmulator({ users: [USER] }));
  const adapterOf = () =>
    createAuroraAdapter({
      username: USER.username,
      password: USER.password,
      baseUrl: emulator.url,
      retry: SOAK_RETRY,
    });
  const opener = adapterOf();
  const { id } = await opener.openConversation({ participantIds: [ADA] });
  await opener.close();
  return suite.run(
    {
      name: 'Aurora (v11)',
      faults: emulator.faults,
      sendRequests: { method: 'POST', path: /\/message$/ },
      conversationId: id,
      createMessenger: (options) => createMessenger(adapterOf(), options),
      storedMessages: () =>
        emulator
          .messages(Number(id))
          .filter((m) => m.role === 'user')
          .map((m) => ({ id: String(m.id), text: m.content })),
    },
    reconcile,
  );
}

describeSendSoak({ describe, it, afterAll }, 'Aurora', soak);
