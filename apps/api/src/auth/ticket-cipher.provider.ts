import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app.config.js';
import { TicketCipher } from './ticket-cipher.js';

/**
 * TICKET_ENCRYPTION_KEY, or in sandbox mode without one, a key generated once and kept in
 * DATA_DIR/ticket-encryption.key (mode 0600). Homologation and production refuse to start without the variable.
 */
export function loadTicketCipher(config: AppConfig): TicketCipher {
  if (config.security.ticketEncryptionKey) return new TicketCipher(config.security.ticketEncryptionKey);
  const file = join(config.database.dataDir, 'ticket-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(config.database.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    new Logger('Tickets').warn(`no TICKET_ENCRYPTION_KEY: generated one for the sandbox in ${file}`);
  }
  return new TicketCipher(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}
