import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '#libs/paths';
import { type Sandbox, startSandbox } from '#sandbox';
import type { AppConfig } from '../config/app.config.js';

/**
 * The ARCA sandbox running inside the gateway's process (AFIP_ENV=sandbox with no ARCA URL set), so that a fresh
 * clone works end to end with nothing else running. It listens on SANDBOX_PORT like the standalone one.
 */
export class EmbeddedSandbox implements OnApplicationShutdown {
  private static readonly logger = new Logger('Sandbox');

  private constructor(readonly sandbox: Sandbox | undefined) {}

  static async start(config: AppConfig): Promise<EmbeddedSandbox> {
    if (!config.sandbox.inProcess) return new EmbeddedSandbox(undefined);
    const dir = join(config.database.dataDir, 'sandbox');
    const stateFile = join(dir, 'state.jsonl');
    // Before the append-only log, the state was one JSON file: the log reads it and rewrites it as a log.
    if (!existsSync(stateFile) && existsSync(join(dir, 'state.json')))
      renameSync(join(dir, 'state.json'), stateFile);
    try {
      const sandbox = await startSandbox({
        port: config.sandbox.port,
        stateDir: dir,
        // Like ARCA, the embedded sandbox remembers what it authorized across gateway restarts.
        stateFile,
        wsdlDir: projectPath('wsdl'),
        log: (line) => EmbeddedSandbox.logger.log(line),
      });
      return new EmbeddedSandbox(sandbox);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `SANDBOX_PORT ${config.sandbox.port} is in use: stop what uses it, set another SANDBOX_PORT, or point AFIP_WSAA_URL/AFIP_WSFE_URL at a running sandbox`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox?.close();
  }
}
