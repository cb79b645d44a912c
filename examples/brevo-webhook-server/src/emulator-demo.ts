import { randomBytes } from 'node:crypto';
import { createBrevoAdapter } from '@switchboard/brevo';
import { createMessenger, type Message } from '@switchboard/core';
import { startBrevoEmulator } from '@switchboard/emulators/brevo';
import { startSupportBot } from './support-bot.js';
import { startWebhookServer } from './webhook-server.js';

/**
 * The example without credentials: the Brevo emulator plays Brevo and a website visitor, and posts
 * its webhooks to our server exactly as Brevo would (secret in the URL's `?token=`). The bot answers
 * the visitor; then the conversation is printed from the adapter's records.
 */
export async function runEmulatorDemo(log: (line: string) => void): Promise<void> {
  const emulator = await startBrevoEmulator();
  const webhookSecret = randomBytes(16).toString('hex');
  const messenger = createMessenger(
    createBrevoAdapter({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      agent: { id: emulator.agents.list()[0]!.id },
      webhookSecret,
    }),
  );
  const webhooks = await startWebhookServer(messenger);
  try {
    emulator.setWebhook(webhooks.url, webhookSecret);
    log(`Webhook server at ${webhooks.url} (Brevo posts to it with ?token=<secret>)`);
    const answered = new Promise<void>((resolve) =>
      startSupportBot(messenger, { log, onAnswered: () => resolve() }),
    );
    await messenger.start();

    const visitor = emulator.visitor({ displayedName: 'Jane' });
    await visitor.write('Hello, is anyone there?');
    await answered;

    const history: Message[] = [];
    for await (const message of messenger.messages(visitor.id)) history.unshift(message);
    log(`Conversation ${visitor.id}:`);
    for (const message of history)
      log(`  ${message.sender.isSelf ? 'bot' : message.sender.displayName}: ${message.text}`);
  } finally {
    await messenger.close();
    await webhooks.close();
    await emulator.close();
  }
}
