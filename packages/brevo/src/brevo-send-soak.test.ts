/**
 * Issue 10 §3: the seeded send fault soak against the Brevo emulator. Brevo's history is fed by
 * webhooks, so the adapter does not declare `sendReconciliation`: the run is without it, and an
 * ambiguous send stays `outcome: 'unknown'` (flagged, never retryable). ~200 sends by default;
 * `SWITCHBOARD_SOAK_SENDS=1000` for the full size.
 */
import { createMessenger } from '@switchboard/core';
import { startBrevoEmulator } from '@switchboard/emulators/brevo';
import { describeSendSoak, SOAK_RETRY } from '@switchboard/testkit/soak';
import { afterAll, describe, expect, it } from 'vitest';
import { createBrevoAdapter } from './index.js';

describeSendSoak(
  { describe, it, afterAll },
  'Brevo',
  async (suite, reconcile) => {
    const emulator = suite.use(await startBrevoEmulator());
    const agentId = emulator.agents.list()[0]!.id;
    const visitor = emulator.visitor();
    await visitor.write('hello');
    const adapter = createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: agentId },
      webhookSecret: 'soak-webhook-secret',
      presenceIntervalMs: false,
      retry: SOAK_RETRY,
    });
    expect(adapter.capabilities.sendReconciliation).toBe(false);
    return suite.run(
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
      reconcile,
    );
  },
  // Asked for, but not in effect: the adapter does not declare it.
  [
    {
      title:
        'no duplicate, no lost send, every unknown outcome flagged (no reconciliation: history is not authoritative)',
      reconcile: true,
    },
  ],
);
