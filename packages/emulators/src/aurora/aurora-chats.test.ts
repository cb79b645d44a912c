import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auroraUsers } from '../../test/test-accounts.js';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText } from './aurora-error-bodies.js';
import type { AuroraApiVersion } from './aurora-http.js';
import { auroraTestClient } from './aurora-test-client.js';

const badRequest = { success: false, error: auroraErrorText.badRequest };

describe.each<AuroraApiVersion>(['v11', 'v5'])('Aurora emulator %s: characters and chats', (version) => {
  let emulator: AuroraEmulator;
  let client: ReturnType<typeof auroraTestClient>;
  let token: string;
  beforeEach(async () => {
    emulator = await startAuroraEmulator({ users: auroraUsers('ann', 'eve') });
    client = auroraTestClient(emulator.url, version);
    token = await client.login('ann', 'pw-ann');
  });
  afterEach(() => emulator.close());

  it('lists characters by ascending id, from an id, with isEndOfList', async () => {
    const first = await client.call('GET', '/characters', { token, query: { numCharacters: 2 } });
    const body = first.body as { characters: { id: number; name: string }[]; isEndOfList: boolean };
    expect(body.characters.map((c) => c.id)).toEqual([1, 2]);
    expect(body.isEndOfList).toBe(false);
    const rest = await client.call('GET', '/characters', { token, query: { numCharacters: 2, from: 3 } });
    expect(rest.body).toMatchObject({ characters: [{ id: 3, name: 'Captain Nemo' }], isEndOfList: true });
    const keys = Object.keys(body.characters[0]!).sort();
    expect(keys).toEqual(
      version === 'v11'
        ? ['description', 'id', 'isOfficial', 'isPrivate', 'name']
        : ['description', 'iconImage', 'id', 'isOfficial', 'name'],
    );
  });

  it('rejects a page size over 100 or a malformed `from`', async () => {
    for (const query of [{ numCharacters: 101 }, { numCharacters: 0 }, { numCharacters: 5, from: 'x' }]) {
      const response = await client.call('GET', '/characters', { token, query });
      expect([response.status, response.body]).toEqual([400, badRequest]);
    }
  });

  it('gets one character in the profile’s shape, and 400 for an unknown id', async () => {
    const response = await client.call('GET', '/character', { token, query: { characterId: 2 } });
    expect(response.body).toEqual(
      version === 'v11'
        ? {
            name: 'Ada Lovelace',
            description: expect.any(String),
            isOfficial: true,
            isPrivate: false,
            ttsCharacter: 1,
          }
        : {
            name: 'Ada Lovelace',
            description: expect.any(String),
            isOfficial: true,
            iconImage: expect.any(String),
          },
    );
    const unknown = await client.call('GET', '/character', { token, query: { characterId: 99 } });
    expect([unknown.status, unknown.body]).toEqual([400, badRequest]);
  });

  it('hides a private character from everyone but its creator', async () => {
    const secret = emulator.addCharacter({ name: 'Secret', isPrivate: true, creator: 'eve' });
    const list = await client.call('GET', '/characters', { token, query: { numCharacters: 100 } });
    expect((list.body as { characters: { id: number }[] }).characters.map((c) => c.id)).not.toContain(
      secret.id,
    );
    const get = await client.call('GET', '/character', { token, query: { characterId: secret.id } });
    const init = await client.call('POST', '/chat', { token, body: { characterId: secret.id } });
    // v11 declares 403 for `characters.get` only; `initialize` declares 200/400/401/429.
    expect([get.status, get.body]).toEqual(
      version === 'v11' ? [403, { error: auroraErrorText.privateCharacter }] : [400, badRequest],
    );
    expect([init.status, init.body]).toEqual([400, badRequest]);
    const eve = await client.login('eve', 'pw-eve');
    expect(
      (await client.call('POST', '/chat', { token: eve, body: { characterId: secret.id } })).status,
    ).toBe(200);
  });

  it('initializes a chat with the character’s initial response as its first message', async () => {
    const init = await client.call('POST', '/chat', { token, body: { characterId: 2 } });
    expect(init.body).toEqual({ success: true, chatId: expect.any(Number) });
    const { chatId } = init.body as { chatId: number };
    expect(emulator.messages(chatId)).toEqual([
      expect.objectContaining({
        role: 'assistant',
        content: 'Good day. Shall we discuss the Analytical Engine?',
      }),
    ]);
    const list = await client.call('GET', '/chats', { token });
    expect(list.body).toEqual({ success: true, chats: [{ characterId: 2, chatId }] });
  });

  it('rejects a chat with an unknown or string character id', async () => {
    for (const characterId of [99, '2']) {
      const response = await client.call('POST', '/chat', { token, body: { characterId } });
      expect([response.status, response.body]).toEqual([400, badRequest]);
    }
  });

  it('lists only the caller’s chats, oldest first', async () => {
    const a = emulator.createChat('ann', 1);
    emulator.createChat('eve', 1);
    const b = emulator.createChat('ann', 3);
    const list = await client.call('GET', '/chats', { token });
    expect(list.body).toEqual({
      success: true,
      chats: [
        { characterId: 1, chatId: a },
        { characterId: 3, chatId: b },
      ],
    });
  });

  it('previews the newest message, with a millisecond timestamp', async () => {
    const before = Date.now();
    const chatId = emulator.createChat('ann', 1);
    emulator.addMessage(chatId, 'user', 'latest words');
    const preview = await client.call('GET', '/chat/preview', { token, query: { chatId } });
    const body = preview.body as { content: string; timestamp: number };
    expect(body.content).toBe('latest words');
    expect(body.timestamp).toBeGreaterThanOrEqual(before);
    expect(body.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('deletes a chat with its messages; a second delete is "Invalid chat ID" (v5), the generic 400 (v11)', async () => {
    const chatId = emulator.createChat('ann', 1);
    const deleted = await client.call('DELETE', '/chat', { token, query: { chatId } });
    expect(deleted.body).toEqual({ success: true });
    expect(emulator.messages(chatId)).toEqual([]);
    expect(emulator.chats('ann')).toEqual([]);
    const again = await client.call('DELETE', '/chat', { token, query: { chatId } });
    expect([again.status, again.body]).toEqual([
      400,
      version === 'v5' ? { success: false, error: auroraErrorText.invalidChatId } : badRequest,
    ]);
  });

  it('answers someone else’s chat as its SDK declares, and 400 for a malformed id', async () => {
    const foreign = emulator.createChat('eve', 1);
    const unauthorized = { success: false, error: auroraErrorText.unauthorizedId };
    for (const [method, path] of [
      ['DELETE', '/chat'],
      ['GET', '/chat/preview'],
    ] as const) {
      const response = await client.call(method, path, { token, query: { chatId: foreign } });
      // Only v5's DELETE /chat declares "does not belong to this user"; the others, the generic 400.
      const declared = version === 'v5' && method === 'DELETE' ? [401, unauthorized] : [400, badRequest];
      expect([response.status, response.body]).toEqual(declared);
      const malformed = await client.call(method, path, { token, query: { chatId: 'abc' } });
      expect([malformed.status, malformed.body]).toEqual([400, badRequest]);
    }
    expect(emulator.chats('eve')).toHaveLength(1);
  });
});
