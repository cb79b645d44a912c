/**
 * Mounting the Brevo webhook handler on a Node HTTP server.
 *
 *   pnpm --filter @switchboard/example-brevo-webhook-server start
 *     On the local emulator: a visitor writes, the webhook reaches this server, the bot answers.
 *
 *   BREVO_API_KEY=… BREVO_WEBHOOK_SECRET=… BREVO_AGENT_ID=… PORT=3000 \
 *     pnpm --filter @switchboard/example-brevo-webhook-server start
 *     On Brevo: serves POST /webhooks/brevo until Ctrl-C. In Brevo, Conversations › Settings ›
 *     Integrations › Webhooks, set https://<your public host>/webhooks/brevo?token=<BREVO_WEBHOOK_SECRET>.
 */
import { createBrevoAdapter } from '@switchboard/brevo';
import { createMessenger } from '@switchboard/core';
import { runEmulatorDemo } from './emulator-demo.js';
import { startSupportBot } from './support-bot.js';
import { startWebhookServer } from './webhook-server.js';

const log = (line: string) => console.log(line);

if (!process.env.BREVO_API_KEY) {
  await runEmulatorDemo(log);
} else {
  const agentId = process.env.BREVO_AGENT_ID;
  if (!agentId) throw new Error('Set BREVO_AGENT_ID to the id of the agent the bot answers as.');
  // The API key and webhook secret come from BREVO_API_KEY and BREVO_WEBHOOK_SECRET.
  const messenger = createMessenger(createBrevoAdapter({ agent: { id: agentId } }));
  const webhooks = await startWebhookServer(messenger, {
    host: '0.0.0.0',
    port: Number(process.env.PORT ?? 3000),
  });
  startSupportBot(messenger, { log });
  await messenger.start();
  log(
    `Listening on ${webhooks.url}; configure https://<your public host>/webhooks/brevo?token=<BREVO_WEBHOOK_SECRET> in Brevo.`,
  );
  process.once('SIGINT', () => {
    void messenger.close().then(() => webhooks.close());
  });
}
