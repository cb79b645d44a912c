/**
 * `pnpm demo` — runs the quickstart app on each provider's built-in emulator (no credentials).
 *
 *   pnpm demo                      every provider in turn
 *   pnpm demo --provider bluesky   one provider (bluesky, chats-api, brevo, aurora)
 *
 * With BLUESKY_IDENTIFIER and BLUESKY_APP_PASSWORD set, the Bluesky run uses bsky.social instead.
 */
import { parseArgs } from 'node:util';
import { demoProviders } from './providers/index.js';
import { runQuickstart } from './quickstart-app.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const { values } = parseArgs({ args, options: { provider: { type: 'string', short: 'p' } } });
const selected = values.provider ? demoProviders.filter((p) => p.name === values.provider) : demoProviders;
if (selected.length === 0) {
  console.error(
    `Unknown provider '${values.provider}'. Choose one of: ${demoProviders.map((p) => p.name).join(', ')}.`,
  );
  process.exit(2);
}

for (const provider of selected) {
  await runQuickstart(await provider.setup());
  console.log('');
}
