import { callWsfe, type Credentials, type TestSandbox, toXml } from '#libs/testing';

/** Today in Argentina as yyyymmdd, by the sandbox clock. */
export function today(sandbox: TestSandbox, offsetDays = 0): string {
  return new Date(sandbox.clock.now().getTime() - 3 * 3_600_000 + offsetDays * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
}

/** A valid Factura B to a final consumer (the README's example voucher), numbered `nro`. */
export function facturaB(
  nro: number,
  cbteFch: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Concepto: 1,
    DocTipo: 96,
    DocNro: 12345678,
    CbteDesde: nro,
    CbteHasta: nro,
    CbteFch: cbteFch,
    ImpTotal: 1210,
    ImpTotConc: 0,
    ImpNeto: 1000,
    ImpOpEx: 0,
    ImpTrib: 0,
    ImpIVA: 210,
    MonId: 'PES',
    MonCotiz: 1,
    CondicionIVAReceptorId: 5,
    Iva: { AlicIva: [{ Id: 5, BaseImp: 1000, Importe: 210 }] },
    ...overrides,
  };
}

export async function solicitar(
  sandbox: TestSandbox,
  credentials: Credentials,
  cab: { PtoVta: number; CbteTipo: number; CantReg?: number },
  details: Record<string, unknown>[],
) {
  const inner = toXml({
    FeCAEReq: {
      FeCabReq: { CantReg: cab.CantReg ?? details.length, PtoVta: cab.PtoVta, CbteTipo: cab.CbteTipo },
      FeDetReq: { FECAEDetRequest: details },
    },
  });
  const response = await callWsfe(sandbox, 'FECAESolicitar', inner, credentials);
  return { ...response, outcome: outcomeOf(response.text) };
}

/** What a test compares: Resultado of the header and of each detail, Err codes, Obs codes per detail, CAEs. */
export function outcomeOf(text: string) {
  const details = [...text.matchAll(/<FECAEA?DetResponse>([\s\S]*?)<\/FECAEA?DetResponse>/g)].map(
    ([, detail]) => ({
      resultado: /<Resultado>(\w)<\/Resultado>/.exec(detail ?? '')?.[1],
      obs: [...(detail ?? '').matchAll(/<Obs><Code>(\d+)<\/Code>/g)].map((match) => Number(match[1])),
      cae: /<CAE>(\d+)<\/CAE>/.exec(detail ?? '')?.[1],
    }),
  );
  const errorsBlock = /<Errors>([\s\S]*?)<\/Errors>/.exec(text)?.[1] ?? '';
  return {
    resultado: /<FeCabResp>[\s\S]*?<Resultado>(\w)<\/Resultado>/.exec(text)?.[1],
    errors: [...errorsBlock.matchAll(/<Code>(\d+)<\/Code>/g)].map((match) => Number(match[1])),
    details,
  };
}
