/**
 * The result model every benchmark fills in, the console table, and the `docs/benchmarks.md` writer.
 * @module
 */
import { explainMiss } from './findings.js';
import type { MachineInfo } from './machine.js';
import type { Summary } from './stats.js';

/** The five benchmark families of issue 6, in report order. */
export const SECTIONS = {
  send: 'Send overhead',
  history: 'History iteration',
  'rate-limit': 'Rate limit',
  realtime: 'Realtime latency',
  footprint: 'Footprint',
  'state-store': 'Shared state (history from the StateStore)',
} as const;

export type SectionId = keyof typeof SECTIONS;

/** How a figure is printed. */
export type Unit = 'x' | 'ms' | 'MiB' | 'KiB' | 'count' | 'percent' | 'per-tick';

/** A target a figure must meet (compared with the median). */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One line of the report: a median over runs with its spread. */
export interface ResultRow {
  section: SectionId;
  /** What was measured, e.g. `bluesky · concurrency 32`. */
  subject: string;
  /** The figure, e.g. `messenger.send ÷ raw axios (msg/s)`. */
  measure: string;
  unit: Unit;
  summary: Summary;
  target?: Target;
  /** The absolute numbers behind a ratio, e.g. `ours 1520 msg/s · axios 1700 msg/s`. */
  details?: string;
}

/** A benchmark that could not run, and why. */
export interface Skip {
  section: SectionId;
  subject: string;
  reason: string;
}

/** A benchmark that broke (a failed code path): makes `--smoke` exit non-zero. */
export interface Failure {
  section: SectionId;
  subject: string;
  error: string;
}

/** Everything one `pnpm bench` run produced. */
export interface BenchReport {
  rows: ResultRow[];
  skips: Skip[];
  failures: Failure[];
  /** Free text per section (how it was measured, findings, profiles of misses). */
  notes: Partial<Record<SectionId, string[]>>;
}

export type Verdict = 'met' | 'MISSED' | '';

/** Whether a row's median meets its target (`''` when it has none). */
export function verdict(row: ResultRow): Verdict {
  if (!row.target) return '';
  const { median } = row.summary;
  const ok = row.target.op === '>=' ? median >= row.target.value : median <= row.target.value;
  return ok ? 'met' : 'MISSED';
}

/** Formats one value in a unit. */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'x':
      return `${value.toFixed(value >= 10 ? 1 : 2)}×`;
    case 'ms':
      return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
    case 'MiB':
      return `${value.toFixed(1)} MiB`;
    case 'KiB':
      return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} KiB`;
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'percent':
      return `${value.toFixed(2)} %`;
    case 'per-tick':
      return `${value.toFixed(2)}/tick`;
  }
}

export function formatTarget(target: Target | undefined, unit: Unit): string {
  if (!target) return '';
  return `${target.op === '>=' ? '≥' : '≤'} ${formatValue(target.value, unit)}`;
}

export function formatSpread(summary: Summary, unit: Unit): string {
  if (summary.n === 1) return '(1 run)';
  return `${formatValue(summary.min, unit)} – ${formatValue(summary.max, unit)}`;
}

/** Columns shared by the console table and the markdown tables. */
/** The median as printed; with more digits when rounding would hide which side of the target it is. */
function formatMedian(row: ResultRow): string {
  const shown = formatValue(row.summary.median, row.unit);
  if (row.target && row.unit === 'x' && shown === formatValue(row.target.value, row.unit))
    return `${row.summary.median.toFixed(3)}×`;
  return shown;
}

function cells(row: ResultRow): string[] {
  return [
    row.subject,
    row.measure,
    formatMedian(row),
    formatSpread(row.summary, row.unit),
    `${row.summary.n}`,
    formatTarget(row.target, row.unit),
    verdict(row),
    row.details ?? '',
  ];
}

const HEADERS = [
  'Subject',
  'Measure',
  'Median',
  'Spread (min – max)',
  'Runs',
  'Target',
  'Verdict',
  'Details',
];

/** A plain-text table for the terminal. */
export function renderConsole(report: BenchReport): string {
  const lines: string[] = [];
  for (const [id, title] of Object.entries(SECTIONS) as [SectionId, string][]) {
    const rows = report.rows.filter((row) => row.section === id);
    const skips = report.skips.filter((skip) => skip.section === id);
    const failures = report.failures.filter((failure) => failure.section === id);
    if (rows.length + skips.length + failures.length === 0) continue;
    lines.push('', `== ${title} ==`);
    if (rows.length > 0) {
      const table = [HEADERS, ...rows.map(cells)];
      const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => [...(r[c] ?? '')].length)));
      for (const [i, r] of table.entries()) {
        lines.push(
          r
            .map((cell, c) => cell.padEnd(widths[c]!))
            .join('  ')
            .trimEnd(),
        );
        if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
      }
    }
    for (const skip of skips) lines.push(`  skipped ${skip.subject}: ${skip.reason}`);
    for (const failure of failures) lines.push(`  FAILED ${failure.subject}: ${failure.error}`);
  }
  return lines.join('\n');
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

/** Options of {@link renderMarkdown}. */
export interface MarkdownContext {
  machine: MachineInfo;
  command: string;
  /** Wall time of the whole run in milliseconds. */
  durationMs: number;
  /** Text placed before the results (how each benchmark works). */
  method: string;
}

/** The `docs/benchmarks.md` page. */
export function renderMarkdown(report: BenchReport, context: MarkdownContext): string {
  const { machine } = context;
  const targeted = report.rows.filter((row) => row.target);
  const missed = targeted.filter((row) => verdict(row) === 'MISSED');
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `pnpm bench` (bench/src/main.ts). Do not edit by hand: re-run the command. -->',
    '',
    `Command: \`${context.command}\` — run on ${machine.date} in ${(context.durationMs / 1000).toFixed(0)} s.`,
    '',
    markdownTable(
      ['Machine', ''],
      [
        ['CPU', `${machine.cpuModel} (${machine.cores} cores)`],
        ['Memory', `${machine.memoryGiB.toFixed(1)} GiB`],
        ['OS', machine.os],
        ['Node', machine.node],
        ['Load average at start (1/5/15 min)', machine.loadAverage.map((l) => l.toFixed(2)).join(' / ')],
      ],
    ),
    '',
    `**Targets: ${targeted.length - missed.length} of ${targeted.length} met.**` +
      (missed.length > 0 ? ' Missed (causes and proposed fixes under each section):' : ''),
    '',
    ...missed.map(
      (row) =>
        `- ${SECTIONS[row.section]}: ${row.subject} — ${row.measure}: ` +
        `${formatMedian(row)} (target ${formatTarget(row.target, row.unit)})`,
    ),
    ...(missed.length > 0 ? [''] : []),
    context.method.trim(),
    '',
  ];
  for (const [id, title] of Object.entries(SECTIONS) as [SectionId, string][]) {
    const rows = report.rows.filter((row) => row.section === id);
    const skips = report.skips.filter((skip) => skip.section === id);
    const failures = report.failures.filter((failure) => failure.section === id);
    const notes = report.notes[id] ?? [];
    if (rows.length + skips.length + failures.length + notes.length === 0) continue;
    out.push(`## ${title}`, '');
    if (rows.length > 0) out.push(markdownTable(HEADERS, rows.map(cells)), '');
    for (const skip of skips) out.push(`- Skipped **${skip.subject}**: ${skip.reason}`);
    for (const failure of failures) out.push(`- **Failed** ${failure.subject}: ${failure.error}`);
    if (skips.length + failures.length > 0) out.push('');
    for (const note of notes) out.push(note, '');
    const missed = rows.filter((row) => verdict(row) === 'MISSED');
    if (missed.length > 0) {
      out.push(`### ${title}: missed targets`, '');
      const explained = new Map<string, string[]>();
      for (const row of missed) {
        const text = explainMiss(row);
        explained.set(text, [...(explained.get(text) ?? []), `${row.subject} — ${row.measure}`]);
      }
      for (const [text, which] of explained) out.push(`- *${which.join('; ')}*: ${text}`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
