import { definePackageBuild } from '../../tsup.shared.js';

export default definePackageBuild({
  bluesky: 'src/bluesky/index.ts',
  'chats-api': 'src/chats-api/index.ts',
  brevo: 'src/brevo/index.ts',
  aurora: 'src/aurora/index.ts',
});
