import {
  type Capabilities,
  type ChatEvent,
  type Conversation,
  createMessenger,
  type Message,
  type Messenger,
  SwitchboardError,
} from '@switchboard/core';
import type { DemoSetup } from './providers/demo-provider.js';
import { showGroupConversation } from './quickstart-groups.js';

/** Where the app writes: whole lines, and partial output for streamed replies. Tests capture it. */
export interface Output {
  line(text: string): void;
  write(chunk: string): void;
}

/** Writes to the terminal. */
export const terminal: Output = {
  line: (text) => console.log(text),
  write: (chunk) => {
    process.stdout.write(chunk);
  },
};

const REPLY_TIMEOUT_MS = 15_000;

/**
 * The quickstart app. It knows nothing about any provider: it gets a `ChatAdapter`, wraps it in a
 * Messenger, and asks the manifest what it may do. Swap the adapter and the same code runs.
 */
export async function runQuickstart(setup: DemoSetup, out: Output = terminal): Promise<void> {
  const print = out.line;
  const messenger = createMessenger(setup.adapter);
  print(`▶ ${messenger.provider}: ${setup.description}`);
  printCapabilities(messenger.capabilities, print);
  try {
    const me = await messenger.connect();
    if (me) print(`Connected as ${me.handle ?? me.displayName ?? me.id}`);

    const conversation = await openConversation(messenger, setup);
    print(`Conversation ${conversation.id} (${conversation.kind}) with ${describeOthers(conversation)}`);

    const replies = waitForReply(messenger, conversation.id, out);
    if (messenger.supports('realtime')) await messenger.start();

    const text = 'Hello from Switchboard 👋 — docs at https://example.com/switchboard';
    print(`→ me: ${text}`);
    const sent = await messenger.send(conversation.id, text);
    print(`  (sent as message ${sent.id})`);
    await setup.peerReply?.(conversation.id, 'Hi! Got it — replying through the provider.');
    const reply = await replies;
    print(`← ${reply.sender.handle ?? reply.sender.displayName ?? reply.sender.id}: ${reply.text}`);

    if (messenger.supports('markRead')) {
      await messenger.markRead(conversation.id, reply.id);
      print('✓ marked read');
    }
    if (messenger.supports('reactions')) {
      await messenger.react(conversation.id, reply.id, '❤️');
      print('✓ reacted ❤️ to the reply');
    }

    if (messenger.supports('listMessages')) {
      const history: Message[] = [];
      // Small pages on purpose, to show the iterator fetching page after page.
      const limit = Math.max(messenger.capabilities.pageSize.min, 2);
      for await (const message of messenger.messages(conversation.id, { limit })) history.push(message);
      print(`Transcript (${history.length} messages, fetched newest first in pages of ${limit}):`);
      for (const message of history.reverse()) {
        const who = message.sender.isSelf
          ? 'me'
          : (message.sender.handle ?? message.sender.displayName ?? message.sender.id);
        const reactions = message.reactions.map((r) => r.value).join('');
        print(
          `  [${message.sentAt.toISOString().slice(11, 19)}] ${who}: ${message.deleted ? '(deleted)' : message.text}${reactions ? `  ${reactions}` : ''}`,
        );
      }
    }

    await showGroupConversation(messenger, setup, print);
  } catch (error) {
    if (SwitchboardError.isInstance(error)) print(`✗ ${error.name} (${error.code}): ${error.message}`);
    throw error;
  } finally {
    await messenger.close();
    await setup.teardown();
  }
}

async function openConversation(messenger: Messenger, setup: DemoSetup): Promise<Conversation> {
  if (setup.conversationId) {
    if (messenger.supports('getConversation')) return messenger.getConversation(setup.conversationId);
    return {
      id: setup.conversationId,
      provider: messenger.provider,
      kind: 'direct',
      participants: [],
      raw: undefined,
    };
  }
  if (!setup.peer) throw new Error('The demo provider gave neither a peer nor a conversation.');
  return messenger.openConversation({ participants: [setup.peer] });
}

function describeOthers(conversation: Conversation): string {
  const others = conversation.participants.filter((p) => !p.isSelf);
  return others.map((p) => p.handle ?? p.displayName ?? p.id).join(', ') || 'the other party';
}

/** Resolves with the first message someone else writes in the conversation; prints streamed chunks. */
function waitForReply(messenger: Messenger, conversationId: string, out: Output): Promise<Message> {
  return new Promise((resolve, reject) => {
    let streaming = false;
    const timer = setTimeout(() => {
      messenger.off('event', onEvent);
      reject(new Error(`No reply within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
    const onEvent = (event: ChatEvent) => {
      if (event.conversationId !== conversationId) return;
      if (event.type === 'message.delta') {
        if (!streaming) out.write('← (streaming) ');
        streaming = true;
        out.write(event.delta);
        return;
      }
      if (event.type === 'message.created' && !event.message.sender.isSelf) {
        if (streaming) out.write('\n');
        clearTimeout(timer);
        messenger.off('event', onEvent);
        resolve(event.message);
      }
    };
    messenger.on('event', onEvent);
  });
}

function printCapabilities(capabilities: Capabilities, print: (line: string) => void): void {
  const rows = Object.entries(capabilities).map(([name, value]) => [name, formatValue(value)] as const);
  const width = Math.max(...rows.map(([name]) => name.length));
  print('Capabilities:');
  for (const [name, value] of rows) print(`  ${name.padEnd(width)}  ${value}`);
}

function formatValue(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
