import { randomInt } from 'node:crypto';
import type { Certificate } from 'pkijs';
import { escapeXml } from '#libs/afip-soap';
import { cuitOfName } from '#libs/pki';
import { argentinaIso } from '#libs/afip-wsfe';
import type { SandboxClock } from '../clock.js';
import { type TicketAuthority, WSAA_DN } from '../ticket-authority.js';
import { verifyLoginCms } from './cms-verifier.js';
import { readTra } from './tra-reader.js';
import { WsaaFault } from './wsaa-fault.js';

const TICKET_HOURS = 12;
/** Services the sandbox knows; a certificate is authorized for `wsfe` only (as a WSASS relation would say). */
const KNOWN_SERVICES = new Set([
  'wsfe',
  'wsfex',
  'wsmtxca',
  'wsbfe',
  'ws_sr_padron_a5',
  'ws_sr_constancia_inscripcion',
]);
// The services the sandbox serves: invoicing and the taxpayer registry (padrón A5).
const AUTHORIZED_SERVICES = new Set(['wsfe', 'ws_sr_constancia_inscripcion']);

export interface LoginServiceOptions {
  ca: Certificate;
  clock: SandboxClock;
  tickets: TicketAuthority;
  /** How long a second login for the same certificate and service is refused. ARCA: 2 min (production). */
  alreadyAuthenticatedMs: number;
}

export interface LoginRecord {
  cuit: string;
  service: string;
  at: Date;
}

/** WSAA's loginCms: a signed TRA in, a 12-hour TA out, or one of ARCA's faults. */
export class LoginService {
  private readonly lastLogin = new Map<string, number>();
  readonly logins: LoginRecord[] = [];

  constructor(private readonly options: LoginServiceOptions) {}

  async login(in0: string): Promise<string> {
    const now = this.options.clock.now();
    const cms = await verifyLoginCms(in0, this.options.ca, now);
    const tra = readTra(cms.content, now);
    if (tra.source && normalizeDn(tra.source) !== normalizeDn(cms.signerDn))
      throw new WsaaFault('xml.source.invalid');
    if (tra.destination && normalizeDn(tra.destination) !== normalizeDn(WSAA_DN))
      throw new WsaaFault('xml.destination.invalid');
    if (!KNOWN_SERVICES.has(tra.service)) throw new WsaaFault('wsn.notFound');
    const cuit = cuitOfName(cms.signer.subject);
    if (!cuit || !AUTHORIZED_SERVICES.has(tra.service)) throw new WsaaFault('coe.notAuthorized');

    // ARCA keeps the key of this refusal undocumented; the sandbox uses the certificate (issuer + serial).
    const key = `${Buffer.from(cms.signer.serialNumber.valueBlock.valueHexView).toString('hex')}/${tra.service}`;
    const previous = this.lastLogin.get(key);
    if (previous !== undefined && now.getTime() - previous < this.options.alreadyAuthenticatedMs) {
      throw new WsaaFault('coe.alreadyAuthenticated');
    }
    this.lastLogin.set(key, now.getTime());
    this.logins.push({ cuit, service: tra.service, at: now });

    const expirationTime = new Date(now.getTime() + TICKET_HOURS * 3_600_000);
    const uniqueId = randomInt(1, 2 ** 32 - 1);
    const { token, sign } = this.options.tickets.issue({
      cuit,
      uid: cms.signerDn,
      service: tra.service,
      uniqueId,
      generationTime: now,
      expirationTime,
    });
    return loginTicketResponse(cms.signerDn, uniqueId, now, expirationTime, token, sign);
  }

  reset(): void {
    this.lastLogin.clear();
    this.logins.length = 0;
  }
}

function normalizeDn(dn: string): string {
  return dn
    .split(',')
    .map((part) =>
      part
        .trim()
        .toUpperCase()
        .replace(/\s*=\s*/, '='),
    )
    .sort()
    .join(',');
}

/** The TA as ARCA formats it (PROTOCOL.md 2.3): indented, `standalone="yes"`, times with milliseconds and -03:00. */
function loginTicketResponse(
  destination: string,
  uniqueId: number,
  generation: Date,
  expiration: Date,
  token: string,
  sign: string,
): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<loginTicketResponse version="1.0">\n    <header>\n' +
    `        <source>${escapeXml(WSAA_DN)}</source>\n` +
    `        <destination>${escapeXml(destination)}</destination>\n` +
    `        <uniqueId>${uniqueId}</uniqueId>\n` +
    `        <generationTime>${argentinaIso(generation)}</generationTime>\n` +
    `        <expirationTime>${argentinaIso(expiration)}</expirationTime>\n` +
    '    </header>\n    <credentials>\n' +
    `        <token>${token}</token>\n` +
    `        <sign>${sign}</sign>\n` +
    '    </credentials>\n</loginTicketResponse>\n'
  );
}
