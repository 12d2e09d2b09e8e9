import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Absolute path of a file shipped at the project's root (package.json, prisma/, wsdl/), whether the gateway runs
 * from source or from `dist/`.
 */
export function projectPath(relative: string): string {
  let dir = import.meta.dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, relative))) return join(dir, relative);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${relative} not found above ${import.meta.dirname}`);
    dir = parent;
  }
}
