import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText } from './aurora-error-bodies.js';
import type { AuroraApiVersion } from './aurora-http.js';
import { defaultAuroraModel } from './aurora-model.js';
import { auroraTestClient, contents } from './aurora-test-client.js';

describe.each<AuroraApiVersion>(['v11', 'v5'])('Aurora emulator %s: POST /message', (version) => {
  let emulator: AuroraEmulator;
  let client: ReturnType<typeof auroraTestClient>;
  let token: string;
  let chatId: number;
  const ada = { id: 2, name: 'Ada Lovelace', description: 'Mathematician and first programmer.' };
  beforeEach(async () => {
    emulator = await startAuroraEmulator({ users: [{ username: 'ann', password: 'pw-ann', quotaMax: 3 }] });
    client = auroraTestClient(emulator.url, version);
    token = await client.login('ann', 'pw-ann');
    chatId = emulator.createChat('ann', ada.id);
  });
  afterEach(() => emulator.close());

  it('streams the reply as SSE `data: {"content": …}` events that join into the model’s reply', async () => {
    const stream = await client.send(token, { characterId: ada.id, chatId, message: 'Hello there, Ada' });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(stream.error).toBeUndefined();
    expect(stream.events.length).toBeGreaterThan(2);
    for (const event of stream.events) {
      expect(event.event).toBeUndefined();
      expect(Object.keys(JSON.parse(event.data))).toEqual(['content']);
    }
    const reply = defaultAuroraModel({ character: ada, message: 'Hello there, Ada' });
    expect(contents(stream).join('')).toBe(reply);
  });

  it('frames the raw body as `data: <json>` lines, each event ended by a blank line', async () => {
    const response = await fetch(`${emulator.url}/api/${version}/message`, {
      method: 'POST',
      headers: { 'x-access-token': token, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ characterId: ada.id, chatId, message: 'raw' }),
    });
    expect(await response.text()).toMatch(/^(data: \{"content":"[^\n]*"\}\n\n)+$/);
  });

  it('persists the user’s turn and the complete reply, in order', async () => {
    await client.send(token, { characterId: ada.id, chatId, message: 'first' });
    await client.send(token, { characterId: ada.id, chatId, message: 'second' });
    expect(emulator.messages(chatId).map((m) => [m.role, m.content])).toEqual([
      ['assistant', 'Good day. Shall we discuss the Analytical Engine?'],
      ['user', 'first'],
      ['assistant', defaultAuroraModel({ character: ada, message: 'first' })],
      ['user', 'second'],
      ['assistant', defaultAuroraModel({ character: ada, message: 'second' })],
    ]);
  });

  it('keeps JSON framing for replies with newlines, quotes and non-BMP characters', async () => {
    await emulator.close();
    emulator = await startAuroraEmulator({
      users: [{ username: 'ann', password: 'pw-ann' }],
      model: ({ message }) => `line one\ndata: "not an event"\n\n🦊 ${message}`,
    });
    client = auroraTestClient(emulator.url, version);
    token = await client.login('ann', 'pw-ann');
    chatId = emulator.createChat('ann', 1);
    const stream = await client.send(token, { characterId: 1, chatId, message: 'x' });
    expect(contents(stream).join('')).toBe('line one\ndata: "not an event"\n\n🦊 x');
  });

  it('cuts the connection mid-stream on failNextStream: k events, a read error, and no stored reply', async () => {
    emulator.failNextStream({ afterChunks: 2 });
    const stream = await client.send(token, { characterId: ada.id, chatId, message: 'cut me' });
    expect(stream.status).toBe(200);
    expect(stream.events).toHaveLength(2);
    expect(stream.error).toBeDefined();
    expect(emulator.messages(chatId).map((m) => m.role)).toEqual(['assistant', 'user']);
    const next = await client.send(token, { characterId: ada.id, chatId, message: 'again' });
    expect(next.error).toBeUndefined();
  });

  it('cuts even after the last chunk, so a complete-looking reply still ends in an error', async () => {
    emulator.failNextStream({ afterChunks: 1_000 });
    const stream = await client.send(token, { characterId: ada.id, chatId, message: 'hi' });
    expect(contents(stream).join('')).toBe(defaultAuroraModel({ character: ada, message: 'hi' }));
    expect(stream.error).toBeDefined();
  });

  it('answers the quota literal once the quota is used up (429 in v11, 402 in v5)', async () => {
    for (let i = 0; i < 3; i += 1)
      await client.send(token, { characterId: ada.id, chatId, message: `m${i}` });
    const over = await client.call('POST', '/message', {
      token,
      body: { characterId: ada.id, chatId, message: 'one too many' },
    });
    expect([over.status, over.body]).toEqual(
      version === 'v11'
        ? [429, { success: false, error: auroraErrorText.quotaExceeded }]
        : [402, { success: false, error: auroraErrorText.accountInBadStanding }],
    );
    expect(emulator.messages(chatId).filter((m) => m.content === 'one too many')).toEqual([]);
  });

  it('rejects a mismatched character, an empty message, or a string chat id with 400', async () => {
    for (const body of [
      { characterId: 1, chatId, message: 'x' },
      { characterId: ada.id, chatId, message: '' },
      { characterId: ada.id, chatId: String(chatId), message: 'x' },
    ]) {
      const response = await client.call('POST', '/message', { token, body });
      expect([response.status, response.body]).toEqual([
        400,
        { success: false, error: auroraErrorText.badRequest },
      ]);
    }
    expect(emulator.messages(chatId)).toHaveLength(1);
  });
});

describe('Aurora emulator: slow streams', () => {
  it('paces chunks by chunkDelayMs and close() ends a stream in progress', async () => {
    const emulator = await startAuroraEmulator({ chunkDelayMs: 60_000 });
    const client = auroraTestClient(emulator.url, 'v11');
    const token = await client.login('aurora-user', 'aurora-password');
    const chatId = emulator.createChat('aurora-user', 1);
    const pending = client.send(token, { characterId: 1, chatId, message: 'slow' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await emulator.close();
    const stream = await pending;
    expect(stream.events).toEqual([]);
    expect(stream.error).toBeDefined();
    expect(emulator.messages(chatId).map((m) => m.role)).toEqual(['assistant', 'user']);
  });

  it('accepts seed-era messageContext on v5 only', async () => {
    const emulator = await startAuroraEmulator();
    try {
      const chatId = emulator.createChat('aurora-user', 1);
      const body = {
        characterId: 1,
        chatId,
        message: 'hi',
        messageContext: [{ role: 'user', content: 'hi' }],
      };
      const v5 = auroraTestClient(emulator.url, 'v5');
      const token = await v5.login('aurora-user', 'aurora-password');
      expect((await v5.send(token, body)).status).toBe(200);
      expect(
        (await auroraTestClient(emulator.url, 'v11').call('POST', '/message', { token, body })).status,
      ).toBe(400);
    } finally {
      await emulator.close();
    }
  });
});
