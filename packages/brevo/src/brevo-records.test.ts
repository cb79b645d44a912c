import { createMemoryStateStore, InvalidRequestError, type StateStore } from '@switchboard/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { type BrevoRecords, createBrevoRecords, type StoredConversation } from './brevo-records.js';
import { type StoredMessage, visitorParticipant } from './map-brevo-message.js';

let store: StateStore;
let records: BrevoRecords;

beforeEach(() => {
  store = createMemoryStateStore();
  records = createBrevoRecords(store, { seenTtlMs: 60_000 });
});

const conversation = (visitorId: string, at: number): StoredConversation => ({
  visitorId,
  visitor: visitorParticipant(visitorId),
  agents: [],
  createdAt: at,
  updatedAt: at,
});

const message = (visitorId: string, id: string, createdAt: number): StoredMessage => ({
  id,
  visitorId,
  createdAt,
  pushed: false,
  sender: visitorParticipant(visitorId),
  text: id,
  attachments: [],
  raw: {},
});

async function seed(visitorId: string, count: number, at = 1_000) {
  await records.upsertConversation(
    visitorId,
    () => conversation(visitorId, at),
    (c) => c,
  );
  for (let i = 0; i < count; i += 1)
    await records.putMessage(message(visitorId, `${visitorId}-${i}`, at + i));
}

async function allPages<T>(list: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>) {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

describe('brevo records', () => {
  it('pages messages newest first, each exactly once, with opaque cursors', async () => {
    await seed('v', 7);
    const pages = await allPages((cursor) =>
      records.listMessages('v', { limit: 3, ...(cursor && { cursor }) }),
    );
    expect(pages.map((page) => page.map((m) => m.id))).toEqual([
      ['v-6', 'v-5', 'v-4'],
      ['v-3', 'v-2', 'v-1'],
      ['v-0'],
    ]);
    const first = await records.listMessages('v', { limit: 3 });
    expect(first.nextCursor).not.toContain('v-');
  });

  it('has no next cursor when the last page is exactly full', async () => {
    await seed('v', 4);
    const pages = await allPages((cursor) =>
      records.listMessages('v', { limit: 2, ...(cursor && { cursor }) }),
    );
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
  });

  it('keeps visitors apart, even when one id prefixes another', async () => {
    await seed('a', 2);
    await seed('a:b', 2);
    expect((await records.listMessages('a', { limit: 10 })).items.map((m) => m.id)).toEqual(['a-1', 'a-0']);
  });

  it('rejects a cursor that is not ours, or from another list', async () => {
    await seed('a', 3);
    await seed('b', 3);
    const cursor = (await records.listMessages('a', { limit: 1 })).nextCursor!;
    await expect(records.listMessages('b', { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(records.listMessages('a', { limit: 1, cursor: 'garbage' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('lists conversations by latest activity, skipping stale index entries', async () => {
    await seed('old', 1, 1_000);
    await seed('new', 1, 2_000);
    await records.putMessage(message('old', 'late', 3_000));
    const pages = await allPages((cursor) =>
      records.listConversations({ limit: 1, ...(cursor && { cursor }) }),
    );
    expect(pages.flat().map((c) => c.visitorId)).toEqual(['old', 'new']);
    expect(await store.indexSize('brevo:{default}:activity')).toBe(2);
  });

  it('replaces a message recorded twice and moves lastMessage back when the newest is removed', async () => {
    await seed('v', 2);
    await records.putMessage({ ...message('v', 'v-1', 1_001), text: 'edited' });
    expect((await records.listMessages('v', { limit: 10 })).items.map((m) => m.text)).toEqual([
      'edited',
      'v-0',
    ]);
    expect((await records.getConversation('v'))?.lastMessage?.text).toBe('edited');
    expect((await records.removeMessage('v-1', 'v'))?.id).toBe('v-1');
    expect((await records.getConversation('v'))?.lastMessage?.id).toBe('v-0');
    expect(await records.getMessage('v-1')).toBeUndefined();
    expect(await records.removeMessage('v-1', 'v')).toBeUndefined();
  });

  it('leaves a tombstone on removal: the deleted message is never recorded again (within the TTL)', async () => {
    await seed('v', 2);
    const deleted = message('v', 'v-1', 1_001);
    await records.removeMessage('v-1', 'v');
    expect(await records.isDeleted('v-1')).toBe(true);
    expect(await records.putMessage(deleted)).toBeUndefined();
    expect(await records.getMessage('v-1')).toBeUndefined();
    expect((await records.listMessages('v', { limit: 10 })).items.map((m) => m.id)).toEqual(['v-0']);
    // A tombstone is left even for a message never recorded here (deleted before its webhook arrived).
    await records.removeMessage('never-seen', 'v');
    expect(await records.putMessage(message('v', 'never-seen', 2_000))).toBeUndefined();
    expect(await records.getMessage('never-seen')).toBeUndefined();
  });

  it('marks a message id seen once until unmarked', async () => {
    expect(await records.markSeen('m')).toBe(true);
    expect(await records.markSeen('m')).toBe(false);
    await records.unmarkSeen('m');
    expect(await records.markSeen('m')).toBe(true);
  });

  it('stays consistent with several writers on one store (instances): one creation per conversation, none lost, lastMessage newest', async () => {
    const instances = [
      records,
      createBrevoRecords(store, { seenTtlMs: 60_000 }),
      createBrevoRecords(store, { seenTtlMs: 60_000 }),
    ];
    const created: string[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, v) => `visitor-${v}`).flatMap((visitorId, v) =>
        instances.map(async (instance, i) => {
          const result = await instance.upsertConversation(
            visitorId,
            () => conversation(visitorId, 1_000),
            (c) => c,
          );
          if (result.created) created.push(visitorId);
          await instance.putMessage(message(visitorId, `${visitorId}-m${i}`, 2_000 + v * 10 + i));
        }),
      ),
    );
    expect(created.sort()).toEqual(Array.from({ length: 30 }, (_, v) => `visitor-${v}`).sort());
    const listed = (
      await allPages((cursor) => records.listConversations({ limit: 7, ...(cursor && { cursor }) }))
    ).flat();
    expect(listed.map((c) => c.visitorId)).toEqual(Array.from({ length: 30 }, (_, v) => `visitor-${29 - v}`));
    for (const c of listed) expect(c.lastMessage?.id).toBe(`${c.visitorId}-m2`);
  });

  it('records a delivered message and its dedupe mark in one step: a duplicate writes nothing', async () => {
    await seed('v', 0);
    expect(await records.putMessageOnce(message('v', 'd1', 5_000))).toBe(true);
    expect(await records.putMessageOnce({ ...message('v', 'd1', 5_000), text: 'again' })).toBe(false);
    expect((await records.getMessage('d1'))?.text).toBe('d1');
    expect(await records.markSeen('d1')).toBe(false);
  });
});
