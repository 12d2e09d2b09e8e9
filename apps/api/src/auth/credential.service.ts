import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { Gauge } from 'prom-client';
import {
  CredentialError,
  type CuitCredential,
  daysLeft,
  DevCa,
  listCredentialCuits,
  loadCredential,
} from '#libs/pki';
import { AppConfig } from '../config/app.config.js';
import { MetricsService } from '../health/metrics.service.js';

const WARN_DAYS = 30;

export interface CertificateStatus {
  cuit: string;
  subject: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  /** Why the certificate cannot be used (missing key, mismatch, unreadable); null when it can. */
  problem: string | null;
}

/**
 * Each CUIT's certificate and key from AFIP_CERTS_DIR (`<cuit>.crt`, `<cuit>.key`), checked once and kept in
 * memory. In sandbox mode a CUIT without a certificate gets one from the sandbox CA on first use.
 */
@Injectable()
export class CredentialService implements OnModuleInit {
  private readonly logger = new Logger('Certificates');
  private readonly loaded = new Map<string, Promise<CuitCredential>>();
  private readonly daysLeftGauge: Gauge<'cuit'>;

  constructor(
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.daysLeftGauge = new Gauge({
      name: 'arca_certificate_days_left',
      help: 'Days until each CUIT certificate in AFIP_CERTS_DIR expires',
      labelNames: ['cuit'],
      registers: [metrics.registry],
    });
  }

  /** Checks every certificate present at start, so a broken one is reported before the first invoice. */
  async onModuleInit(): Promise<void> {
    for (const cuit of listCredentialCuits(this.config.afip.certsDir)) {
      await this.get(cuit).catch((error: unknown) =>
        this.logger.error(error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /**
   * Every certificate in AFIP_CERTS_DIR, a lone key or certificate included: subject, expiry and days left, or
   * why it cannot be used. Read only: a CUIT not in use yet is loaded as it is, never issued a sandbox certificate.
   */
  async status(now: Date = new Date()): Promise<CertificateStatus[]> {
    const dir = this.config.afip.certsDir;
    const cuits = new Set([...listCredentialCuits(dir, { incomplete: true }), ...this.loaded.keys()]);
    return Promise.all(
      [...cuits].sort().map(async (cuit): Promise<CertificateStatus> => {
        try {
          const credential = this.loaded.has(cuit) ? await this.get(cuit) : await loadCredential(dir, cuit);
          return {
            cuit,
            subject: credential.subject,
            notAfter: credential.notAfter.toISOString(),
            daysLeft: daysLeft(credential, now),
            problem: null,
          };
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          return { cuit, subject: null, notAfter: null, daysLeft: null, problem };
        }
      }),
    );
  }

  get(cuit: string): Promise<CuitCredential> {
    let credential = this.loaded.get(cuit);
    if (!credential) {
      credential = this.load(cuit);
      this.loaded.set(cuit, credential);
      credential.catch(() => this.loaded.delete(cuit));
    }
    return credential;
  }

  private async load(cuit: string): Promise<CuitCredential> {
    const dir = this.config.afip.certsDir;
    let credential: CuitCredential;
    try {
      credential = await loadCredential(dir, cuit);
    } catch (error) {
      if (
        !(error instanceof CredentialError) ||
        !error.message.includes('is missing') ||
        this.config.afip.environment !== 'sandbox'
      )
        throw error;
      const ca = await DevCa.loadOrCreate(join(this.config.database.dataDir, 'sandbox'));
      await ca.writeCuitCertificate(dir, { cuit });
      this.logger.log(`sandbox: issued a certificate for CUIT ${cuit} in ${dir}`);
      credential = await loadCredential(dir, cuit);
    }
    const days = daysLeft(credential);
    this.daysLeftGauge.set({ cuit }, days);
    if (days <= WARN_DAYS)
      this.logger.warn(
        `certificate of CUIT ${cuit} expires in ${days} days (${credential.notAfter.toISOString()}): renew it`,
      );
    else this.logger.log(`certificate of CUIT ${cuit} loaded: ${credential.subject}, ${days} days left`);
    return credential;
  }
}
