import type { Messenger } from '@switchboard/core';

/**
 * Records, per message text, how long after the peer's send our Messenger's `'message'` event and a
 * raw client saw it (ms). Texts not marked as sent are ignored; our duplicates are counted.
 */
export function createLatencyRecorder(messenger: Messenger) {
  const sentAt = new Map<string, number>();
  const ours = new Map<string, number>();
  const raw = new Map<string, number>();
  let duplicates = 0;
  messenger.on('message', (message) => {
    const at = performance.now();
    const sent = sentAt.get(message.text);
    if (sent === undefined) return;
    if (ours.has(message.text)) duplicates++;
    else ours.set(message.text, at - sent);
  });
  return {
    /** Call right before the peer sends `text`. */
    sent(text: string) {
      sentAt.set(text, performance.now());
    },
    /** Call when the raw client sees `text`. */
    rawSaw(text: string) {
      const sent = sentAt.get(text);
      if (sent !== undefined && !raw.has(text)) raw.set(text, performance.now() - sent);
    },
    /** `true` once both clients saw every text. */
    allSeen: (texts: readonly string[]) => texts.every((text) => ours.has(text) && raw.has(text)),
    /** Forgets these texts (warm-up messages). */
    forget(texts: readonly string[]) {
      for (const text of texts) {
        sentAt.delete(text);
        ours.delete(text);
        raw.delete(text);
      }
    },
    /** Every text marked as sent, in order. */
    texts: () => [...sentAt.keys()],
    /** Latencies for these texts, `NaN` where not delivered, and our duplicate count. */
    result(texts: readonly string[]) {
      return {
        ours: texts.map((text) => ours.get(text) ?? Number.NaN),
        raw: texts.map((text) => raw.get(text) ?? Number.NaN),
        duplicates,
      };
    },
  };
}
