// Types of bench/soak/run.mjs for the TypeScript that drives it (test/soak).
export interface SoakSummary {
  minutes: number;
  replicas: number;
  sandbox: string;
  ledger: Record<string, number>;
  statuses: Record<string, number>;
  hostile: Record<string, number>;
  memory: { name: string; maxRssMb: number; rssSlopeMbPerMin: number; heapSlopeMbPerMin: number }[];
  lagP99Ms: { median: number; p99: number; max: number };
  exits: string[];
  serverErrors: number;
  raceMismatches: number;
  verifications: { run: number; broken: number };
}

export function runSoak(options: {
  minutes?: number;
  replicas?: number;
  sandbox?: 'embedded' | 'standalone';
  heapMb?: number;
  out?: string;
  log?: (line: string) => void;
}): Promise<{
  summary: SoakSummary;
  /** What must never happen: crashes, 500s, sales lost, duplicated or unresolved. */
  failures: string[];
  /** The machine's targets: RSS, its slope, event-loop lag. */
  targets: string[];
  problems: string[];
}>;
