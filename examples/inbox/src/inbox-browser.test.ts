import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxApp, startInboxApp } from './start-inbox-app.js';

/**
 * The inbox web app in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). Without Chromium the suite is reported as skipped with the install hint; under
 * `CI=true` a missing browser is a failure (`.ci/run` installs it).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL_HINT = 'apt-get install -y chromium';
const hasChromium = existsSync(CHROMIUM);
/** Screenshots go to `.vitest/screenshots` (ignored by git); `UPDATE_SCREENSHOTS=1` refreshes the docs' copies. */
const images = fileURLToPath(
  process.env.UPDATE_SCREENSHOTS === '1'
    ? new URL('../../../docs/images/', import.meta.url)
    : new URL('../.vitest/screenshots/', import.meta.url),
);
/** Generous: two CPU cores are shared with many other processes while these tests run. */
const STEP_MS = 30_000;
const TEST_MS = 120_000;

if (!hasChromium) {
  describe('inbox web app in Chromium', () => {
    if (process.env.CI === 'true') {
      it('needs Chromium (CI=true: a missing browser is a failure)', () => {
        throw new Error(`Chromium not found at ${CHROMIUM}; install it with: ${INSTALL_HINT}`);
      });
    } else {
      it.skip(`[needs chromium] install it with: ${INSTALL_HINT}`, () => {});
    }
  });
}

describe.runIf(hasChromium)('inbox web app in Chromium', { timeout: TEST_MS }, () => {
  let app: InboxApp;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'switchboard-inbox-chromium-'));
    [app, context] = await Promise.all([
      startInboxApp(),
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1180, height: 720 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_MS);
    await page.goto(app.url);
    await page.waitForSelector('body[data-ready="true"]');
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const conversation = (account: string) => page.locator(`.conversation[data-account="${account}"]`).first();
  const outage = (account: string, down: boolean) =>
    page.evaluate(
      ([a, d]) =>
        fetch('/api/demo/outage', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ account: a, down: d }),
        }).then((r) => r.status),
      [account, down] as const,
    );

  /** Opens the account's newest conversation, sends `text`, and waits for it and the peer's answer. */
  async function sendAndSeeReply(account: string, text: string) {
    await conversation(account).click();
    await page.fill('#composer-text', text);
    await page.click('#composer button[type=submit]');
    await page.locator('.message[data-self="true"] .text', { hasText: text }).waitFor();
    await page.locator('.message[data-self="false"] .text', { hasText: `Got it: “${text}”` }).waitFor();
  }

  it('lists conversations from all four providers, latest activity first', async () => {
    await page.locator('.conversation').nth(4).waitFor();
    const rows = await page.$$eval('.conversation', (buttons) =>
      buttons.map((b) => ({
        provider: b.getAttribute('data-provider'),
        activity: b.getAttribute('data-activity'),
        unread: b.querySelector('.unread')?.textContent ?? '0',
      })),
    );
    expect(new Set(rows.map((r) => r.provider))).toEqual(
      new Set(['bluesky', 'chats-api', 'brevo', 'aurora']),
    );
    const dated = rows.filter((r) => r.activity).map((r) => Date.parse(r.activity!));
    expect(dated.length).toBeGreaterThanOrEqual(4);
    expect(dated).toEqual([...dated].sort((a, b) => b - a));
    // Conversations with no known activity time (the Aurora list has none) come after the dated ones.
    const firstUndated = rows.findIndex((r) => !r.activity);
    if (firstUndated >= 0) expect(rows.slice(firstUndated).every((r) => !r.activity)).toBe(true);
    expect(rows[0]).toMatchObject({ provider: 'bluesky', unread: '1' });
    await expect
      .poll(() => page.textContent('#totals'), { timeout: STEP_MS })
      .toMatch(/^2 unread · social 1 · team 0 · support 1 · assistant 0$/);
  });

  it.each([
    ['social', 'Friday works, see you there'],
    ['team', 'Thanks for the heads-up'],
    ['support', 'Your order left the warehouse today'],
  ])('sends on %s and sees the other party answer live', async (account, text) => {
    await sendAndSeeReply(account, text);
    // the conversation moved to the top of the merged list
    await expect.poll(() => page.getAttribute('.conversation >> nth=0', 'data-account')).toBe(account);
  });

  it('shows the Aurora reply growing token by token before it completes', async () => {
    await conversation('assistant').click();
    await page.locator('#composer').waitFor();
    // Record, in the page, the streamed reply's text every time it changes.
    await page.evaluate(() => {
      const w = window as unknown as { streamLengths: number[] };
      w.streamLengths = [];
      new MutationObserver(() => {
        const streaming = document.querySelector('.message[data-streaming="true"] .text');
        if (streaming) w.streamLengths.push(streaming.textContent?.length ?? 0);
      }).observe(document.getElementById('messages')!, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await page.fill('#composer-text', 'Tell me about the northern lights');
    await page.click('#composer button[type=submit]');
    await page.locator('.message[data-streaming="true"]').waitFor();
    // Completed: the streamed bubble is replaced by the stored reply.
    await page.locator('.message[data-streaming="true"]').waitFor({ state: 'detached' });
    const final = await page.locator('.message[data-self="false"] .text').last().textContent();
    const lengths = await page.evaluate(
      () => (window as unknown as { streamLengths: number[] }).streamLengths,
    );
    const growth = [...new Set(lengths.filter((n) => n > 0))];
    expect(growth.length).toBeGreaterThanOrEqual(2);
    expect(growth).toEqual([...growth].sort((a, b) => a - b));
    expect(growth.at(-1)).toBeLessThanOrEqual(final!.length);
    expect(growth[0]).toBeLessThan(final!.length);
    expect(final).toContain('northern lights');
  });

  it('offers reactions and mark-read only where the account declares them', async () => {
    await conversation('social').click(); // bluesky: reactions and markRead
    await page.locator('.message .react').first().waitFor();
    expect(await page.isVisible('#mark-read')).toBe(true);
    const peer = page.locator('.message[data-self="false"]').last();
    await peer.locator('.react').click();
    await expect.poll(() => peer.locator('.reactions').textContent()).toContain('👍');
    await page.click('#mark-read');
    await expect.poll(() => page.textContent('#totals')).toMatch(/social 0/);
    await mkdir(images, { recursive: true });
    await page.screenshot({ path: join(images, 'inbox.png') });

    await conversation('team').click(); // chats API: markRead, no reactions
    await page.locator('.message').first().waitFor();
    expect(await page.locator('.react').count()).toBe(0);
    expect(await page.isVisible('#mark-read')).toBe(true);

    await conversation('support').click(); // Brevo: neither
    await page.locator('.message').first().waitFor();
    expect(await page.locator('.react').count()).toBe(0);
    expect(await page.isVisible('#mark-read')).toBe(false);
  });

  it('pages older history in as the reader scrolls up', async () => {
    await page.locator('.conversation[data-account="team"]', { hasText: 'Dave' }).click();
    await page.locator('.message').nth(19).waitFor();
    const first = await page.locator('.message').count();
    expect(first).toBe(20);
    await page.evaluate(() => {
      document.getElementById('history')!.scrollTop = 0;
    });
    await expect.poll(() => page.locator('.message').count()).toBeGreaterThan(first);
    for (
      let i = 0;
      i < 5 && (await page.textContent('#older-status')) !== 'Beginning of the conversation';
      i++
    ) {
      await page.evaluate(() => {
        document.getElementById('history')!.scrollTop = 0;
      });
      await page.waitForTimeout(300); // let the scroll handler fetch; the assertion below is the check
    }
    await expect.poll(() => page.textContent('#older-status')).toBe('Beginning of the conversation');
    expect(await page.locator('.message').count()).toBe(60);
  });

  it('shows a banner when one provider goes down while the others keep working, and recovers', async () => {
    expect(await outage('social', true)).toBe(200);
    const banner = page.locator('.banner[data-account="social"]');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    await mkdir(images, { recursive: true });
    await page.screenshot({ path: join(images, 'inbox-degraded.png') });
    await sendAndSeeReply('team', 'Still reachable while Bluesky is down');

    expect(await outage('social', false)).toBe(200);
    await banner.waitFor({ state: 'detached' });
    await sendAndSeeReply('social', 'Back online');
  });
});
