/**
 * 5. Footprint: cold import time and RSS of `@switchboard/core` + one adapter vs the official SDKs
 * (a fresh `node` per run, importing the BUILT packages), installed size and bundled size.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt } from '../build.js';
import { addNote, addRow, type BenchContext } from '../context.js';
import { BENCH_DIR, REPO_ROOT } from '../paths.js';
import type { ProviderId } from '../providers/provider.js';
import { PROVIDER_SOURCES } from '../providers/registry.js';
import { formatValue } from '../report.js';
import { pairedRatios, summarize } from '../stats.js';
import { bundleBytes, closureBytes, dependencyClosure, ownBytes } from './package-sizes.js';

/** What a subject imports, and the tiny entry bundled for its size. */
interface Subject {
  label: string;
  imports: string[];
  /** ESM entry for the bundle size: imports only what an app needs. */
  entry: string;
}

const CORE = '@switchboard/core';

const adapterSubject = (id: ProviderId): Subject => {
  const source = PROVIDER_SOURCES[id];
  return {
    label: `core + ${id}`,
    imports: [CORE, source.adapterPackage],
    entry: `export { createMessenger } from '${CORE}';\nexport { ${source.adapterFactory} } from '${source.adapterPackage}';\n`,
  };
};

const BASELINES: Record<string, Subject> = {
  '@atproto/api': {
    label: '@atproto/api',
    imports: ['@atproto/api'],
    entry: `export { AtpAgent } from '@atproto/api';\n`,
  },
  '@getbrevo/brevo': {
    label: '@getbrevo/brevo',
    imports: ['@getbrevo/brevo'],
    entry: `export { BrevoClient } from '@getbrevo/brevo';\n`,
  },
  axios: { label: 'axios', imports: ['axios'], entry: `export { default } from 'axios';\n` },
};

/** The official SDK each adapter is compared with; raw axios where the provider has none. */
const BASELINE_OF: Record<ProviderId, string> = {
  bluesky: '@atproto/api',
  brevo: '@getbrevo/brevo',
  'chats-api': 'axios',
  aurora: 'axios',
};

/** Runs in the fresh process: imports the specifiers in `BENCH_IMPORTS`, reports time and RSS. */
const PROBE = `
const specifiers = JSON.parse(process.env.BENCH_IMPORTS);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
for (const specifier of specifiers) await import(specifier);
const importMs = performance.now() - t0;
const rssAfter = process.memoryUsage().rss;
process.stdout.write(JSON.stringify({ importMs, rssBefore, rssAfter }));
`;

interface Probe {
  importMs: number;
  /** RSS the imports added, bytes. */
  rssAdded: number;
  /** Whole process RSS after the imports, bytes. */
  rss: number;
  /** Spawn to exit, ms. */
  processMs: number;
}

/** One fresh `node` that imports `imports` (resolved from bench/, default conditions → dist). */
function probe(imports: string[]): Probe {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '--eval', PROBE], {
    cwd: BENCH_DIR,
    env: { ...process.env, NODE_OPTIONS: '', BENCH_IMPORTS: JSON.stringify(imports) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const processMs = performance.now() - t0;
  if (result.status !== 0)
    throw new Error(`importing ${imports.join(', ')} failed: ${result.stderr.slice(-1500)}`);
  const out = JSON.parse(result.stdout) as { importMs: number; rssBefore: number; rssAfter: number };
  return { importMs: out.importMs, rssAdded: out.rssAfter - out.rssBefore, rss: out.rssAfter, processMs };
}

const MiB = 1024 ** 2;
const KiB = 1024;
const med = (values: number[]) => summarize(values).median;

export async function footprint(context: BenchContext): Promise<void> {
  const landed = (Object.keys(PROVIDER_SOURCES) as ProviderId[]).filter((id) => {
    const availability = context.providers.get(id);
    if (availability?.ok) return true;
    context.report.skips.push({
      section: 'footprint',
      subject: id,
      reason: availability && !availability.ok ? availability.reason : 'not loaded',
    });
    return false;
  });

  // Build what is measured: core and each landed adapter (turbo builds workspace deps first).
  const built: string[] = [];
  const usable: ProviderId[] = [];
  try {
    built.push(...ensureBuilt([{ name: CORE, dir: 'packages/core' }], context.log));
  } catch (error) {
    context.report.failures.push({ section: 'footprint', subject: CORE, error: String(error) });
    return;
  }
  for (const id of landed) {
    const source = PROVIDER_SOURCES[id];
    try {
      built.push(...ensureBuilt([{ name: source.adapterPackage, dir: source.adapterDir }], context.log));
      usable.push(id);
    } catch (error) {
      context.report.failures.push({ section: 'footprint', subject: id, error: String(error) });
    }
  }

  const subjects = new Map<string, Subject>();
  subjects.set(CORE, { label: CORE, imports: [CORE], entry: `export { createMessenger } from '${CORE}';\n` });
  for (const id of usable) {
    subjects.set(id, adapterSubject(id));
    const baseline = BASELINE_OF[id];
    subjects.set(baseline, BASELINES[baseline]!);
  }

  // Import time and RSS: interleaved rounds, one fresh process per subject per round.
  const runs = new Map<string, Probe[]>([...subjects.keys()].map((key) => [key, []]));
  for (let round = 0; round < context.config.footprint.runs; round++) {
    for (const [key, subject] of subjects) runs.get(key)!.push(probe(subject.imports));
  }
  const series = (key: string, pick: (p: Probe) => number) => runs.get(key)!.map(pick);

  for (const id of usable) {
    const baseline = BASELINE_OF[id];
    const ours = subjects.get(id)!;
    const importMs = series(id, (p) => p.importMs);
    const baseMs = series(baseline, (p) => p.importMs);
    addRow(context, {
      section: 'footprint',
      subject: ours.label,
      measure: `cold import time ÷ ${baseline}`,
      unit: 'x',
      summary: summarize(pairedRatios(importMs, baseMs)),
      details:
        `${formatValue(med(importMs), 'ms')} vs ${formatValue(med(baseMs), 'ms')}; whole process ` +
        `${formatValue(med(series(id, (p) => p.processMs)), 'ms')} vs ${formatValue(med(series(baseline, (p) => p.processMs)), 'ms')}`,
    });
    const rss = series(id, (p) => p.rssAdded);
    const baseRss = series(baseline, (p) => p.rssAdded);
    addRow(context, {
      section: 'footprint',
      subject: ours.label,
      measure: `RSS added by the import ÷ ${baseline}`,
      unit: 'x',
      summary: summarize(pairedRatios(rss, baseRss)),
      details:
        `+${formatValue(med(rss) / MiB, 'MiB')} vs +${formatValue(med(baseRss) / MiB, 'MiB')}; process RSS ` +
        `${formatValue(med(series(id, (p) => p.rss)) / MiB, 'MiB')} vs ${formatValue(med(series(baseline, (p) => p.rss)) / MiB, 'MiB')}`,
    });
  }

  // Installed and bundled sizes (deterministic: one measurement each).
  const coreClosure = dependencyClosure(CORE);
  const sizeRows: string[][] = [];
  const coreBundle = await bundleBytes(subjects.get(CORE)!.entry);
  const coreInstalled = closureBytes(coreClosure);
  const largestInstalled = [...coreClosure]
    .map(([dir, name]) => ({ name, bytes: ownBytes(dir) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5)
    .map((part) => `${part.name} ${formatValue(part.bytes / KiB, 'KiB')}`)
    .join(', ');
  sizeRows.push([
    CORE,
    `${coreClosure.size - 1}`,
    formatValue(coreInstalled / KiB, 'KiB'),
    formatValue(coreBundle.bytes / KiB, 'KiB'),
    formatValue(coreBundle.gzipBytes / KiB, 'KiB'),
  ]);
  const sizes = new Map<string, { installed: number; bundle: number }>();
  const compositions: string[] = [];
  let zodBytes = 0;
  const describeComposition = (
    label: string,
    bundle: { bytes: number; composition: Array<{ name: string; bytes: number }> },
  ) =>
    compositions.push(
      `- ${label} (${formatValue(bundle.bytes / KiB, 'KiB')}): ` +
        bundle.composition
          .slice(0, 6)
          .map((part) => `${part.name} ${formatValue(part.bytes / KiB, 'KiB')}`)
          .join(', '),
    );
  for (const id of usable) {
    const source = PROVIDER_SOURCES[id];
    const closure = dependencyClosure(source.adapterPackage);
    const extra = closureBytes(closure, coreClosure);
    const bundle = await bundleBytes(subjects.get(id)!.entry);
    sizes.set(id, { installed: coreInstalled + extra, bundle: bundle.bytes });
    describeComposition(`core + ${id}`, bundle);
    zodBytes = Math.max(zodBytes, bundle.composition.find((part) => part.name === 'zod')?.bytes ?? 0);
    sizeRows.push([
      `core + ${source.adapterPackage}`,
      `${closure.size - 1}`,
      `${formatValue((coreInstalled + extra) / KiB, 'KiB')} (adapter + non-shared deps: ${formatValue(extra / KiB, 'KiB')})`,
      formatValue(bundle.bytes / KiB, 'KiB'),
      formatValue(bundle.gzipBytes / KiB, 'KiB'),
    ]);
  }
  const baselineSizes = new Map<string, { installed: number; bundle: number }>();
  for (const name of new Set(usable.map((id) => BASELINE_OF[id]))) {
    const closure = dependencyClosure(name);
    const installed = closureBytes(closure);
    const bundle = await bundleBytes(BASELINES[name]!.entry);
    baselineSizes.set(name, { installed, bundle: bundle.bytes });
    describeComposition(name, bundle);
    sizeRows.push([
      name,
      `${closure.size - 1}`,
      formatValue(installed / KiB, 'KiB'),
      formatValue(bundle.bytes / KiB, 'KiB'),
      formatValue(bundle.gzipBytes / KiB, 'KiB'),
    ]);
  }
  for (const id of usable) {
    const baseline = BASELINE_OF[id];
    const ours = sizes.get(id)!;
    const theirs = baselineSizes.get(baseline)!;
    addRow(context, {
      section: 'footprint',
      subject: `core + ${id}`,
      measure: `installed size ÷ ${baseline}`,
      unit: 'x',
      summary: summarize([ours.installed / theirs.installed]),
      details: `${formatValue(ours.installed / KiB, 'KiB')} vs ${formatValue(theirs.installed / KiB, 'KiB')}`,
    });
    addRow(context, {
      section: 'footprint',
      subject: `core + ${id}`,
      measure: `bundled size ÷ ${baseline}`,
      unit: 'x',
      summary: summarize([ours.bundle / theirs.bundle]),
      details: `${formatValue(ours.bundle / KiB, 'KiB')} vs ${formatValue(theirs.bundle / KiB, 'KiB')} (minified)`,
    });
  }

  // Where the bundle weight comes from: zod's import style decides what esbuild can tree-shake.
  if (zodBytes > 200 * KiB) {
    const shape = (z: string, optional: (inner: string) => string) =>
      `export const s = ${z}.object({ a: ${z}.string(), b: ${optional(`${z}.array(${z}.number())`)} });`;
    const styles: Array<[string, string]> = [
      ["`import { z } from 'zod'`", `import { z } from 'zod'; ${shape('z', (i) => `${i}.optional()`)}`],
      ["`import * as z from 'zod'`", `import * as z from 'zod'; ${shape('z', (i) => `${i}.optional()`)}`],
      [
        "`import * as z from 'zod/mini'`",
        `import * as z from 'zod/mini'; ${shape('z', (i) => `z.optional(${i})`)}`,
      ],
    ];
    const measured: string[] = [];
    for (const [label, entry] of styles) {
      const bundle = await bundleBytes(entry, join(REPO_ROOT, 'packages/core'));
      measured.push(`${label}: ${formatValue(bundle.bytes / KiB, 'KiB')}`);
    }
    addNote(
      context,
      'footprint',
      `zod is ${formatValue(zodBytes / KiB, 'KiB')} of the adapter bundles. How it is imported matters: ` +
        "esbuild cannot tree-shake the `z` object of `import { z } from 'zod'`, so all of zod (every " +
        'check and locale) is kept. The same one-object schema bundled three ways (esbuild, minified, ' +
        `this run): ${measured.join(', ')}. Core and the adapters use \`import * as z from 'zod'\`; ` +
        'zod/mini for the response schemas would shrink them further. The next largest part, ' +
        'mime-db, comes with axios (its Node build imports form-data → mime-types).',
    );
  }
  const table = [
    '| Package | Runtime deps (transitive) | Installed | Bundled (min) | Bundled (min+gzip) |',
    '|---|---|---|---|---|',
    ...sizeRows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  addNote(
    context,
    'footprint',
    `Sizes:\n\n${table}\n\nLargest installed packages under @switchboard/core: ${largestInstalled}.`,
  );
  addNote(
    context,
    'footprint',
    `What the bundles are made of (bytes in the minified output, largest first):\n\n${compositions.join('\n')}`,
  );
  addNote(
    context,
    'footprint',
    'Import time and RSS: a fresh `node` per subject and run (subjects interleaved), importing the built ' +
      'packages (`dist/`, resolved from bench/ with the default export conditions) with `await import()`; ' +
      'time and RSS are taken inside that process just before and after the imports, the whole-process ' +
      'time (spawn to exit) is measured by the parent. Installed size: bytes of the files installed for ' +
      'the package and its transitive runtime dependencies (a workspace package counts what it publishes: ' +
      '`dist/` with types and source maps, package.json, README); for an adapter, the dependencies core ' +
      'already brings are not counted twice. Bundled size: esbuild (bundle, minify, tree-shaking, ' +
      'platform node, ESM) of an entry that re-exports only `createMessenger` and the adapter factory ' +
      '(`AtpAgent`, `BrevoClient`, axios for the baselines). Packages compared with raw axios have no ' +
      'official Node SDK.' +
      (built.length > 0
        ? ` This run built ${built.join(', ')} first (\`turbo run build\`: dist was missing or older than src).`
        : ''),
  );
}
