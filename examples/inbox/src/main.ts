/**
 * `pnpm inbox` — one inbox over four accounts on the built-in emulators (Bluesky, chats API, Brevo,
 * Aurora), served as a web app. No credentials. `--port 8080` to choose the port.
 */
import { parseArgs } from 'node:util';
import { startInboxApp } from './start-inbox-app.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const { values } = parseArgs({ args, options: { port: { type: 'string', short: 'p' } } });
const app = await startInboxApp(values.port ? { port: Number(values.port) } : {});
console.log(`Switchboard inbox running at ${app.url}  (Ctrl+C to stop)`);
const shutdown = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
