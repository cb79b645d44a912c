import type { Message, Messenger } from '@switchboard/core';

/** Options of {@link startSupportBot}. */
export interface SupportBotOptions {
  log(line: string): void;
  /** Called after each answer was sent. */
  onAnswered?(answer: Message): void;
}

/**
 * A minimal support bot: acknowledges every message a visitor writes. Provider-agnostic: it only
 * uses the Messenger, so the same code would answer on any adapter with realtime.
 */
export function startSupportBot(messenger: Messenger, { log, onAnswered }: SupportBotOptions): void {
  messenger.on('message', (message) => {
    if (message.sender.kind !== 'visitor') return;
    const name = message.sender.displayName ?? 'there';
    log(`← ${name}: ${message.text}`);
    messenger
      .send(message.conversationId, `Thanks ${name}! An agent will answer shortly.`)
      .then((answer) => {
        log(`→ ${answer.text}`);
        onAnswered?.(answer);
      })
      .catch((error: unknown) => log(`✗ could not answer: ${String(error)}`));
  });
  messenger.on('error', (error) => log(`✗ ${String(error)}`));
}
