import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTra, signCms } from '#libs/afip-wsaa';
import { certificateFromPem, type DevCa, importPrivateKeyPem } from '#libs/pki';
import { type Sandbox, type SandboxOptions, startSandbox } from '#sandbox';

export const WSDL_DIR = join(import.meta.dirname, '..', '..', '..', 'wsdl');
export const FEV1 = 'http://ar.gov.afip.dif.FEV1/';

export interface TestSandbox extends Sandbox {
  stateDir: string;
  stop(): Promise<void>;
}

/** A sandbox on a free port with its own CA in a temporary directory. */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'arca-sandbox-'));
  const sandbox = await startSandbox({ port: 0, stateDir, wsdlDir: WSDL_DIR, ...options });
  return {
    ...sandbox,
    stateDir,
    stop: async () => {
      await sandbox.close();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface Credentials {
  token: string;
  sign: string;
  cuit: number;
}

/** Signs a TRA for `cuit` with a fresh certificate from `ca` (at the sandbox's clock) and returns `in0`. */
export async function signedLoginRequest(
  ca: DevCa,
  cuit: string,
  now: Date,
  tra: string = buildTra({ service: 'wsfe', now }),
  certificateOptions: { notBefore?: Date; notAfter?: Date } = {},
): Promise<string> {
  const issued = await ca.issueCuitCertificate({ cuit, ...certificateOptions }, now);
  const cms = await signCms(
    tra,
    certificateFromPem(issued.certificatePem),
    await importPrivateKeyPem(issued.privateKeyPem),
    now,
  );
  return Buffer.from(cms).toString('base64');
}

export function loginCmsEnvelope(
  in0: string,
  namespace = 'http://wsaa.view.sua.dvadac.desein.afip.gov',
): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    `xmlns:wsaa="${namespace}"><soapenv:Header/><soapenv:Body><wsaa:loginCms><wsaa:in0>${in0}</wsaa:in0>` +
    '</wsaa:loginCms></soapenv:Body></soapenv:Envelope>'
  );
}

export async function postSoap(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '""', ...headers },
    body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Logs in to the sandbox's WSAA over HTTP for `service` (WSFEv1's by default) and returns token and sign. */
export async function login(sandbox: Sandbox, cuit = '20123456789', service = 'wsfe'): Promise<Credentials> {
  const now = sandbox.clock.now();
  const in0 = await signedLoginRequest(sandbox.ca, cuit, now, buildTra({ service, now }));
  const { status, text } = await postSoap(sandbox.wsaaUrl, loginCmsEnvelope(in0));
  if (status !== 200) throw new Error(`login failed: ${status} ${text}`);
  const ta = unescapeXml(/<loginCmsReturn>([\s\S]*)<\/loginCmsReturn>/.exec(text)?.[1] ?? '');
  const token = /<token>([^<]+)<\/token>/.exec(ta)?.[1] ?? '';
  const sign = /<sign>([^<]+)<\/sign>/.exec(ta)?.[1] ?? '';
  return { token, sign, cuit: Number(cuit) };
}

/** A WSFEv1 SOAP 1.1 request for `operation`, the Auth block first when credentials are given. */
export function wsfeEnvelope(operation: string, inner: string, credentials?: Credentials): string {
  const auth = credentials
    ? `<Auth><Token>${credentials.token}</Token><Sign>${credentials.sign}</Sign><Cuit>${credentials.cuit}</Cuit></Auth>`
    : '';
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><${operation} xmlns="${FEV1}">${auth}${inner}</${operation}></soap:Body></soap:Envelope>`
  );
}

export async function callWsfe(
  sandbox: Sandbox,
  operation: string,
  inner: string,
  credentials?: Credentials,
) {
  return postSoap(sandbox.wsfeUrl, wsfeEnvelope(operation, inner, credentials), {
    SOAPAction: `"${FEV1}${operation}"`,
  });
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
