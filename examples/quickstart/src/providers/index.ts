import type { DemoProvider } from './demo-provider.js';

/** Every provider the demo runs, in order. */
export const demoProviders: DemoProvider[] = [];
