import os from 'node:os';

/** The machine a run happened on, as printed in `docs/benchmarks.md`. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** ISO date-time of the start of the run (UTC). */
  date: string;
  /** 1, 5 and 15 minute load averages at the start of the run. */
  loadAverage: number[];
}

/** Describes this machine (`os.cpus()[0].model`, core count, memory, Node version, date, load). */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    loadAverage: os.loadavg(),
  };
}
