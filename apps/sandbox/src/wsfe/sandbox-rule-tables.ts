import { ruleTablesFrom } from '#libs/afip-wsfe';
import { CONDICIONES_IVA_RECEPTOR } from './condicion-iva-receptor.js';
import { type ParamRow, tiposIva, tiposMonedas, tiposOpcional, tiposTributos } from './param-tables.data.js';

const rows = (table: readonly ParamRow[]) => table.map(([Id, Desc]) => ({ Id, Desc }));

/** ARCA's rules read the sandbox's own parameter tables, through the same reading the gateway uses for ARCA's. */
export const SANDBOX_RULE_TABLES = ruleTablesFrom({
  monedas: rows(tiposMonedas),
  tributos: rows(tiposTributos),
  opcionales: rows(tiposOpcional),
  iva: rows(tiposIva),
  condicionesIvaReceptor: CONDICIONES_IVA_RECEPTOR.map((row) => ({
    Id: row.id,
    Cmp_Clase: row.classes.join(', '),
  })),
});
