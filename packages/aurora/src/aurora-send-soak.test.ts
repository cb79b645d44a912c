/**
 * Issue 10 §3: the seeded send fault soak against the Aurora emulator (`send`: the user's turn,
 * streamed reply read to its end), with and without send reconciliation. ~200 sends per run by
 * default; `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { type AuroraEmulator, startAuroraEmulator } from '@switchboard/emulators/aurora';
import {
  assertSoakHeld,
  formatSoakFaults,
  formatSoakTable,
  runSendSoak,
  type SoakReport,
  soakSendCount,
} from '@switchboard/testkit/soak';
import { afterAll, describe, it } from 'vitest';
import { createAuroraAdapter } from './index.js';

const USER = { username: 'ann', password: 'pw-ann-secret', quotaMax: 1_000_000 };
const ADA = '2';
const SENDS = soakSendCount();
const reports: SoakReport[] = [];
const emulators: AuroraEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  if (reports.length)
    console.log(
      `\nAurora send soak (seed 10)\n${formatSoakTable(reports)}\n\nfaults injected by kind\n${formatSoakFaults(reports)}\n`,
    );
});

async function soak(reconcile: boolean) {
  const emulator = await startAuroraEmulator({ users: [USER] });
  emulators.push(emulator);
  const adapterOf = () =>
    createAuroraAdapter({
      username: USER.username,
      password: USER.password,
      baseUrl: emulator.url,
      retry: { retries: 2, minDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 50 },
    });
  const opener = adapterOf();
  const { id } = await opener.openConversation({ participantIds: [ADA] });
  await opener.close();
  const report = await runSendSoak(
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
    { sends: SENDS, seed: 10, reconcile },
  );
  reports.push(report);
  return report;
}

describe('Aurora send soak (10 % 5xx, 5 % 429, 5 % reset before / 2 % after commit, 1 % malformed 200 after commit)', () => {
  it.each([false, true])(
    'reconciliation %s: no duplicate, no lost send, every unknown outcome flagged',
    async (reconcile) => {
      const report = await soak(reconcile);
      assertSoakHeld(report);
    },
    300_000,
  );
});
