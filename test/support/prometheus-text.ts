/** One sample of the Prometheus text exposition format: `name{label="value",...} 1.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text format (version 0.0.4): comments and blank lines skipped, label values unescaped
 * (`\\`, `\"`, `\n`), values as numbers (`+Inf`, `NaN` included). Throws on a line it cannot read, so a malformed
 * exposition fails the test that reads it.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[3] ?? '';
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
    let consumed = 0;
    for (let found = label.exec(body); found; found = label.exec(body)) {
      labels[found[1]!] = found[2]!.replace(/\\(["\\n])/g, (_, char: string) => (char === 'n' ? '\n' : char));
      consumed = label.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`unreadable labels in: ${line}`);
    samples.push({ name: match[1]!, labels, value: Number(match[4]) });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The metric families a set of samples belongs to: histogram and summary suffixes folded into their family. */
export function families(samples: Sample[]): Set<string> {
  return new Set(samples.map((sample) => sample.name.replace(/_(bucket|sum|count|created)$/, '')));
}

/** The metric families an exposition declares (`# TYPE name kind`), with or without samples yet. */
export function declaredFamilies(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) \w+$/gm)].map((match) => match[1]!));
}
