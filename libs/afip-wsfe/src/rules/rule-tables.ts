// The parameter tables ARCA's rules consult, built from FEParamGet* rows as ARCA returns them. The sandbox builds
// them from its own tables, the gateway from ARCA's (cached): one reading of the rows for both.

export interface RuleTables {
  /** FEParamGetTiposMonedas ids. */
  currencies: ReadonlySet<string>;
  /** FEParamGetTiposTributos ids. */
  tributes: ReadonlySet<number>;
  /** FEParamGetTiposOpcional ids. */
  optionals: ReadonlySet<string>;
  /** FEParamGetTiposIva: AlicIva Id -> rate (0.21 for "21%"). */
  ivaRates: ReadonlyMap<number, number>;
  /** FEParamGetCondicionIvaReceptor: Id -> the voucher classes that accept it (Cmp_Clase). */
  receiverConditions: ReadonlyMap<number, readonly string[]>;
}

export interface RuleTableRows {
  monedas: readonly { Id: unknown }[];
  tributos: readonly { Id: unknown }[];
  opcionales: readonly { Id: unknown }[];
  iva: readonly { Id: unknown; Desc: unknown }[];
  condicionesIvaReceptor: readonly { Id: unknown; Cmp_Clase: unknown }[];
}

export function ruleTablesFrom(rows: RuleTableRows): RuleTables {
  return {
    currencies: new Set(rows.monedas.map((row) => String(row.Id))),
    tributes: new Set(rows.tributos.map((row) => Number(row.Id))),
    optionals: new Set(rows.opcionales.map((row) => String(row.Id))),
    ivaRates: new Map(
      rows.iva.flatMap((row) => {
        const percent = /^(\d+(?:[.,]\d+)?)\s*%$/.exec(String(row.Desc).trim());
        return percent ? [[Number(row.Id), Number(percent[1]!.replace(',', '.')) / 100] as const] : [];
      }),
    ),
    receiverConditions: new Map(
      rows.condicionesIvaReceptor.map((row) => [
        Number(row.Id),
        String(row.Cmp_Clase)
          .split(/[,/ ]+/)
          .filter((part) => part !== ''),
      ]),
    ),
  };
}
