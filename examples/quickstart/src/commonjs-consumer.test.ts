import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('..', import.meta.url));
const tsup = fileURLToPath(new URL('../../../node_modules/.bin/tsup', import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/require-switchboard.cjs', import.meta.url));

/**
 * Every package is ESM-only; Node ≥ 20.19 lets CommonJS `require()` it. This builds each package's
 * `dist` (what `require` loads: the `exports` default condition), core first, then loads them all
 * from a `.cjs` file.
 */
describe('CommonJS consumers', () => {
  beforeAll(async () => {
    const build = (name: string) => run(tsup, ['--silent'], { cwd: `${root}packages/${name}` });
    await build('core');
    await Promise.all(['bluesky', 'chats-api', 'brevo', 'aurora'].map(build));
  }, 180_000);

  it('require() loads @switchboard/core, core/http and every adapter from a .cjs file', async () => {
    const { stdout } = await run(process.execPath, [fixture], { cwd: here });
    expect(JSON.parse(stdout)).toEqual({
      providers: ['bluesky', 'chats-api', 'brevo', 'aurora'],
      textLimits: [1000, 4000, 10000, 4096],
      httpToolkit: 'function',
      missingCredentials: true,
    });
  });
});
