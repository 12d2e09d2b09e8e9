import { Injectable } from '@nestjs/common';
import { type ParamTable, type RuleTables, ruleTablesFrom, WsfeClient } from '#libs/afip-wsfe';
import { BillingOptions } from './billing.options.js';
import { WsfeCalls } from './wsfe-calls.service.js';

/** REST names of ARCA's FEParamGet* tables (GET /v1/params/{table}). */
export const PARAM_TABLES = {
  comprobantes: 'FEParamGetTiposCbte',
  conceptos: 'FEParamGetTiposConcepto',
  documentos: 'FEParamGetTiposDoc',
  iva: 'FEParamGetTiposIva',
  monedas: 'FEParamGetTiposMonedas',
  tributos: 'FEParamGetTiposTributos',
  opcionales: 'FEParamGetTiposOpcional',
  'puntos-venta': 'FEParamGetPtosVenta',
  'condiciones-iva-receptor': 'FEParamGetCondicionIvaReceptor',
  paises: 'FEParamGetTiposPaises',
  actividades: 'FEParamGetActividades',
} as const satisfies Record<string, ParamTable>;

export type ParamTableName = keyof typeof PARAM_TABLES;

/** Tables whose rows depend on the CUIT asking; the others are the same for every issuer. */
const PER_CUIT = new Set<ParamTable>(['FEParamGetPtosVenta', 'FEParamGetActividades']);

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
  /** The value once the fetch has answered, for readers that cannot wait. */
  settled?: { value: T };
}

/**
 * ARCA's parameter tables, fetched once per TTL and shared by every request (one fetch even when many requests
 * miss at once). A failed fetch is not cached.
 */
@Injectable()
export class ParamTablesService {
  private readonly cache = new Map<string, Entry<unknown>>();

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly options: BillingOptions,
  ) {}

  table(cuit: number, table: ParamTable): Promise<Record<string, unknown>[]> {
    const key = PER_CUIT.has(table) ? `${table}/${cuit}` : table;
    return this.cached(key, () => this.calls.run(cuit, (auth) => this.wsfe.params(auth, table)));
  }

  /** The tables ARCA's invoice rules consult, read as the rules need them. */
  ruleTables(cuit: number): Promise<RuleTables> {
    return this.cached('rule-tables', async () => {
      const [monedas, tributos, opcionales, iva, condiciones] = await Promise.all([
        this.table(cuit, 'FEParamGetTiposMonedas'),
        this.table(cuit, 'FEParamGetTiposTributos'),
        this.table(cuit, 'FEParamGetTiposOpcional'),
        this.table(cuit, 'FEParamGetTiposIva'),
        this.table(cuit, 'FEParamGetCondicionIvaReceptor'),
      ]);
      return ruleTablesFrom({
        monedas: monedas as { Id: unknown }[],
        tributos: tributos as { Id: unknown }[],
        opcionales: opcionales as { Id: unknown }[],
        iva: iva as { Id: unknown; Desc: unknown }[],
        condicionesIvaReceptor: condiciones as { Id: unknown; Cmp_Clase: unknown }[],
      });
    });
  }

  /** FECompTotXRequest: the most details one FECAESolicitar may carry. */
  maxRecords(cuit: number): Promise<number> {
    return this.cached('max-records', () => this.calls.run(cuit, (auth) => this.wsfe.maxRecords(auth)));
  }

  /**
   * FECompTotXRequest as last fetched and not yet expired, without waiting or fetching: undefined until a request
   * has asked for it (the body's count is then checked after parsing, by InvoiceSizeInterceptor).
   */
  knownMaxRecords(): number | undefined {
    const hit = this.cache.get('max-records') as Entry<number> | undefined;
    return hit && hit.expiresAt > Date.now() ? hit.settled?.value : undefined;
  }

  private cached<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key) as Entry<T> | undefined;
    if (hit && hit.expiresAt > now) return hit.value;
    const value = fetch();
    const entry: Entry<T> = { value, expiresAt: now + this.options.paramTtlMs };
    this.cache.set(key, entry);
    value.then(
      (settled) => {
        entry.settled = { value: settled };
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    return value;
  }
}
