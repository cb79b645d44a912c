import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auroraUsers } from '../../test/test-accounts.js';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText } from './aurora-error-bodies.js';
import { auroraTestClient } from './aurora-test-client.js';

interface V11Page {
  messages: { id: number; role: string; content: string; timestamp: number }[];
  endOfList: boolean;
}

let emulator: AuroraEmulator;
let chatId: number;
beforeEach(async () => {
  emulator = await startAuroraEmulator({ users: auroraUsers('ann', 'eve') });
  chatId = emulator.createChat('ann', 1);
});
afterEach(() => emulator.close());

describe('Aurora emulator v11: GET /messages', () => {
  it('pages newest first; `from` is the newest id to include', async () => {
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('ann', 'pw-ann');
    emulator.seedMessages(chatId, 5, 'm');
    const first = (await client.call('GET', '/messages', { token, query: { chatId, numMessages: 4 } }))
      .body as V11Page;
    expect(first.messages.map((m) => m.content)).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(first.endOfList).toBe(false);
    const from = first.messages.at(-1)!.id - 1;
    const second = (await client.call('GET', '/messages', { token, query: { chatId, numMessages: 4, from } }))
      .body as V11Page;
    expect(second.messages.map((m) => m.content)).toEqual([
      'm0',
      "Hi! I'm Aurora. What would you like to talk about?",
    ]);
    expect(second.endOfList).toBe(true);
    expect(Object.keys(second.messages[0]!).sort()).toEqual(['content', 'id', 'role', 'timestamp']);
  });

  it('keeps a `from` cursor valid after the message it names is deleted', async () => {
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('ann', 'pw-ann');
    emulator.seedMessages(chatId, 4, 'm');
    const [, m0, m1] = emulator.messages(chatId);
    await client.call('DELETE', '/message', { token, query: { messageId: m1!.id } });
    const page = (
      await client.call('GET', '/messages', { token, query: { chatId, numMessages: 1, from: m1!.id } })
    ).body as V11Page;
    expect(page.messages.map((m) => m.content)).toEqual([m0!.content]);
  });

  it('pages a 100,000-message chat exactly once, in order', async () => {
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('ann', 'pw-ann');
    emulator.seedMessages(chatId, 100_000, 'm');
    const seen: string[] = [];
    let from: number | undefined;
    for (let page = 0; page < 3; page += 1) {
      const query = { chatId, numMessages: 100, ...(from === undefined ? {} : { from }) };
      const body = (await client.call('GET', '/messages', { token, query })).body as V11Page;
      seen.push(...body.messages.map((m) => m.content));
      from = body.messages.at(-1)!.id - 1;
    }
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => `m${99_999 - i}`));
  });

  it('rejects a missing or oversized numMessages and a malformed `from`', async () => {
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('ann', 'pw-ann');
    for (const query of [{ chatId }, { chatId, numMessages: 101 }, { chatId, numMessages: 5, from: '-1' }]) {
      const response = await client.call('GET', '/messages', { token, query });
      expect([response.status, response.body]).toEqual([
        400,
        { success: false, error: auroraErrorText.badRequest },
      ]);
    }
  });

  it('saves a message with the client’s timestamp and returns its id', async () => {
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('ann', 'pw-ann');
    const body = { role: 'system', content: 'Be brief.', timestamp: 1_700_000_000_000, chatId };
    const saved = await client.call('POST', '/message/save', { token, body });
    expect(saved.body).toEqual({ success: true, id: expect.any(Number) });
    expect(emulator.messages(chatId).at(-1)).toMatchObject({
      ...body,
      id: (saved.body as { id: number }).id,
    });
    const bad = await client.call('POST', '/message/save', { token, body: { ...body, role: 'robot' } });
    expect(bad.status).toBe(400);
  });
});

describe('Aurora emulator v5: GET /message/history', () => {
  it('returns the whole chat oldest first, without ids', async () => {
    const client = auroraTestClient(emulator.url, 'v5');
    const token = await client.login('ann', 'pw-ann');
    emulator.seedMessages(chatId, 3, 'm');
    const response = await client.call('GET', '/message/history', { token, query: { chatId } });
    const body = response.body as { success: boolean; chatHistory: Record<string, unknown>[] };
    expect(body.chatHistory.map((m) => m.content)).toEqual([
      "Hi! I'm Aurora. What would you like to talk about?",
      'm0',
      'm1',
      'm2',
    ]);
    expect(Object.keys(body.chatHistory[0]!).sort()).toEqual(['content', 'role', 'timestamp']);
    expect((await client.call('GET', '/messages', { token, query: { chatId, numMessages: 5 } })).status).toBe(
      404,
    );
  });

  it('saves without returning an id', async () => {
    const client = auroraTestClient(emulator.url, 'v5');
    const token = await client.login('ann', 'pw-ann');
    const body = { role: 'user', content: 'saved', timestamp: 1, chatId };
    expect((await client.call('POST', '/message/save', { token, body })).body).toEqual({ success: true });
  });
});

describe.each(['v11', 'v5'] as const)('Aurora emulator %s: DELETE /message', (version) => {
  it('deletes the caller’s message; unknown → "Invalid message ID", foreign → 401 (v5), both the generic 400 (v11)', async () => {
    const client = auroraTestClient(emulator.url, version);
    const token = await client.login('ann', 'pw-ann');
    const [greeting] = emulator.messages(chatId);
    const deleted = await client.call('DELETE', '/message', { token, query: { messageId: greeting!.id } });
    expect(deleted.body).toEqual({ success: true });
    expect(emulator.messages(chatId)).toEqual([]);
    const again = await client.call('DELETE', '/message', { token, query: { messageId: greeting!.id } });
    const generic = { success: false, error: auroraErrorText.badRequest };
    expect([again.status, again.body]).toEqual([
      400,
      version === 'v5' ? { success: false, error: auroraErrorText.invalidMessageId } : generic,
    ]);
    const foreign = emulator.messages(emulator.createChat('eve', 2))[0]!;
    const denied = await client.call('DELETE', '/message', { token, query: { messageId: foreign.id } });
    expect([denied.status, denied.body]).toEqual(
      version === 'v5' ? [401, { success: false, error: auroraErrorText.unauthorizedId }] : [400, generic],
    );
  });

  it('answers someone else’s history with 401 "does not belong to this user" (v5), the generic 400 (v11)', async () => {
    const client = auroraTestClient(emulator.url, version);
    const token = await client.login('eve', 'pw-eve');
    const path = version === 'v11' ? '/messages' : '/message/history';
    const response = await client.call('GET', path, { token, query: { chatId, numMessages: 10 } });
    expect([response.status, response.body]).toEqual(
      version === 'v5'
        ? [401, { success: false, error: auroraErrorText.unauthorizedId }]
        : [400, { success: false, error: auroraErrorText.badRequest }],
    );
  });
});
