import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/require-brevo.cjs', import.meta.url));

describe('CommonJS consumers', () => {
  beforeAll(async () => {
    // Build what `require` loads: the `dist` of each package (its `exports` default condition).
    // Core's dist is built by `pnpm build` (CI builds before testing); build it only when absent.
    if (!existsSync(`${packageDir('core')}/dist/index.js`))
      await run('npx', ['tsup', '--silent'], { cwd: packageDir('core') });
    // JavaScript only: type declarations are not needed to require() it, and would need core's.
    await run(
      'npx',
      ['tsup', 'src/index.ts', '--no-config', '--format', 'esm', '--target', 'node20', '--silent'],
      {
        cwd: packageDir('brevo'),
      },
    );
  }, 120_000);

  it("require('@switchboard/brevo') works from a .cjs file", async () => {
    const { stdout } = await run(process.execPath, [fixture], {
      cwd: packageDir('brevo'),
      env: { ...process.env, BREVO_API_KEY: '', BREVO_WEBHOOK_SECRET: '' },
    });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'brevo',
      realtime: 'webhook',
      tokenParam: 'token',
      missingCredentials: true,
    });
  });
});
