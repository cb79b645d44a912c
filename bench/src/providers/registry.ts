/**
 * Which providers can be benchmarked right now. Adapters land one by one: a provider whose adapter
 * or emulator source does not exist yet is skipped with a reason; one whose source exists but fails
 * to load is a failure (a broken code path).
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import type { ProviderBench, ProviderId } from './provider.js';

interface ProviderSource {
  adapterDir: string;
  adapterPackage: string;
  adapterFactory: string;
  emulatorDir: string;
  emulatorFactory: string;
  load(): Promise<ProviderBench<never>>;
}

/** Imports `./<file>.js` (a provider fixture, written when its adapter lands) and returns its export. */
async function importBench(file: string, name: string): Promise<ProviderBench<never>> {
  const module = (await import(`./${file}.js`)) as Record<string, ProviderBench<never>>;
  const bench = module[name];
  if (!bench) throw new Error(`bench/src/providers/${file}.ts does not export ${name}`);
  return bench;
}

export const PROVIDER_SOURCES: Record<ProviderId, ProviderSource> = {
  bluesky: {
    adapterDir: 'packages/bluesky',
    adapterPackage: '@switchboard/bluesky',
    adapterFactory: 'createBlueskyAdapter',
    emulatorDir: 'packages/emulators/src/bluesky',
    emulatorFactory: 'startBlueskyEmulator',
    load: () => importBench('bluesky', 'blueskyBench'),
  },
  'chats-api': {
    adapterDir: 'packages/chats-api',
    adapterPackage: '@switchboard/chats-api',
    adapterFactory: 'createChatsApiAdapter',
    emulatorDir: 'packages/emulators/src/chats-api',
    emulatorFactory: 'startChatsApiEmulator',
    load: () => importBench('chats-api', 'chatsApiBench'),
  },
  brevo: {
    adapterDir: 'packages/brevo',
    adapterPackage: '@switchboard/brevo',
    adapterFactory: 'createBrevoAdapter',
    emulatorDir: 'packages/emulators/src/brevo',
    emulatorFactory: 'startBrevoEmulator',
    load: () => importBench('brevo', 'brevoBench'),
  },
  aurora: {
    adapterDir: 'packages/aurora',
    adapterPackage: '@switchboard/aurora',
    adapterFactory: 'createAuroraAdapter',
    emulatorDir: 'packages/emulators/src/aurora',
    emulatorFactory: 'startAuroraEmulator',
    load: () => importBench('aurora', 'auroraBench'),
  },
};

export type Availability = { ok: true; bench: ProviderBench<never> } | { ok: false; reason: string };

/**
 * Loads a provider's benchmark fixture. `ok: false` with a reason when its adapter or emulator has
 * not landed (no `src/index.ts`). Throws when the source exists but does not load or lacks its factory.
 */
export async function loadProvider(id: ProviderId): Promise<Availability> {
  const source = PROVIDER_SOURCES[id];
  const adapterIndex = join(REPO_ROOT, source.adapterDir, 'src/index.ts');
  const emulatorIndex = join(REPO_ROOT, source.emulatorDir, 'index.ts');
  if (!existsSync(adapterIndex))
    return {
      ok: false,
      reason: `${source.adapterPackage} has not landed yet (no ${source.adapterDir}/src/index.ts)`,
    };
  if (!existsSync(emulatorIndex))
    return { ok: false, reason: `the ${id} emulator has not landed yet (no ${source.emulatorDir}/index.ts)` };
  const adapter = (await import(source.adapterPackage)) as Record<string, unknown>;
  if (typeof adapter[source.adapterFactory] !== 'function')
    throw new Error(`${source.adapterPackage} does not export ${source.adapterFactory}()`);
  return { ok: true, bench: await source.load() };
}
