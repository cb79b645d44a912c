import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    bluesky: 'src/bluesky/index.ts',
    'chats-api': 'src/chats-api/index.ts',
    brevo: 'src/brevo/index.ts',
    aurora: 'src/aurora/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
