import type { BenchConfig } from './config.js';
import type { ProviderId } from './providers/provider.js';
import type { Availability } from './providers/registry.js';
import type { BenchReport, ResultRow, SectionId } from './report.js';

/** What every benchmark gets: sizes, the providers that landed, and the report to fill in. */
export interface BenchContext {
  config: BenchConfig;
  providers: Map<ProviderId, Availability>;
  report: BenchReport;
  /** Progress line on stderr. */
  log(message: string): void;
}

export function addRow(context: BenchContext, row: ResultRow): void {
  context.report.rows.push(row);
}

export function addNote(context: BenchContext, section: SectionId, note: string): void {
  const notes = context.report.notes[section] ?? [];
  notes.push(note);
  context.report.notes[section] = notes;
}

/** Runs `fn` for each landed provider in `ids`, recording skips (not landed) and failures (threw). */
export async function forEachProvider(
  context: BenchContext,
  section: SectionId,
  ids: readonly ProviderId[],
  fn: (id: ProviderId, availability: Extract<Availability, { ok: true }>) => Promise<void>,
): Promise<void> {
  for (const id of ids) {
    const availability = context.providers.get(id);
    if (!availability) continue;
    if (!availability.ok) {
      context.report.skips.push({ section, subject: id, reason: availability.reason });
      context.log(`  skip ${id}: ${availability.reason}`);
      continue;
    }
    try {
      await fn(id, availability);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      context.report.failures.push({
        section,
        subject: id,
        error: message.split('\n').slice(0, 6).join(' ⏎ '),
      });
      context.log(`  FAILED ${id}: ${message}`);
    }
  }
}
