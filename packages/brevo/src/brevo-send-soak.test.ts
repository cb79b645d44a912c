/**
 * Issue 10 §3: the seeded send fault soak against the Brevo emulator. Brevo's history is fed by
 * webhooks, so the adapter does not declare `sendReconciliation`: the run is without it, and an
 * ambiguous send stays `outcome: 'unknown'` (flagged, never retryable). ~200 sends by default;
 * `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { type BrevoEmulator, startBrevoEmulator } from '@switchboard/emulators/brevo';
import {
  assertSoakHeld,
  formatSoakFaults,
  formatSoakTable,
  runSendSoak,
  type SoakReport,
  soakSendCount,
} from '@switchboard/testkit/soak';
import { afterAll, describe, expect, it } from 'vitest';
import { createBrevoAdapter } from './index.js';

const SENDS = soakSendCount();
const reports: SoakReport[] = [];
const emulators: BrevoEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  if (reports.length)
    console.log(
      `\nBrevo send soak (seed 10)\n${formatSoakTable(reports)}\n\nfaults injected by kind\n${formatSoakFaults(reports)}\n`,
    );
});

describe('Brevo send soak (10 % 5xx, 5 % 429, 5 % reset before / 2 % after commit, 1 % malformed 200 after commit)', () => {
  it('no duplicate, no lost send, every unknown outcome flagged (no reconciliation: history is not authoritative)', async () => {
    const emulator = await startBrevoEmulator();
    emulators.push(emulator);
    const agentId = emulator.agents.list()[0]!.id;
    const visitor = emulator.visitor();
    await visitor.write('hello');
    const adapter = createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: agentId },
      webhookSecret: 'soak-webhook-secret',
      presenceIntervalMs: false,
      retry: { retries: 2, minDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 50 },
    });
    expect(adapter.capabilities.sendReconciliation).toBe(false);
    const report = await runSendSoak(
      {
        name: 'Brevo',
        faults: emulator.faults,
        sendRequests: { method: 'POST', path: '/v3/conversations/messages' },
        conversationId: visitor.id,
        createMessenger: (options) => createMessenger(adapter, options),
        storedMessages: () =>
          emulator
            .messages(visitor.id)
            .filter((m) => m.type === 'agent')
            .map((m) => ({ id: m.id, text: m.text })),
      },
      { sends: SENDS, seed: 10, reconcile: true },
    );
    reports.push(report);
    assertSoakHeld(report);
  }, 300_000);
});
