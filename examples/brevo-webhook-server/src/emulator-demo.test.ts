import { describe, expect, it } from 'vitest';
import { runEmulatorDemo } from './emulator-demo.js';

describe('brevo webhook server example', () => {
  it('receives the visitor through the webhook server and answers', async () => {
    const lines: string[] = [];
    await runEmulatorDemo((line) => lines.push(line));
    expect(lines[0]).toMatch(/^Webhook server at http:\/\/127\.0\.0\.1:\d+\/webhooks\/brevo/);
    expect(lines).toContain('← Jane: Hello, is anyone there?');
    expect(lines).toContain('→ Thanks Jane! An agent will answer shortly.');
    expect(lines.slice(-2)).toEqual([
      '  Jane: Hello, is anyone there?',
      '  bot: Thanks Jane! An agent will answer shortly.',
    ]);
  });
});
