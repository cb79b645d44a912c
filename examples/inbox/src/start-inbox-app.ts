import { createInbox, type Inbox, listingProbe } from '@switchboard/inbox';
import { startDemoAccounts } from './demo-accounts.js';
import { startInboxServer } from './inbox-server.js';

/** How often (ms) the demo health-checks every account, so an outage and a recovery show within seconds. */
const HEALTH_CHECK_MS = 1_000;

/** The running demo: its URL, the inbox, and a way to stop everything. */
export interface InboxApp {
  url: string;
  inbox: Inbox;
  close(): Promise<void>;
}

/**
 * Starts the whole demo: four emulators with seeded peers, one inbox over four accounts, and the
 * web server. Used by `pnpm inbox` and by the browser tests.
 */
export async function startInboxApp(options: { port?: number } = {}): Promise<InboxApp> {
  const demo = await startDemoAccounts();
  const inbox = createInbox({
    accounts: demo.messengers,
    healthCheckIntervalMs: HEALTH_CHECK_MS,
    probe: (messenger, account) => (demo.probes[account] ?? listingProbe)(messenger),
  });
  inbox.on('error', () => {}); // shown to the user through account health
  const server = await startInboxServer({
    inbox,
    ...(options.port === undefined ? {} : { port: options.port }),
    webhookAccounts: [demo.webhook.account],
    afterSend: (account, conversationId, text) => demo.peerReply(account, conversationId, text),
    setOutage: (account, down) => {
      const outage = demo.switches[account];
      if (!outage) return;
      if (down) outage.stop();
      else outage.start();
    },
  });
  demo.webhook.connect(`${server.url}/webhooks/${demo.webhook.account}`);
  await inbox.start();
  await demo.seed(inbox);
  return {
    url: server.url,
    inbox,
    async close() {
      await server.close();
      await inbox.close();
      await demo.close();
    },
  };
}
