import { randomBytes } from 'node:crypto';
import { createAuroraAdapter } from '@switchboard/aurora';
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createBrevoAdapter } from '@switchboard/brevo';
import { createChatsApiAdapter } from '@switchboard/chats-api';
import { createMessenger, type Messenger } from '@switchboard/core';
import { startAuroraEmulator } from '@switchboard/emulators/aurora';
import { startBlueskyEmulator } from '@switchboard/emulators/bluesky';
import { startBrevoEmulator } from '@switchboard/emulators/brevo';
import { startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import type { Inbox } from '@switchboard/inbox';
import { createOutageSwitch, type OutageSwitch } from './outage-switch.js';

/** Pause between the Aurora reply's streamed chunks (ms), so it visibly grows. */
const AURORA_CHUNK_DELAY_MS = 150;
/** How long an emulated person takes to answer (ms). */
const PEER_DELAY_MS = 400;

const secret = () => randomBytes(12).toString('base64url');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The four accounts of the demo, each on its provider's local emulator (no credentials), behind an
 * {@link OutageSwitch} so a provider can be taken down and brought back. Everything provider-specific
 * lives here: the app (server and page) only sees account keys, Messengers and capability manifests.
 */
export interface DemoAccounts {
  /** Account key → Messenger, for `createInbox`. */
  messengers: Record<string, Messenger>;
  /** Account key → its outage switch. */
  switches: Record<string, OutageSwitch>;
  /**
   * Health checks that differ from the inbox's default (one conversation-list page): Brevo serves its
   * list from the webhook store, so its check is `connect()` (the agent ping), which reaches the API.
   */
  probes: Record<string, (messenger: Messenger) => Promise<unknown>>;
  /** The account whose webhooks the server must hand to the inbox (Brevo), and where to tell the emulator. */
  webhook: { account: string; connect(url: string): void };
  /** Seeds conversations (oldest activity first) once the inbox is started. */
  seed(inbox: Inbox): Promise<void>;
  /** Makes the other party of a conversation answer `text` (after a short pause), where one plays along. */
  peerReply(account: string, conversationId: string, text: string): void;
  close(): Promise<void>;
}

/** Starts the four emulators with seeded peers and builds a Messenger per account. */
export async function startDemoAccounts(): Promise<DemoAccounts> {
  const alicePassword = secret();
  const [bluesky, chats, brevo, aurora] = await Promise.all([
    startBlueskyEmulator({
      accounts: [
        { handle: 'alice.test', password: alicePassword, displayName: 'Alice' },
        { handle: 'bob.test', password: secret(), displayName: 'Bob' },
      ],
    }),
    startChatsApiEmulator({
      users: [
        { username: 'alice', password: alicePassword, firstName: 'Alice' },
        { username: 'carol', password: secret(), firstName: 'Carol' },
        { username: 'dave', password: secret(), firstName: 'Dave' },
      ],
    }),
    startBrevoEmulator(),
    startAuroraEmulator({
      users: [{ username: 'alice', password: alicePassword }],
      chunkDelayMs: AURORA_CHUNK_DELAY_MS,
    }),
  ]);
  const switches = {
    social: createOutageSwitch(bluesky.faults),
    team: createOutageSwitch(chats.faults),
    support: createOutageSwitch(brevo.faults),
    assistant: createOutageSwitch(aurora.faults),
  };
  const webhookSecret = secret();
  const messengers: Record<string, Messenger> = {
    social: createMessenger(
      createBlueskyAdapter({
        identifier: 'alice.test',
        password: alicePassword,
        service: bluesky.url,
        pollIntervalMs: 300,
      }),
    ),
    team: createMessenger(
      createChatsApiAdapter({ baseUrl: chats.url, username: 'alice', password: alicePassword }),
    ),
    support: createMessenger(
      createBrevoAdapter({
        apiKey: brevo.apiKey,
        baseUrl: brevo.url,
        agent: { id: brevo.agents.list()[0]!.id },
        webhookSecret,
      }),
    ),
    assistant: createMessenger(
      createAuroraAdapter({ username: 'alice', password: alicePassword, baseUrl: aurora.url }),
    ),
  };
  /** chats API chat id → the user who answers in it. */
  const chatPeers = new Map<string, string>();

  return {
    messengers,
    switches,
    probes: { support: (messenger) => messenger.connect() },
    webhook: { account: 'support', connect: (url) => brevo.setWebhook(url, webhookSecret) },

    async seed(inbox) {
      // Oldest activity first, so the merged list shows every provider in a known order.
      const [character] = aurora.characters;
      await inbox.openConversation('assistant', { participants: [String(character!.id)] });
      await pause(20);
      const planning = chats.as('dave').openDirect('alice').id;
      chatPeers.set(planning, 'dave');
      chats.seedMessages(planning, 60, 'Planning note', 'dave');
      await pause(20);
      const standup = chats.as('carol').openDirect('alice').id;
      chatPeers.set(standup, 'carol');
      chats.as('carol').sendMessage(standup, 'Stand-up moved to 10:30 today.', { via: 'rest' });
      await pause(20);
      await brevo.visitor({ displayedName: 'Jane (website visitor)' }).write('Hi! Is my order on its way?');
      await pause(20);
      const bob = bluesky.as('bob.test');
      bob.sendMessage(bob.openConvo('alice.test'), 'Are we still on for Friday?');
    },

    peerReply(account, conversationId, text) {
      const answer = `Got it: “${text.slice(0, 80)}”`;
      setTimeout(() => {
        const reply = async () => {
          if (switches[account as keyof typeof switches]?.down) return; // a stopped provider delivers nothing
          if (account === 'social') bluesky.as('bob.test').sendMessage(conversationId, answer);
          else if (account === 'team') {
            const peer = chatPeers.get(conversationId);
            if (peer) chats.as(peer).sendMessage(conversationId, answer);
          } else if (account === 'support') await brevo.visitor(conversationId).write(answer);
          // assistant: the AI character answers by itself, streamed.
        };
        reply().catch((error: unknown) => console.error(`peer reply on ${account} failed:`, error));
      }, PEER_DELAY_MS);
    },

    async close() {
      await Promise.allSettled([bluesky.close(), chats.close(), brevo.close(), aurora.close()]);
    },
  };
}
