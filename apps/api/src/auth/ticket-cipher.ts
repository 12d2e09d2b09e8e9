import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM for tokens and signs at rest: `nonce (12) || tag (16) || ciphertext`. */
export class TicketCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('TICKET_ENCRYPTION_KEY must be 32 bytes');
  }

  encrypt(plain: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), data]);
  }

  decrypt(sealed: Uint8Array): string {
    const buffer = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', this.key, buffer.subarray(0, 12));
    decipher.setAuthTag(buffer.subarray(12, 28));
    return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8');
  }
}
