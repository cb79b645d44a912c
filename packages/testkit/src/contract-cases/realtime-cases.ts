import assert from 'node:assert/strict';
import type { Message, Messenger } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { uniqueText } from './fixtures.js';
import { realtimeSkipReason, withRealtime } from './requirements.js';
import { leftoverResources } from './resource-tracker.js';

/** How long closed sockets and timers get to go away before the leak check fails, in ms. */
const RELEASE_GRACE_MS = 2_000;

/** Resolves with the first `'message'` matching `predicate`; rejects after `timeoutMs` naming the errors seen. */
function nextMessage(messenger: Messenger, predicate: (message: Message) => boolean, timeoutMs: number) {
  return new Promise<Message>((resolve, reject) => {
    const errors: string[] = [];
    const onError = (error: unknown) => errors.push(describeThrown(error));
    const onMessage = (message: Message) => {
      if (!predicate(message)) return;
      done();
      resolve(message);
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new assert.AssertionError({
          message: `no 'message' event with the peer's text within ${timeoutMs} ms after start()${
            errors.length ? `; 'error' events: ${errors.join(' | ')}` : ''
          }`,
        }),
      );
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      messenger.off('message', onMessage);
      messenger.off('error', onError);
    };
    messenger.on('message', onMessage);
    messenger.on('error', onError);
  });
}

/**
 * Makes the peer write in the conversation and resolves with its message from a `'message'` event.
 * On a `'stream'` provider (an AI assistant) the peer only ever answers us, so its message is the
 * reply to one we send; elsewhere `peer.send` writes it.
 */
async function peerMessageEvent(
  context: {
    messenger: Messenger;
    peer: ContractCaseContext['peer'];
    capabilities: ContractCaseContext['capabilities'];
    realtimeTimeoutMs: number;
  },
  conversationId: string,
  label: string,
): Promise<Message> {
  const { messenger, peer, capabilities, realtimeTimeoutMs } = context;
  const text = uniqueText(label);
  if (capabilities.realtime === 'stream') {
    const reply = nextMessage(
      messenger,
      (message) => message.conversationId === conversationId && !message.sender.isSelf,
      realtimeTimeoutMs,
    );
    await messenger.send(conversationId, text);
    return reply;
  }
  const received = nextMessage(messenger, (message) => message.text === text, realtimeTimeoutMs);
  await peer.send(conversationId, text);
  return received;
}

/** The realtime group: a peer's message arrives as an event; stopping and closing release everything. */
export const realtimeCases: readonly ContractCase[] = [
  {
    id: 'realtime-delivers-peer-message',
    group: 'realtime',
    title:
      "after start(), a peer's message (on 'stream' providers: the reply to ours) reaches 'message' within realtimeTimeoutMs, not from self",
    requires: withRealtime,
    async run(context) {
      const conversationId = await context.peer.startConversation();
      await context.messenger.start();
      const message = await peerMessageEvent(context, conversationId, 'realtime');
      assert.equal(message.conversationId, conversationId, 'the event names another conversation');
      assert.equal(message.sender.isSelf, false, "the peer's message has sender.isSelf === true");
    },
  },
  {
    id: 'close-releases-resources',
    group: 'realtime',
    title: 'after stop(), close() and teardown no socket, server or timer is left (the process can exit)',
    tracksResources: true,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      await messenger.connect();
      await messenger.send(conversationId, uniqueText('before close'));
      if (realtimeSkipReason(capabilities, context.routeWebhooks !== undefined) === undefined) {
        await messenger.start();
        await peerMessageEvent(context, conversationId, 'while started');
        await messenger.stop();
      }
      await context.shutdown();
      assert.ok(context.resources, 'resources are tracked for this case');
      const left = await leftoverResources(context.resources, RELEASE_GRACE_MS);
      assert.deepEqual(
        left,
        [],
        `still active ${RELEASE_GRACE_MS} ms after close() and teardown: ${left.join(', ')}`,
      );
    },
  },
];
