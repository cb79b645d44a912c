/** Kinds of event the memory backend's `/v1/events` feed reports. */
export type MemoryEventKind =
  | 'conversation_started'
  | 'conversation_muted'
  | 'conversation_unmuted'
  | 'conversation_left'
  | 'message_posted'
  | 'message_edited'
  | 'message_deleted'
  | 'read'
  | 'reaction_added'
  | 'reaction_removed'
  | 'reply_delta';

/** One entry of the feed; `audience` are the user ids allowed to see it. */
export interface MemoryEvent {
  seq: number;
  kind: MemoryEventKind;
  conversationId: string;
  messageId?: string;
  userId?: string;
  reaction?: string;
  /** A streamed reply's id: on its `reply_delta` chunks and on the `message_posted` of the whole reply. */
  replyId?: string;
  /** `reply_delta`: the chunk's position (from 0) and text. */
  index?: number;
  text?: string;
  audience: readonly string[];
}

interface Waiter {
  userId: string;
  wake(): void;
}

/** An append-only event feed with long-poll waiters. */
export interface MemoryEventLog {
  /** Sequence number of the newest event (0 when empty). */
  readonly head: number;
  append(event: Omit<MemoryEvent, 'seq'>): MemoryEvent;
  /** Up to `max` events after `afterSeq` that `userId` may see, oldest first. */
  after(userId: string, afterSeq: number, max: number): MemoryEvent[];
  /**
   * Resolves once an event for `userId` arrives after `afterSeq`, `waitMs` pass, `signal` aborts
   * (the client went away) or the log is closed.
   */
  wait(userId: string, afterSeq: number, waitMs: number, signal: AbortSignal): Promise<void>;
  /** Wakes every waiter; later waits return at once. */
  close(): void;
}

/** Creates the feed. */
export function createMemoryEventLog(): MemoryEventLog {
  const events: MemoryEvent[] = [];
  const waiters = new Set<Waiter>();
  let closed = false;
  return {
    get head() {
      return events.length;
    },
    append(event) {
      const stored = { ...event, seq: events.length + 1 };
      events.push(stored);
      for (const waiter of [...waiters]) if (stored.audience.includes(waiter.userId)) waiter.wake();
      return stored;
    },
    after(userId, afterSeq, max) {
      return events
        .slice(afterSeq)
        .filter((event) => event.audience.includes(userId))
        .slice(0, max);
    },
    wait(userId, afterSeq, waitMs, signal) {
      if (closed || signal.aborted || events.slice(afterSeq).some((e) => e.audience.includes(userId)))
        return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter: Waiter = {
          userId,
          wake: () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', waiter.wake);
            waiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(waiter.wake, waitMs);
        signal.addEventListener('abort', waiter.wake);
        waiters.add(waiter);
      });
    },
    close() {
      closed = true;
      for (const waiter of [...waiters]) waiter.wake();
    },
  };
}
