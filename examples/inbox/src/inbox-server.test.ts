import type { AccountHealth, InboxMessage } from '@switchboard/inbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxApp, startInboxApp } from './start-inbox-app.js';

/** The web app's JSON API over HTTP, without a browser (the page itself: inbox-browser.test.ts). */
describe('inbox web app: JSON API', { timeout: 60_000 }, () => {
  let app: InboxApp;
  beforeAll(async () => {
    app = await startInboxApp();
  }, 120_000);
  afterAll(() => app?.close());

  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${app.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const health = (account: string, state: AccountHealth['state']) =>
    new Promise<AccountHealth>((resolve) => {
      const on = (h: AccountHealth) => {
        if (h.account === account && h.state === state) {
          app.inbox.off('health', on);
          resolve(h);
        }
      };
      app.inbox.on('health', on);
    });

  it('serves the page, the accounts with their manifests, and the merged list', async () => {
    const page = await fetch(app.url);
    expect(await page.text()).toContain('<ol id="messages" role="log"');
    const script = await fetch(`${app.url}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    const { json: accounts } = await call('/api/accounts');
    const list = accounts.accounts as Array<{
      account: string;
      provider: string;
      capabilities: { reactions: boolean };
    }>;
    expect(list.map((a) => [a.account, a.provider, a.capabilities.reactions])).toEqual([
      ['social', 'bluesky', true],
      ['team', 'chats-api', false],
      ['support', 'brevo', false],
      ['assistant', 'aurora', false],
    ]);
    const { json } = await call('/api/conversations');
    const items = json.items as Array<{ provider: string; activityAt?: string }>;
    expect(new Set(items.map((i) => i.provider)).size).toBe(4);
    const dated = items.filter((i) => i.activityAt).map((i) => Date.parse(i.activityAt!));
    expect(dated).toEqual([...dated].sort((a, b) => b - a));
    expect(json.missing).toEqual([]);
  });

  it('sends through the right account and the emulated person answers', async () => {
    const { json } = await call('/api/conversations');
    const support = (json.items as Array<{ id: string; account: string }>).find(
      (i) => i.account === 'support',
    )!;
    const answer = new Promise<InboxMessage>((resolve) =>
      app.inbox.on('message', (m) => m.account === 'support' && !m.message.sender.isSelf && resolve(m)),
    );
    const sent = await call('/api/send', { ref: support.id, text: 'We are on it' });
    expect(sent.status).toBe(200);
    expect(sent.json.message).toMatchObject({ conversation: support.id, text: 'We are on it' });
    expect((await answer).message.text).toBe('Got it: “We are on it”');
  });

  it('answers bad refs with 400 and undeclared operations with 409, before any request', async () => {
    const bad = await call('/api/send', { ref: 'nobody:1', text: 'hi' });
    expect([bad.status, (bad.json.error as { code: string }).code]).toEqual([400, 'invalid_request']);
    const { json } = await call('/api/conversations');
    const team = (json.items as Array<{ id: string; account: string }>).find((i) => i.account === 'team')!;
    const react = await call('/api/react', { ref: `${team.id}:1`, value: '👍' });
    expect([react.status, (react.json.error as { code: string }).code]).toEqual([
      409,
      'unsupported_operation',
    ]);
  });

  it('an emulator going down degrades its account only; bringing it back recovers it', async () => {
    const degraded = health('support', 'degraded');
    expect((await call('/api/demo/outage', { account: 'support', down: true })).status).toBe(200);
    expect((await degraded).lastError).toMatchObject({ code: 'network' });
    const { json } = await call('/api/accounts');
    const states = (json.accounts as Array<{ account: string; health: { state: string } }>).map((a) => [
      a.account,
      a.health.state,
    ]);
    expect(states).toEqual([
      ['social', 'connected'],
      ['team', 'connected'],
      ['support', 'degraded'],
      ['assistant', 'connected'],
    ]);
    const recovered = health('support', 'connected');
    await call('/api/demo/outage', { account: 'support', down: false });
    await recovered;
  });
});
