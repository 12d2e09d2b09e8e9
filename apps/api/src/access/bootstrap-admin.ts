import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app.config.js';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret.js';
import { ApiKeyRepository } from './api-key.repository.js';

/**
 * The first admin: `ADMIN_API_KEY` becomes an admin key at start (its hash only), so the operator can create the
 * fleet's keys. In sandbox mode without it, a key is generated once in DATA_DIR/admin-api-key (mode 0600), so a
 * fresh clone can invoice at once; other environments never generate one. A bootstrap key that was revoked stays
 * revoked: restarting does not bring it back.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key =
      this.config.security.adminApiKey ??
      (this.config.afip.environment === 'sandbox' ? this.sandboxKey() : undefined);
    if (!key) {
      this.logger.log('no ADMIN_API_KEY: only the API keys already in the database are accepted');
      return;
    }
    const created = await this.keys.createUnlessKnown(
      {
        name: 'bootstrap admin (ADMIN_API_KEY)',
        role: 'admin',
        keyHash: hashApiKey(key),
        keyPrefix: displayPrefix(key),
        cuits: [],
        ptoVtas: [],
      },
      'gateway',
    );
    if (created) this.logger.log(`bootstrap admin key ${displayPrefix(key)}… registered`);
  }

  private sandboxKey(): string {
    const { dataDir } = this.config.database;
    const file = join(dataDir, 'admin-api-key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, `${generateApiKey()}\n`, { mode: 0o600 });
      this.logger.warn(`no ADMIN_API_KEY: generated a sandbox admin key in ${file}`);
    }
    return readFileSync(file, 'utf8').trim();
  }
}
