/**
 * `tsx src/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile spent its time, by
 * function (self time) and by package, for the "profile of a miss" notes in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package (or area) a script URL belongs to. */
export function areaOf(url: string): string {
  if (url === '') return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node internals';
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const workspace = /\/(packages\/[^/]+(?:\/src\/[^/]+)?|bench)\//.exec(url);
  return workspace ? workspace[1]! : url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const area = areaOf(frame.url);
    const key = `${name}  ${
      frame.url
        ? `${frame.url
            .replace(/^file:\/\//, '')
            .split('/')
            .slice(-2)
            .join('/')}:${frame.lineNumber + 1}`
        : ''
    }`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
  }
  const lines = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([key, ms]) =>
          `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`,
      );
  return [
    `total ${total.toFixed(0)} ms sampled`,
    '',
    'by area (self time):',
    ...lines(byArea, 15),
    '',
    'by function (self time):',
    ...lines(byFunction, top),
  ].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, top] = process.argv.slice(2).filter((arg) => arg !== '--');
  if (!file) {
    process.stderr.write('usage: tsx src/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${summarizeProfile(profile, top ? Number(top) : 25)}\n`);
}
