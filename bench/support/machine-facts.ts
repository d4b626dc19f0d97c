import { cpus, release, totalmem } from 'node:os';

/** What the results depend on: processor, cores, memory, kernel and Node version. */
export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGibibytes: number;
  kernel: string;
  nodeVersion: string;
}

/** Reads the facts of this machine. */
export function machineFacts(): MachineFacts {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGibibytes: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${process.platform} ${release()}`,
    nodeVersion: process.version,
  };
}
