import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './chat-event.js';
import { createEventFanOut, deliverEvent } from './event-fan-out.js';

const event = { type: 'message.created' } as unknown as ChatEvent;

describe('createEventFanOut', () => {
  it('delivers to every subscriber; a throwing sink is reported to its own onError only', () => {
    const fanOut = createEventFanOut();
    const seen: string[] = [];
    const errors: unknown[] = [];
    const boom = new Error('sink failed');
    fanOut.add({
      sink: () => {
        throw boom;
      },
      onError: (error) => errors.push(error),
    });
    fanOut.add({ sink: () => seen.push('second'), onError: () => seen.push('wrong onError') });
    fanOut.emit(event);
    expect(seen).toEqual(['second']);
    expect(errors).toEqual([boom]);
  });

  it('survives an onError that throws', () => {
    const fanOut = createEventFanOut();
    const seen: string[] = [];
    fanOut.add({
      sink: () => {
        throw new Error('a');
      },
      onError: () => {
        throw new Error('b');
      },
    });
    fanOut.add({ sink: () => seen.push('after') });
    expect(() => fanOut.emit(event)).not.toThrow();
    expect(seen).toEqual(['after']);
  });

  it('reportError reaches every onError; remove says when the last one left', () => {
    const fanOut = createEventFanOut();
    const errors: string[] = [];
    const a = { sink: () => undefined, onError: () => errors.push('a') };
    const b = { sink: () => undefined, onError: () => errors.push('b') };
    const removeA = fanOut.add(a);
    fanOut.add(b);
    fanOut.reportError(new Error('x'));
    expect(errors).toEqual(['a', 'b']);
    removeA();
    expect(fanOut.size).toBe(1);
    expect(fanOut.remove(b)).toBe(true);
  });

  it('a sink that unsubscribes while an event is delivered does not skip the others', () => {
    const fanOut = createEventFanOut();
    const seen: string[] = [];
    const first = { sink: () => fanOut.remove(first) };
    fanOut.add(first);
    fanOut.add({ sink: () => seen.push('second') });
    fanOut.emit(event);
    expect(seen).toEqual(['second']);
  });
});

describe('deliverEvent', () => {
  it('hands the event to the sink and reports what it throws', () => {
    const got: ChatEvent[] = [];
    deliverEvent({ sink: (e) => got.push(e) }, event);
    expect(got).toEqual([event]);
    const errors: unknown[] = [];
    deliverEvent(
      {
        sink: () => {
          throw new Error('no');
        },
        onError: (e) => errors.push(e),
      },
      event,
    );
    expect(errors).toHaveLength(1);
  });
});
