import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/require-chats-api.cjs', import.meta.url));

describe('CommonJS consumers', () => {
  beforeAll(async () => {
    // Build what `require` loads: each package's `dist` (its `exports` default condition).
    await Promise.all(
      ['core', 'chats-api'].map((name) => run('npx', ['tsup', '--silent'], { cwd: packageDir(name) })),
    );
  }, 120_000);

  it("require('@switchboard/chats-api') works from a .cjs file", async () => {
    const env = { ...process.env, CHATS_API_USERNAME: '', CHATS_API_PASSWORD: '', CHATS_API_TOKEN: '' };
    const { stdout } = await run(process.execPath, [fixture], { cwd: packageDir('chats-api'), env });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'chats-api',
      maxTextLength: 4000,
      realtime: 'websocket',
      missingCredentials: true,
    });
  });
});
