import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/require-switchboard.cjs', import.meta.url));

describe('CommonJS consumers', () => {
  beforeAll(async () => {
    // Build what `require` loads: each package's `dist` (its `exports` default condition).
    await Promise.all(
      ['core', 'bluesky'].map((name) => run('npx', ['tsup', '--silent'], { cwd: packageDir(name) })),
    );
  }, 120_000);

  it("require('@switchboard/core') and require('@switchboard/bluesky') work from a .cjs file", async () => {
    const { stdout } = await run(process.execPath, [fixture], { cwd: packageDir('bluesky') });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'bluesky',
      maxTextLength: 1000,
      supportsEdit: false,
      missingCredentials: true,
    });
  });
});
