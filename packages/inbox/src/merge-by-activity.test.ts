import { createMessenger } from '@switchboard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeAdapter, type FakeAdapter, type FakeConversation } from '../test/fake-adapter.js';
import { createInbox } from './inbox.js';

interface AccountSeed {
  pageSize: number;
  conversations: FakeConversation[];
}

/** 1–4 accounts, each 0–25 conversations with activity times from a small range (ties are common). */
const accountsArb = (dated: boolean) =>
  fc.array(
    fc.record({
      pageSize: fc.integer({ min: 1, max: 7 }),
      times: fc.array(dated ? fc.integer({ min: 0, max: 40 }) : fc.option(fc.integer({ min: 0, max: 40 })), {
        maxLength: 25,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  );

function seedsOf(
  raw: Array<{ pageSize: number; times: Array<number | null> }>,
  sort: boolean,
): AccountSeed[] {
  return raw.map(({ pageSize, times }, a) => {
    const ordered = sort ? [...times].sort((x, y) => (y ?? 0) - (x ?? 0)) : times;
    return {
      pageSize,
      conversations: ordered.map((at, i) => ({ id: `a${a}-c${i}`, ...(at === null ? {} : { at }) })),
    };
  });
}

function inboxOf(seeds: AccountSeed[]) {
  const adapters: FakeAdapter[] = seeds.map((seed, a) =>
    createFakeAdapter(`p${a}`, seed.conversations, { pageSize: seed.pageSize }),
  );
  const inbox = createInbox({
    accounts: Object.fromEntries(adapters.map((adapter, a) => [`acct:${a}`, createMessenger(adapter)])),
    healthCheckIntervalMs: false,
  });
  return { inbox, adapters };
}

describe('inbox.conversations(): lazy k-way merge by latest activity', () => {
  it('equals a full sort of every account’s items, for random page sizes and activity times', async () => {
    await fc.assert(
      fc.asyncProperty(accountsArb(true), async (raw) => {
        const seeds = seedsOf(raw, true);
        const { inbox, adapters } = inboxOf(seeds);
        const pageSum = seeds.reduce((sum, s) => sum + s.pageSize, 0);
        const merged: string[] = [];
        let maxBuffered = 0;
        for await (const item of inbox.conversations()) {
          merged.push(item.id);
          // Fetched but not yet yielded: at most one page per account (memory O(accounts × page)).
          const fetched = adapters.reduce((sum, adapter) => sum + adapter.fetched, 0);
          maxBuffered = Math.max(maxBuffered, fetched - merged.length);
        }
        const expected = seeds
          .flatMap((seed, a) =>
            seed.conversations.map((c, i) => ({ a, i, at: c.at!, id: `acct%3A${a}:${c.id}` })),
          )
          .sort((x, y) => y.at - x.at || x.a - y.a || x.i - y.i)
          .map((x) => x.id);
        expect(merged).toEqual(expected);
        expect(maxBuffered).toBeLessThanOrEqual(pageSum);
      }),
      { numRuns: 200 },
    );
  });

  it('loses and repeats nothing and keeps each account’s own order, whatever the providers return', async () => {
    await fc.assert(
      fc.asyncProperty(accountsArb(false), async (raw) => {
        const seeds = seedsOf(raw, false);
        const { inbox } = inboxOf(seeds);
        const merged: Array<{ account: string; id: string; t: number | undefined }> = [];
        for await (const item of inbox.conversations()) {
          merged.push({ account: item.account, id: item.conversation.id, t: item.activityAt?.getTime() });
        }
        const all = seeds.flatMap((seed) => seed.conversations.map((c) => c.id));
        expect(merged.map((m) => m.id).sort()).toEqual([...all].sort());
        expect(new Set(merged.map((m) => m.id)).size).toBe(merged.length);
        seeds.forEach((seed, a) => {
          const own = merged.filter((m) => m.account === `acct:${a}`).map((m) => m.id);
          expect(own).toEqual(seed.conversations.map((c) => c.id));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('with accounts failing at random pages: exactly the items read before each failure, fully sorted', async () => {
    await fc.assert(
      fc.asyncProperty(
        accountsArb(true),
        fc.array(fc.option(fc.integer({ min: 0, max: 5 })), { minLength: 4, maxLength: 4 }),
        async (raw, failures) => {
          const seeds = seedsOf(raw, true);
          const { inbox, adapters } = inboxOf(seeds);
          adapters.forEach((adapter, a) => {
            if (failures[a] !== null) adapter.failFromPage = failures[a];
          });
          const list = inbox.conversations();
          inbox.on('error', () => {});
          const merged: string[] = [];
          for await (const item of list) merged.push(item.id);
          const readable = seeds.map((seed, a) => {
            const fail = failures[a];
            if (fail === null || fail === undefined) return seed.conversations.length;
            return Math.min(seed.conversations.length, fail * seed.pageSize);
          });
          const expected = seeds
            .flatMap((seed, a) =>
              seed.conversations
                .slice(0, readable[a])
                .map((c, i) => ({ a, i, at: c.at!, id: `acct%3A${a}:${c.id}` })),
            )
            .sort((x, y) => y.at - x.at || x.a - y.a || x.i - y.i)
            .map((x) => x.id);
          expect(merged).toEqual(expected);
          // An account is missing exactly when its list reached the failing page.
          const failed = seeds.flatMap((seed, a) => {
            const fail = failures[a];
            if (fail === null || fail === undefined) return [];
            const pages = Math.max(1, Math.ceil(seed.conversations.length / seed.pageSize));
            return fail < pages ? [[`acct:${a}`, readable[a]]] : [];
          });
          expect(list.missing.map((m) => [m.account, m.afterItems])).toEqual(expect.arrayContaining(failed));
          expect(list.missing).toHaveLength(failed.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pulls no page before it is needed: taking the newest item reads one page per account', async () => {
    const long = Array.from({ length: 50 }, (_, i) => ({ id: `c${i}`, at: 1000 - i }));
    const { inbox, adapters } = inboxOf([
      { pageSize: 5, conversations: long },
      { pageSize: 5, conversations: long },
    ]);
    for await (const _ of inbox.conversations()) break;
    expect(adapters.map((a) => a.pages)).toEqual([1, 1]);
  });
});

describe('inbox.conversations(): partial failure', () => {
  it('a failing account is left out from the failure on, named in missing, and the others complete', async () => {
    const a = Array.from({ length: 9 }, (_, i) => ({ id: `a${i}`, at: 100 - i * 2 }));
    const b = Array.from({ length: 9 }, (_, i) => ({ id: `b${i}`, at: 99 - i * 2 }));
    const { inbox, adapters } = inboxOf([
      { pageSize: 3, conversations: a },
      { pageSize: 3, conversations: b },
    ]);
    adapters[1]!.failFromPage = 1; // the second account's second page fails
    const errors: string[] = [];
    inbox.on('error', ({ account }) => errors.push(account));
    const list = inbox.conversations();
    const ids: string[] = [];
    for await (const item of list) ids.push(item.conversation.id);
    expect(ids).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
    expect(list.missing).toHaveLength(1);
    expect(list.missing[0]).toMatchObject({ account: 'acct:1', afterItems: 3 });
    expect((list.missing[0]!.error as Error).name).toBe('NetworkError');
    expect(errors).toEqual(['acct:1']);
  });

  it('an account that fails on its first page is missing with afterItems 0', async () => {
    const { inbox, adapters } = inboxOf([
      { pageSize: 3, conversations: [{ id: 'x', at: 1 }] },
      { pageSize: 3, conversations: [{ id: 'y', at: 2 }] },
    ]);
    adapters[0]!.failFromPage = 0;
    const list = inbox.conversations();
    const ids: string[] = [];
    for await (const item of list) ids.push(item.conversation.id);
    expect(ids).toEqual(['y']);
    expect(list.missing.map((m) => [m.account, m.afterItems])).toEqual([['acct:0', 0]]);
  });

  it("the caller's abort ends the iteration with the abort, not as missing accounts", async () => {
    const long = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, at: 100 - i }));
    const { inbox } = inboxOf([
      { pageSize: 2, conversations: long },
      { pageSize: 2, conversations: long },
    ]);
    const controller = new AbortController();
    const list = inbox.conversations({ signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of list) {
          seen.push(item.id);
          if (seen.length === 3) controller.abort(new Error('user left the page'));
        }
      })(),
    ).rejects.toThrow('user left the page');
    expect(seen).toHaveLength(3);
    expect(list.missing).toEqual([]);
  });

  it('filters by account and by unread', async () => {
    const { inbox } = inboxOf([
      {
        pageSize: 2,
        conversations: [
          { id: 'x1', at: 5, unread: 2 },
          { id: 'x2', at: 3 },
        ],
      },
      {
        pageSize: 2,
        conversations: [
          { id: 'y1', at: 4, unread: 1 },
          { id: 'y2', at: 1, unread: 0 },
        ],
      },
    ]);
    const ids = async (options: Parameters<typeof inbox.conversations>[0]) => {
      const out: string[] = [];
      for await (const item of inbox.conversations(options))
        out.push(`${item.conversation.id}:${item.unreadCount}`);
      return out;
    };
    expect(await ids({ accounts: ['acct:1'] })).toEqual(['y1:1', 'y2:0']);
    expect(await ids({ unreadOnly: true })).toEqual(['x1:2', 'y1:1']);
    expect(inbox.unread()).toEqual({ total: 3, byAccount: { 'acct:0': 2, 'acct:1': 1 } });
    expect(() => inbox.conversations({ accounts: ['nope'] })).toThrow(/Unknown inbox account/);
  });
});
