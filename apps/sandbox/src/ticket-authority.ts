import { createHmac, timingSafeEqual } from 'node:crypto';
import { escapeXml, parseXml } from '#libs/afip-soap';

// The sandbox WSAA's own identity, as ARCA's `source` names wsaahomo (PROTOCOL.md 2.3).
export const WSAA_DN = 'CN=wsaa-sandbox, O=arca-gateway, C=AR, SERIALNUMBER=CUIT 33693450239';
const ENTITY = '33693450239';

export interface TicketGrant {
  /** CUIT the certificate belongs to; the only relation the sandbox grants. */
  cuit: string;
  /** Certificate subject as ARCA prints it (`SERIALNUMBER=CUIT ..., CN=...`). */
  uid: string;
  service: string;
  uniqueId: number;
  generationTime: Date;
  expirationTime: Date;
}

export interface TokenContents {
  service: string;
  genTime: number;
  expTime: number;
  relations: string[];
}

/**
 * Issues and checks access tickets. The token is the base64 `sso` document ARCA issues (relations frozen in
 * it); the sign is an HMAC of the token under the sandbox's secret, 128 bytes like ARCA's 1024-bit signature,
 * so WSFEv1 can tell a forged or altered token. The secret persists, so tickets survive a sandbox restart.
 */
export class TicketAuthority {
  constructor(private readonly secret: Buffer) {}

  issue(grant: TicketGrant): { token: string; sign: string } {
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
    // ARCA's token: gen_time is the TA generation minus 60 s; exp_time the TA expiration (PROTOCOL.md 2.3).
    const sso =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sso version="2.0">\n' +
      `    <id src="${WSAA_DN}" dst="CN=${escapeXml(grant.service)}, O=AFIP, C=AR" unique_id="${grant.uniqueId}" ` +
      `gen_time="${seconds(grant.generationTime) - 60}" exp_time="${seconds(grant.expirationTime)}"/>\n` +
      '    <operation type="login" value="granted">\n' +
      `        <login entity="${ENTITY}" service="${escapeXml(grant.service)}" uid="${escapeXml(grant.uid)}" authmethod="cms" regmethod="22">\n` +
      '            <relations>\n' +
      `                <relation key="${grant.cuit}" reltype="4"/>\n` +
      '            </relations>\n        </login>\n    </operation>\n</sso>\n';
    const token = Buffer.from(sso).toString('base64');
    return { token, sign: this.signatureOf(token).toString('base64') };
  }

  signMatches(token: string, sign: string): boolean {
    const expected = this.signatureOf(token);
    const given = Buffer.from(sign, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The token's contents, or undefined when it is not a token this authority could have issued. */
  read(token: string): TokenContents | undefined {
    try {
      const sso = parseXml(Buffer.from(token, 'base64').toString('utf8'));
      const id = sso.getElementsByTagName('id')[0];
      const login = sso.getElementsByTagName('login')[0];
      if (sso.localName !== 'sso' || !id || !login) return undefined;
      const relations = Array.from(sso.getElementsByTagName('relation')).map(
        (relation) => relation.getAttribute('key') ?? '',
      );
      return {
        service: login.getAttribute('service') ?? '',
        genTime: Number(id.getAttribute('gen_time')),
        expTime: Number(id.getAttribute('exp_time')),
        relations,
      };
    } catch {
      return undefined;
    }
  }

  private signatureOf(token: string): Buffer {
    const part = (label: string) => createHmac('sha512', this.secret).update(label).update(token).digest();
    return Buffer.concat([part('arca-sandbox-sign-1:'), part('arca-sandbox-sign-2:')]);
  }
}
