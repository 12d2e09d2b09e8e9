import { randomUUID } from 'node:crypto';

export const FAULT_KINDS = [
  'latency',
  'http500',
  'http503',
  'reset',
  'hang',
  'authorize-then-drop',
  'authorize-then-garble',
  'authorize-then-503',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  id: string;
  service: 'wsaa' | 'wsfe' | 'padron';
  /** Operation name (e.g. `FECAESolicitar`, `loginCms`); absent means every operation of the service. */
  operation?: string;
  kind: FaultKind;
  /** Chance that a matching request is hit, 0..1. Default 1. */
  probability: number;
  /** How many requests it hits before it disappears; absent means until cleared. */
  count?: number;
  /** For `latency`: fixed delay, or the lower bound when `latencyMaxMs` is set. */
  latencyMs?: number;
  latencyMaxMs?: number;
}

/** A rule as clients send it (`POST /__sandbox/faults`); validated into a `FaultRule`. */
export function parseFaultRule(input: unknown): FaultRule {
  const value = (input ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (value.service !== 'wsaa' && value.service !== 'wsfe' && value.service !== 'padron')
    problems.push('service must be "wsaa", "wsfe" or "padron"');
  if (!FAULT_KINDS.includes(value.kind as FaultKind))
    problems.push(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (
    value.operation !== undefined &&
    (typeof value.operation !== 'string' || !/^\w{1,64}$/.test(value.operation))
  ) {
    problems.push('operation must be an operation name');
  }
  const probability = value.probability === undefined ? 1 : Number(value.probability);
  if (!(probability >= 0 && probability <= 1)) problems.push('probability must be a number from 0 to 1');
  const count = value.count === undefined ? undefined : Number(value.count);
  if (count !== undefined && !(Number.isInteger(count) && count > 0))
    problems.push('count must be a positive integer');
  const latencyMs = value.latencyMs === undefined ? undefined : Number(value.latencyMs);
  const latencyMaxMs = value.latencyMaxMs === undefined ? undefined : Number(value.latencyMaxMs);
  if (latencyMs !== undefined && !(latencyMs >= 0 && latencyMs <= 600_000))
    problems.push('latencyMs must be from 0 to 600000');
  if (latencyMaxMs !== undefined && !(latencyMaxMs >= (latencyMs ?? 0) && latencyMaxMs <= 600_000)) {
    problems.push('latencyMaxMs must be from latencyMs to 600000');
  }
  if (value.kind === 'latency' && latencyMs === undefined) problems.push('latency needs latencyMs');
  if (problems.length > 0) throw new FaultRuleError(problems);
  return {
    id: randomUUID(),
    service: value.service as FaultRule['service'],
    operation: value.operation as string | undefined,
    kind: value.kind as FaultKind,
    probability,
    count,
    latencyMs,
    latencyMaxMs,
  };
}

export class FaultRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'FaultRuleError';
  }
}

/** The active fault rules; each request asks which of them hit it. */
export class FaultInjector {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): FaultRule {
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** The rules that hit this request (their counts are spent); exhausted rules are removed. */
  hit(service: FaultRule['service'], operation: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.service !== service || (rule.operation && rule.operation !== operation)) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      fired.push(rule);
      if (rule.count !== undefined) rule.count -= 1;
    }
    this.rules = this.rules.filter((rule) => rule.count === undefined || rule.count > 0);
    return fired;
  }
}

export function latencyOf(rule: FaultRule, random: () => number = Math.random): number {
  const min = rule.latencyMs ?? 0;
  return rule.latencyMaxMs === undefined ? min : min + Math.floor(random() * (rule.latencyMaxMs - min + 1));
}
