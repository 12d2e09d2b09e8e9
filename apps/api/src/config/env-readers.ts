/** A wrong environment value. Its message is one line naming the variable and the expected form. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Reads variables, collecting every problem instead of stopping at the first one, so that a single failed start
 * names all the variables to fix.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return this.fail(name, `an integer from ${min} to ${max}`, value, fallback);
    }
    return parsed;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    if (this.raw(name) === undefined) return undefined;
    return this.integer(name, min, min, max);
  }

  oneOf<const T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(choices as readonly string[]).includes(value))
      return this.fail(name, `one of ${choices.join(' | ')}`, value, fallback);
    return value as T;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      const forms = protocols.map((protocol) => `${protocol}//...`).join(' or ');
      return this.fail(name, `a URL of the form ${forms}`, redactUrl(value), undefined);
    }
    return value;
  }

  secret(name: string, expected: string, accept: (value: string) => boolean): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!accept(value)) return this.fail(name, expected, `${value.length} characters`, undefined);
    return value;
  }

  require(name: string, why: string): void {
    if (this.raw(name) === undefined) this.problems.push(`${name} is required ${why}`);
  }

  private fail<T>(name: string, expected: string, got: string, fallback: T): T {
    this.problems.push(`${name} must be ${expected} (got "${got}")`);
    return fallback;
  }
}

/** Never echo a password back, not even in a start-up error. */
function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
