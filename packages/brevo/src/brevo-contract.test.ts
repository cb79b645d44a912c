import { startBrevoEmulator } from '@switchboard/emulators/brevo';
import { type ContractPeer, describeAdapterContract } from '@switchboard/testkit';
import { startWebhookServer } from '../test/webhook-server.js';
import { createBrevoAdapter } from './brevo-adapter.js';

/**
 * The Switchboard adapter contract on the Brevo emulator. The peer is a website visitor played by
 * the emulator; its webhooks are posted to a local HTTP server where the suite's
 * `messenger.handleWebhook` is mounted (the adapter's own handler until the suite routes it).
 */
const WEBHOOK_SECRET = 'contract-webhook-secret';

describeAdapterContract({
  name: 'brevo',
  async setup() {
    const emulator = await startBrevoEmulator();
    const adapter = createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: emulator.agents.list()[0]!.id },
      webhookSecret: WEBHOOK_SECRET,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 10 },
    });
    let route = async (request: Request) =>
      new Response(null, { status: (await adapter.handleWebhook(request)).status });
    const server = await startWebhookServer(async (request) => ({
      status: (await route(request)).status,
      events: [],
    }));
    emulator.setWebhook(server.url, WEBHOOK_SECRET);

    // The backend's store, read without the adapter (Brevo's own history comes from webhooks).
    const readMessages = async (conversationId: string) =>
      emulator.messages(conversationId).map((message) => ({
        id: message.id,
        text: message.text,
        fromSelf: message.type === 'agent',
        attachments: [
          ...(message.file ? [{ kind: message.file.isImage ? ('image' as const) : ('file' as const) }] : []),
        ],
      }));
    // What every visitor peer does alike: writes as the visitor of the conversation named, reads the store.
    const visitorWrites: Pick<ContractPeer, 'send' | 'seedHistory' | 'readMessages'> = {
      async send(conversationId, text) {
        await emulator.visitor(conversationId).write(text);
      },
      async seedHistory(conversationId, count, prefix) {
        await emulator
          .visitor(conversationId)
          .writeBatch(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
      },
      readMessages,
    };
    // A visitor per peer: each has its own conversation with the agent.
    const visitorPeer = (visitorId: string): ContractPeer => ({
      participant: visitorId,
      async startConversation() {
        const visitor = emulator.visitor(visitorId);
        if (visitor.messages().length === 0) await visitor.write('Hello, I need help.');
        return visitorId;
      },
      ...visitorWrites,
    });
    const peer: ContractPeer = {
      participant: emulator.visitor().id,
      async startConversation() {
        const visitor = emulator.visitor();
        await visitor.write('Hello, I need help.');
        return visitor.id;
      },
      ...visitorWrites,
    };
    return {
      adapter,
      peer,
      peers: [1, 2, 3].map(() => visitorPeer(emulator.visitor().id)),
      faults: emulator.faults,
      secrets: [emulator.apiKey, WEBHOOK_SECRET],
      routeWebhooks(handler) {
        route = handler;
      },
      async teardown() {
        await server.close();
        await emulator.close();
      },
    };
  },
});
