import { describe, expect, it } from 'vitest';
import { capabilitiesWith, everyGroupCapability, ownMessage } from '../test/capabilities-fixture.js';
import { type CapabilitiesInput, defineCapabilities } from './capabilities.js';
import type { ChatAdapter } from './chat-adapter.js';
import { InvalidRequestError, NetworkError, UnsupportedOperationError } from './errors.js';
import { createMessenger } from './messenger.js';
import type { Conversation, Message, Participant } from './model.js';

const base = capabilitiesWith({
  openConversation: 'direct-and-group',
  pageSize: { min: 1, max: 100, default: 50 },
});

const groups = everyGroupCapability;

const conversation = (title?: string): Conversation => ({
  id: 'c1',
  provider: 'fake',
  kind: 'group',
  participants: [],
  raw: {},
  ...(title ? { title } : {}),
});

const message = (id: string, conversationId: string, text: string): Message =>
  ownMessage(id, { conversationId, text });

function fake(capabilities: Partial<CapabilitiesInput>, failBatch?: number) {
  const calls: unknown[][] = [];
  let batches = 0;
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'fake',
    capabilities: defineCapabilities({ ...base, ...capabilities }),
    async sendMessage(conversationId, outgoing) {
      return message('m', conversationId, outgoing.text);
    },
    async openConversation(params) {
      calls.push(['openConversation', params]);
      return conversation(params.title);
    },
    async addParticipants(id, ids) {
      calls.push(['addParticipants', id, ids]);
      return conversation();
    },
    async removeParticipants(id, ids) {
      calls.push(['removeParticipants', id, ids]);
      return conversation();
    },
    async updateConversation(id, update) {
      calls.push(['updateConversation', id, update]);
      return conversation(update.title);
    },
    async acceptConversation(id) {
      calls.push(['acceptConversation', id]);
      return true;
    },
    async listParticipants(id, params) {
      calls.push(['listParticipants', id, params.cursor]);
      const start = Number(params.cursor ?? 0);
      const items: Participant[] = Array.from({ length: Math.min(2, 5 - start) }, (_, i) => ({
        id: `p${start + i}`,
        kind: 'user',
        isSelf: false,
      }));
      return start + 2 < 5 ? { items, nextCursor: String(start + 2) } : { items };
    },
    async sendMessageBatch(items) {
      batches += 1;
      calls.push(['sendMessageBatch', items.length]);
      if (batches === failBatch) throw new NetworkError('connection reset', { provider: 'fake' });
      return items.map((item, i) => message(`b${batches}-${i}`, item.conversationId, item.message.text));
    },
  };
  return { messenger: createMessenger(adapter), calls };
}

describe('Messenger group methods', () => {
  it('call the adapter with the validated input', async () => {
    const { messenger, calls } = fake(groups);
    await messenger.openConversation({ participants: ['a', 'b'], title: 'Team' });
    await messenger.addParticipants('c1', ['x']);
    await messenger.removeParticipants('c1', ['x']);
    expect((await messenger.updateConversation('c1', { title: 'New' })).title).toBe('New');
    expect(await messenger.acceptConversation('c1')).toBe(true);
    expect(calls).toEqual([
      ['openConversation', { participantIds: ['a', 'b'], title: 'Team' }],
      ['addParticipants', 'c1', ['x']],
      ['removeParticipants', 'c1', ['x']],
      ['updateConversation', 'c1', { title: 'New' }],
      ['acceptConversation', 'c1'],
    ]);
  });

  it('page through every participant once', async () => {
    const { messenger, calls } = fake(groups);
    const ids: string[] = [];
    for await (const participant of messenger.participants('c1', { limit: 2 })) ids.push(participant.id);
    expect(ids).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(calls.filter((c) => c[0] === 'listParticipants')).toHaveLength(3);
  });

  it('reject bad input before any request', async () => {
    const { messenger, calls } = fake(groups);
    await expect(messenger.addParticipants('c1', [])).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(messenger.addParticipants('c1', ['a', 'a'])).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(messenger.removeParticipants(' c1', ['a'])).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(messenger.updateConversation('c1', {})).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(messenger.updateConversation('c1', { title: '  ' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(messenger.openConversation({ participants: ['a'], title: '' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(messenger.listParticipants('c1', { limit: 0 })).rejects.toBeInstanceOf(InvalidRequestError);
    const bad = messenger.sendBatch([
      { conversationId: 'c1', message: 'ok' },
      { conversationId: 'c2', message: 'far too long for ten' },
    ]);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_request', issues: [{ path: 'items.1.text' }] });
    expect(calls).toEqual([]);
  });

  it('refuse what the manifest leaves out, with no request', async () => {
    const { messenger, calls } = fake({ openConversation: 'direct' });
    for (const call of [
      () => messenger.addParticipants('c1', ['a']),
      () => messenger.removeParticipants('c1', ['a']),
      () => messenger.updateConversation('c1', { title: 'x' }),
      () => messenger.acceptConversation('c1'),
      () => messenger.listParticipants('c1'),
      () => messenger.sendBatch([{ conversationId: 'c1', message: 'hi' }]),
    ])
      await expect(call()).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(messenger.openConversation({ participants: ['a'], title: 'Team' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(messenger.supports('sendBatch')).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('Messenger.sendBatch', () => {
  it('splits into calls of maxBatchSize and returns one result per item, in order', async () => {
    const { messenger, calls } = fake(groups);
    const items = Array.from({ length: 7 }, (_, i) => ({ conversationId: `c${i % 2}`, message: `t${i}` }));
    const results = await messenger.sendBatch(items);
    expect(calls).toEqual([
      ['sendMessageBatch', 3],
      ['sendMessageBatch', 3],
      ['sendMessageBatch', 1],
    ]);
    expect(results.map((r) => (r.status === 'sent' ? r.message.text : 'failed'))).toEqual(
      items.map((item) => item.message),
    );
    expect(results.map((r) => r.conversationId)).toEqual(items.map((item) => item.conversationId));
  });

  it('fails every item of a failed (all-or-nothing) call with its error, and sends the other calls', async () => {
    const { messenger } = fake(groups, 2);
    const items = Array.from({ length: 7 }, (_, i) => ({ conversationId: 'c1', message: `t${i}` }));
    const results = await messenger.sendBatch(items);
    expect(results.map((r) => r.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'failed',
      'failed',
      'failed',
      'sent',
    ]);
    const failed = results[3]!;
    expect(failed.status === 'failed' && failed.error).toBeInstanceOf(NetworkError);
  });
});
