import { auroraDemoProvider } from './aurora.js';
import { blueskyDemoProvider } from './bluesky.js';
import { brevoDemoProvider } from './brevo.js';
import { chatsApiDemoProvider } from './chats-api.js';
import type { DemoProvider } from './demo-provider.js';

/** Every provider the demo runs, in order. */
export const demoProviders: DemoProvider[] = [
  blueskyDemoProvider,
  chatsApiDemoProvider,
  brevoDemoProvider,
  auroraDemoProvider,
];
