import { describe, expect, it } from 'vitest';
import { demoProviders } from './providers/index.js';
import { type Output, runQuickstart } from './quickstart-app.js';

/** `pnpm demo` on every provider's emulator: the same app, a full conversation each time. */
describe.each(demoProviders.map((provider) => [provider.name, provider] as const))(
  'quickstart on %s',
  (name, provider) => {
    it('connects, sends, receives the reply in realtime and reads the history back', async () => {
      const lines: string[] = [];
      let partial = '';
      const out: Output = { line: (text) => lines.push(text), write: (chunk) => (partial += chunk) };
      const previous = { id: process.env.BLUESKY_IDENTIFIER, password: process.env.BLUESKY_APP_PASSWORD };
      delete process.env.BLUESKY_IDENTIFIER; // always the emulator here, never bsky.social
      delete process.env.BLUESKY_APP_PASSWORD;
      try {
        await runQuickstart(await provider.setup(), out);
      } finally {
        if (previous.id !== undefined) process.env.BLUESKY_IDENTIFIER = previous.id;
        if (previous.password !== undefined) process.env.BLUESKY_APP_PASSWORD = previous.password;
      }
      const text = lines.join('\n');
      expect(lines[0]).toMatch(new RegExp(`^▶ ${name}: `));
      expect(text).toContain('→ me: Hello from Switchboard');
      expect(text).toMatch(/^← .+: .+/m);
      const transcript = lines.slice(lines.findIndex((l) => l.startsWith('Transcript')) + 1);
      expect(transcript.some((l) => / me: Hello from Switchboard/.test(l))).toBe(true);
      expect(transcript.length).toBeGreaterThanOrEqual(2);
      if (partial) expect(partial).toContain('(streaming)');
      if (name === 'bluesky' || name === 'chats-api') {
        expect(text).toMatch(/^Group conversation .+ "Switchboard demo group" \(group\) with /m);
        expect(text).toContain('→ me (group): Hi all 👋');
      } else expect(text).toMatch(/^Groups: skipped — /m);
      if (name === 'bluesky')
        expect(text).toContain('✓ sendBatch: 2 of 2 sent in 1 call(s) (all-or-nothing)');
    });
  },
);
