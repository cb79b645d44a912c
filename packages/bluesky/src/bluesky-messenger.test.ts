import {
  InvalidRequestError,
  type Message,
  NotFoundError,
  UnsupportedOperationError,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { useMessengerSetup } from '../test/bluesky-messenger-setup.js';

const current = useMessengerSetup();
const { start } = current;

/** Rejects with an error satisfying `check`, and the emulator saw no request while it ran. */
async function rejectsLocally(call: () => Promise<unknown>, check: (error: unknown) => boolean) {
  const before = current.setup.emulator.faults.requestCount;
  const error = await call().catch((caught: unknown) => caught);
  expect(check(error), String(error)).toBe(true);
  expect(current.setup.emulator.faults.requestCount).toBe(before);
}
const invalid = (error: unknown) => InvalidRequestError.isInstance(error);
const unsupported = (error: unknown) => UnsupportedOperationError.isInstance(error);

describe('bluesky through the Messenger', () => {
  it('rejects bad input with typed errors, sending nothing for what is checked locally', async () => {
    const { messenger } = await start();
    const { id } = await messenger.openConversation({ participants: ['bob.test'] });

    await rejectsLocally(() => messenger.send(id, ''), invalid);
    await rejectsLocally(() => messenger.send(id, ' \n '), invalid);
    await rejectsLocally(() => messenger.send(id, 'é'.repeat(1001)), invalid);
    await rejectsLocally(() => messenger.send(id, '👨‍👩‍👧‍👦'.repeat(401)), invalid); // 401 graphemes, 10 025 bytes
    await rejectsLocally(() => messenger.openConversation({ participants: ['not a handle!'] }), invalid);
    await rejectsLocally(
      () =>
        messenger.openConversation({
          participants: Array.from({ length: 51 }, (_, i) => `member${i}.test`),
        }),
      invalid,
    );
    await rejectsLocally(() => messenger.react(id, 'm', 'ok'), invalid);
    await rejectsLocally(() => messenger.listMessages(id, { limit: 0 }), invalid);
    await rejectsLocally(() => messenger.edit(id, 'm', 'new text'), unsupported);
    await rejectsLocally(() => messenger.getMessage(id, 'm'), unsupported);

    expect(await messenger.send(id, 'é'.repeat(1000))).toMatchObject({ text: 'é'.repeat(1000) });
    await expect(messenger.send('3zzzzzzzzzzzz', 'hello')).rejects.toSatisfy((error) =>
      NotFoundError.isInstance(error),
    );
    await expect(messenger.openConversation({ participants: ['nobody.test'] })).rejects.toSatisfy((error) =>
      NotFoundError.isInstance(error),
    );
  });

  it('iterates 250 messages newest first, exactly once', async () => {
    const { emulator, messenger, requests } = await start();
    const { id } = await messenger.openConversation({ participants: ['bob.test'] });
    emulator.seedMessages(id, 250, 'h');
    const texts: string[] = [];
    for await (const message of messenger.messages(id, { limit: 100 })) texts.push(message.text);
    expect(texts).toEqual(Array.from({ length: 250 }, (_, i) => `h${249 - i}`));
    expect(requests.filter((request) => request.url.includes('getMessages'))).toHaveLength(3);
  });

  it("emits the peer's message in realtime and stops cleanly", async () => {
    const { emulator, messenger } = await start();
    const { id } = await messenger.openConversation({ participants: ['bob.test'] });
    const received = new Promise<Message>((resolve) => messenger.on('message', resolve));
    await messenger.start();
    emulator.as('bob.test').sendMessage(id, 'hello from bob');
    const message = await received;
    await messenger.stop();
    expect(message).toMatchObject({
      conversationId: id,
      text: 'hello from bob',
      sender: { handle: 'bob.test', displayName: 'Bob', isSelf: false },
    });
  });
});
