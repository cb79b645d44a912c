/**
 * `pnpm bench [--smoke] [--cpu-prof] [--render] [--only=send,history,rate-limit,realtime,footprint,state-store]`
 *
 * Runs every benchmark of issue 6 whose adapter has landed (the others are skipped with a reason),
 * prints a table and writes docs/benchmarks.md. `--smoke` runs the same code paths with tiny sizes,
 * writes nothing, and exits non-zero only when a code path broke (never on a missed target).
 * `--cpu-prof` makes every measuring child process write a V8 CPU profile to bench/profiles/ (the
 * report is then not written: profiling slows the clients down). `--render` rewrites
 * docs/benchmarks.md from the last full run's saved results (bench/results/last-run.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { footprint } from './benchmarks/footprint.js';
import { history } from './benchmarks/history.js';
import { rateLimit } from './benchmarks/rate-limit.js';
import { realtimeLatency } from './benchmarks/realtime-latency.js';
import { sendOverhead } from './benchmarks/send-overhead.js';
import { stateStoreHistory } from './benchmarks/state-store-history.js';
import { addChildNodeFlags } from './child.js';
import { FULL, SMOKE } from './config.js';
import type { BenchContext } from './context.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { METHOD } from './method.js';
import { BENCH_DIR, LAST_RUN_PATH, REPORT_PATH } from './paths.js';
import { PROVIDER_IDS, type ProviderId } from './providers/provider.js';
import { type Availability, loadProvider } from './providers/registry.js';
import { type BenchReport, renderConsole, renderMarkdown, SECTIONS, type SectionId } from './report.js';

const BENCHMARKS: Record<SectionId, (context: BenchContext) => Promise<void>> = {
  send: sendOverhead,
  history,
  'rate-limit': rateLimit,
  realtime: realtimeLatency,
  footprint,
  'state-store': stateStoreHistory,
};

function parseArgs(argv: string[]) {
  let smoke = false;
  let cpuProf = false;
  let render = false;
  let only: SectionId[] = Object.keys(SECTIONS) as SectionId[];
  for (const arg of argv) {
    if (arg === '--') continue;
    if (arg === '--smoke') smoke = true;
    else if (arg === '--cpu-prof') cpuProf = true;
    else if (arg === '--render') render = true;
    else if (arg.startsWith('--only=')) {
      only = arg.slice('--only='.length).split(',') as SectionId[];
      for (const id of only) if (!(id in SECTIONS)) throw new Error(`unknown benchmark '${id}' in ${arg}`);
    } else
      throw new Error(
        `unknown argument '${arg}' (use --smoke, --cpu-prof, --render, --only=${Object.keys(SECTIONS).join(',')})`,
      );
  }
  return { smoke, only, cpuProf, render };
}

/** What a full run saves, so `--render` can rewrite the page (e.g. after editing findings) without re-measuring. */
interface SavedRun {
  report: BenchReport;
  machine: MachineInfo;
  command: string;
  durationMs: number;
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = parseArgs(process.argv.slice(2));
  if (args.render) {
    const run = JSON.parse(readFileSync(LAST_RUN_PATH, 'utf8')) as SavedRun;
    writeFileSync(REPORT_PATH, renderMarkdown(run.report, { ...run, method: METHOD }));
    process.stderr.write(`re-rendered ${REPORT_PATH} from ${LAST_RUN_PATH} (run of ${run.machine.date})\n`);
    return 0;
  }
  const config = args.smoke ? SMOKE : FULL;
  const machine = describeMachine();
  const log = (message: string) => process.stderr.write(`${message}\n`);
  log(
    `switchboard bench${args.smoke ? ' --smoke' : ''}: ${machine.cpuModel} × ${machine.cores}, ${machine.node}, ` +
      `load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
  );

  const report: BenchReport = { rows: [], skips: [], failures: [], notes: {} };
  const providers = new Map<ProviderId, Availability>();
  for (const id of PROVIDER_IDS) {
    try {
      providers.set(id, await loadProvider(id));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.failures.push({ section: 'send', subject: `${id} (loading)`, error: message });
      providers.set(id, { ok: false, reason: `failed to load: ${message}` });
    }
  }
  const context: BenchContext = { config, providers, report, log };
  if (args.cpuProf) {
    // Every measuring child process writes a V8 CPU profile (summarise with `src/profile-summary.ts`).
    const dir = join(BENCH_DIR, 'profiles', new Date().toISOString().replaceAll(':', '-').slice(0, 19));
    mkdirSync(dir, { recursive: true });
    addChildNodeFlags(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    log(`CPU profiles of the child processes go to ${dir}`);
  }

  for (const id of args.only) {
    const t0 = performance.now();
    log(`▶ ${SECTIONS[id]}`);
    try {
      await BENCHMARKS[id](context);
    } catch (error) {
      report.failures.push({ section: id, subject: 'benchmark', error: String(error) });
      log(`  FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    }
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }

  const durationMs = performance.now() - started;
  process.stdout.write(`${renderConsole(report)}\n`);
  log(`\nfinished in ${(durationMs / 1000).toFixed(1)} s`);
  if (!args.smoke && !args.cpuProf) {
    const partial = args.only.length < Object.keys(SECTIONS).length;
    const command = `pnpm bench${partial ? ` --only=${args.only.join(',')}` : ''}`;
    const run: SavedRun = { report, machine, command, durationMs };
    mkdirSync(dirname(LAST_RUN_PATH), { recursive: true });
    writeFileSync(LAST_RUN_PATH, JSON.stringify(run));
    writeFileSync(REPORT_PATH, renderMarkdown(report, { machine, command, durationMs, method: METHOD }));
    log(`wrote ${REPORT_PATH} (raw results: ${LAST_RUN_PATH})`);
  }
  if (report.failures.length > 0) {
    log(`${report.failures.length} benchmark code path(s) failed`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
