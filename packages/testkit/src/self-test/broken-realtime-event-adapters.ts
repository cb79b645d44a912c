import type { BrokenVariant } from './broken-memory-adapters.js';
import { rewritingEvents, rewritingEventsOf } from './reference-adapter-wrappers.js';

/** Contract options of the variants whose bug makes a case wait for an event that never comes. */
const SHORT_WAIT = { realtimeTimeoutMs: 2_000 } as const;

/**
 * Broken variants of the reference adapter for the realtime-events family
 * (`contract-cases/realtime-event-cases.ts`): each has one realistic bug in how a change reaches the
 * `'event'` stream, and names the case that must catch it.
 */
export const realtimeEventBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'reports an edit as message.created',
    factory: (options) =>
      rewritingEventsOf(options, 'message.updated', (event) => ({ ...event, type: 'message.created' })),
    caughtBy: 'realtime-emits-message-updated',
    failure: /no 'message\.updated' event for our edited message/,
    options: SHORT_WAIT,
  },
  {
    name: 'drops editedAt from message.updated',
    factory: (options) =>
      rewritingEventsOf(options, 'message.updated', (event) => {
        const { editedAt: _dropped, ...message } = event.message;
        return { ...event, message };
      }),
    caughtBy: 'realtime-emits-message-updated',
    failure: /message\.updated's message has no editedAt Date/,
  },
  {
    name: 'reports message.deleted with the conversation id as message id',
    factory: (options) =>
      rewritingEventsOf(options, 'message.deleted', (event) => ({
        ...event,
        messageId: event.conversationId,
      })),
    caughtBy: 'realtime-emits-message-deleted',
    failure: /no 'message\.deleted' event for our deleted message/,
    options: SHORT_WAIT,
  },
  {
    name: 'reports every reaction as 👍 from nobody',
    factory: (options) =>
      rewritingEventsOf(options, 'reaction.added', (event) => ({
        ...event,
        reaction: { value: '👍', senderId: '' },
      })),
    caughtBy: 'realtime-emits-reaction-added',
    failure: /reaction\.added carries another reaction value/,
  },
  {
    name: 'reports a removed reaction as reaction.added',
    factory: (options) =>
      rewritingEventsOf(options, 'reaction.removed', (event) => ({ ...event, type: 'reaction.added' })),
    caughtBy: 'realtime-emits-reaction-removed',
    failure: /no 'reaction\.removed' event for our removed reaction/,
    options: SHORT_WAIT,
  },
  {
    name: 'drops the message id and reader from read events',
    factory: (options) =>
      rewritingEventsOf(options, 'read', (event) => ({
        type: 'read',
        provider: event.provider,
        conversationId: event.conversationId,
      })),
    caughtBy: 'realtime-emits-read',
    failure: /no 'read' event for our markRead up to/,
    options: SHORT_WAIT,
  },
  {
    name: 'reports a read of several messages newest first (the read marker moves back)',
    factory: (options) => {
      const before = new Map<string, string>();
      let last: string | undefined;
      return rewritingEvents(options, (event) => {
        if (event.type === 'message.created') {
          if (last !== undefined) before.set(event.message.id, last);
          last = event.message.id;
        }
        const older = event.type === 'read' && event.messageId ? before.get(event.messageId) : undefined;
        return older && event.type === 'read' ? [event, { ...event, messageId: older }] : event;
      });
    },
    caughtBy: 'realtime-emits-read',
    failure: /another one moved the read marker back/,
  },
  {
    name: "reports unmute as 'muted'",
    factory: (options) =>
      rewritingEvents(options, (event) =>
        event.type === 'conversation.updated' && event.change === 'unmuted'
          ? { ...event, change: 'muted' }
          : event,
      ),
    caughtBy: 'realtime-emits-conversation-muted',
    failure: /no 'conversation\.updated' event for the conversation we unmuted/,
    options: SHORT_WAIT,
  },
  {
    name: 'delivers a leave twice',
    factory: (options) =>
      rewritingEvents(options, (event) =>
        event.type === 'conversation.updated' && event.change === 'left' ? [event, event] : event,
      ),
    caughtBy: 'realtime-emits-conversation-left',
    failure: /leaving reached 'event' as these conversation\.updated changes/,
  },
  {
    name: 'delivers conversation.created twice',
    factory: (options) => rewritingEventsOf(options, 'conversation.created', (event) => [event, event]),
    caughtBy: 'realtime-emits-conversation-created',
    failure: /conversation\.created of the new conversation reached 'event' 2 times/,
  },
  {
    name: 'marks every edited message as our own (sender.isSelf true)',
    factory: (options) =>
      rewritingEventsOf(options, 'message.updated', (event) => ({
        ...event,
        message: { ...event.message, sender: { ...event.message.sender, isSelf: true } },
      })),
    caughtBy: 'realtime-emits-peer-edit',
    failure: /the peer's edited message has sender\.isSelf !== false/,
  },
  {
    name: 'delivers a delete twice',
    factory: (options) => rewritingEventsOf(options, 'message.deleted', (event) => [event, event]),
    caughtBy: 'realtime-emits-peer-delete',
    failure: /message\.deleted of the peer's delete reached 'event' 2 times/,
  },
  {
    name: 'reports every reaction as ours',
    factory: (options) =>
      rewritingEvents(options, (event) =>
        event.type === 'reaction.added' || event.type === 'reaction.removed'
          ? { ...event, reaction: { ...event.reaction, senderId: 'user_self' } }
          : event,
      ),
    caughtBy: 'realtime-emits-peer-reaction',
    failure: /reaction\.added's senderId is not the peer's id/,
  },
  {
    name: 'reports every read as ours',
    factory: (options) =>
      rewritingEventsOf(options, 'read', (event) => ({ ...event, readerId: 'user_self' })),
    caughtBy: 'realtime-emits-peer-read',
    failure: /no 'read' event for the peer reading our message/,
    options: SHORT_WAIT,
  },
  {
    name: 'numbers reply chunks from 1',
    factory: (options) =>
      rewritingEventsOf(options, 'message.delta', (event) => ({ ...event, index: event.index + 1 })),
    caughtBy: 'realtime-emits-reply-deltas',
    failure: /message\.delta indexes are/,
  },
  {
    name: 'drops the replyId from the streamed reply',
    factory: (options) =>
      rewritingEventsOf(options, 'message.created', (event) => {
        const { replyId: _dropped, ...rest } = event;
        return rest;
      }),
    caughtBy: 'realtime-emits-reply-deltas',
    failure: /the reply's message\.created carries no replyId/,
  },
];
