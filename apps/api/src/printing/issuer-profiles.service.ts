import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app.config.js';
import { type IssuerProfile, readIssuerProfiles } from './issuer-profile-file.js';

/** In the sandbox, a CUIT without a profile file prints with these, marked as the sandbox's. */
const SANDBOX_PROFILE: IssuerProfile = { grossIncome: 'Sandbox (sin dato)', activityStart: '20200101' };

/**
 * The issuers' print profiles (`<cuit>.issuer.json` in AFIP_CERTS_DIR), read and checked when the gateway starts:
 * a broken file stops the start with its name, field and rule, rather than a broken invoice later.
 */
@Injectable()
export class IssuerProfilesService implements OnModuleInit {
  private readonly logger = new Logger('IssuerProfiles');
  private profiles = new Map<string, IssuerProfile>();

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.profiles = readIssuerProfiles(this.config.afip.certsDir);
    if (this.profiles.size > 0)
      this.logger.log(`print profiles for CUITs ${[...this.profiles.keys()].join(', ')}`);
  }

  /** The CUIT's profile; in the sandbox a placeholder when it has none. */
  get(cuit: number): IssuerProfile | undefined {
    return (
      this.profiles.get(String(cuit)) ??
      (this.config.afip.environment === 'sandbox' ? SANDBOX_PROFILE : undefined)
    );
  }
}
