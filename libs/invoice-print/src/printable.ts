import type { FECAEDetRequest } from '#libs/afip-wsfe';
import { cuit as formatCuit, date, decimal, money, voucherNumber } from './format.js';
import { IVA_RATES, type ItemLine, lineNet, round2 } from './items.js';
import { printedType, WITHHOLDING_TYPES, type PrintedLetter } from './voucher-types.js';

// A voucher as it is printed: every text already spelled out, so that the A4 and ticket layouts only place it.
// What each block holds follows INVOICE-PRINT.md (the checklist in 2, receivers in 3, totals in 4, RG 5614 in 5).

/** The voucher as authorized: FECAEDetRequest as sent (lists plain), and what ARCA answered. */
export interface AuthorizedVoucher {
  environment: string;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
  /** The FECAEDetRequest as sent, with the date and currency ARCA recorded. */
  detail: Omit<FECAEDetRequest, 'CbteDesde' | 'CbteHasta' | 'CbteFch' | 'MonId' | 'MonCotiz'> & {
    CbteFch: string;
    MonId: string;
    MonCotiz: number;
  };
  items?: ItemLine[];
  authorization: { type: 'CAE' | 'CAEA'; code: string; due: string };
  observations: { code: number; msg: string }[];
  /** The RG 4892 URL the QR encodes. */
  qrUrl: string;
}

export interface IssuerData {
  name: string;
  address: string;
  /** The issuer's IVA condition legend, e.g. "IVA Responsable Inscripto". */
  ivaCondition: string;
  /** Ingresos Brutos number, or "Exento" / "No contribuyente". */
  grossIncome: string;
  /** yyyymmdd. */
  activityStart: string;
  logo?: Buffer;
}

export interface ReceiverData {
  name?: string;
  address?: string;
  /** ARCA's description of CondicionIVAReceptorId. */
  ivaCondition?: string;
}

export interface PrintedLine {
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  discount: string;
  rate: string;
  amount: string;
}

export interface PrintableInvoice {
  letter: PrintedLetter;
  code: string;
  name: string;
  number: string;
  date: string;
  /** Under the letter box for ex class M types. */
  letterLegend?: string;
  issuer: {
    name: string;
    address: string;
    cuit: string;
    ivaCondition: string;
    grossIncome: string;
    activityStart: string;
    logo?: Buffer;
  };
  receiver: { name: string; address?: string; document?: string; ivaCondition: string };
  period?: string;
  paymentDue?: string;
  associated: string[];
  /** Column heads: A prices net of IVA with a rate column; B prices with IVA; C no IVA. */
  columns: { unitPrice: string; amount: string; rate: boolean };
  lines: PrintedLine[];
  totals: { label: string; amount: string; strong?: boolean }[];
  tributes: { label: string; amount: string }[];
  transparency?: { title: string; rows: { label: string; amount: string }[] };
  currency?: string;
  authorization: { label: string; code: string; dueLabel: string; due: string };
  qrUrl: string;
  legends: string[];
  observations: string[];
  /** Set outside production: the page says it has no fiscal value. */
  testMark?: string;
}

const DOCUMENT_TYPES: Record<number, string> = {
  80: 'CUIT',
  86: 'CUIL',
  87: 'CDI',
  89: 'LE',
  90: 'LC',
  91: 'CI extranjera',
  94: 'Pasaporte',
  96: 'DNI',
};
const TRIBUTES: Record<number, string> = {
  1: 'Impuestos nacionales',
  2: 'Impuestos provinciales',
  3: 'Impuestos municipales',
  4: 'Impuestos internos',
  5: 'Ingresos brutos',
  6: 'Percepción de IVA',
  7: 'Percepción de IIBB',
  8: 'Percepciones por impuestos municipales',
  9: 'Otras percepciones',
  13: 'Percepción de IVA a no categorizado',
  99: 'Otro',
};
/** Rates in the order ARCA's own invoices print them (INVOICE-PRINT.md 4). */
const RATE_ORDER = [6, 5, 4, 8, 9, 3];
/** Receivers to whom a B carries the RG 5614 block: final consumers, exempt, not reached (INVOICE-PRINT.md 5). */
const TRANSPARENCY_RECEIVERS = new Set([4, 5, 15]);
/** National indirect taxes besides IVA: national (1) and internal (4) taxes; the safest reading of RG 5614. */
const INDIRECT_TRIBUTES = new Set([1, 4]);
const MONOTRIBUTO_RECEIVERS = new Set([6, 13, 16]);
const LAW_27618 =
  'El crédito fiscal discriminado en el presente comprobante, sólo podrá ser computado a efectos del Régimen de ' +
  'Sostenimiento e Inclusión Fiscal para Pequeños Contribuyentes de la Ley Nº 27.618';

export function printable(
  voucher: AuthorizedVoucher,
  issuer: IssuerData,
  receiver: ReceiverData,
): PrintableInvoice {
  const type = printedType(voucher.cbteTipo);
  if (!type) throw new RangeError(`voucher type ${voucher.cbteTipo} has no printed form`);
  const detail = voucher.detail;
  const condition = detail.CondicionIVAReceptorId;
  const legends: string[] = [];
  if (type.letter !== 'A' && (condition === 5 || detail.DocTipo === 99)) legends.push('A CONSUMIDOR FINAL');
  if (type.letter === 'A' && condition !== undefined && MONOTRIBUTO_RECEIVERS.has(condition))
    legends.push(LAW_27618);
  const foreign = detail.MonId !== 'PES';
  const caea = voucher.authorization.type === 'CAEA';
  return {
    letter: type.letter,
    code: `COD. ${String(voucher.cbteTipo).padStart(2, '0')}`,
    name: type.name,
    number: voucherNumber(voucher.ptoVta, voucher.cbteNro),
    date: date(detail.CbteFch),
    ...(WITHHOLDING_TYPES.has(voucher.cbteTipo) ? { letterLegend: 'OPERACIÓN SUJETA A RETENCIÓN' } : {}),
    issuer: {
      name: issuer.name,
      address: issuer.address,
      cuit: formatCuit(voucher.cuit),
      ivaCondition: issuer.ivaCondition,
      grossIncome: issuer.grossIncome,
      activityStart: date(issuer.activityStart),
      ...(issuer.logo ? { logo: issuer.logo } : {}),
    },
    receiver: {
      name: receiver.name ?? (detail.DocTipo === 99 ? 'Consumidor final' : '-'),
      ...(receiver.address ? { address: receiver.address } : {}),
      ...(detail.DocTipo !== 99 && detail.DocNro
        ? {
            document: `${DOCUMENT_TYPES[detail.DocTipo] ?? `Doc. ${detail.DocTipo}`} ${documentNumber(detail)}`,
          }
        : {}),
      ivaCondition: receiver.ivaCondition ?? (condition === undefined ? '-' : `Condición ${condition}`),
    },
    ...(detail.Concepto !== 1 && detail.FchServDesde && detail.FchServHasta
      ? { period: `${date(detail.FchServDesde)} al ${date(detail.FchServHasta)}` }
      : {}),
    ...(detail.Concepto !== 1 && detail.FchVtoPago ? { paymentDue: date(detail.FchVtoPago) } : {}),
    associated: (detail.CbtesAsoc ?? []).map(
      (asoc) =>
        `${printedType(asoc.Tipo)?.name ?? `Tipo ${asoc.Tipo}`} ${voucherNumber(asoc.PtoVta, asoc.Nro)}`,
    ),
    columns:
      type.letter === 'A'
        ? { unitPrice: 'P. unit. s/IVA', amount: 'Subtotal s/IVA', rate: true }
        : {
            unitPrice: type.letter === 'B' ? 'P. unit. c/IVA' : 'Precio unit.',
            amount: 'Subtotal',
            rate: false,
          },
    lines: printedLines(voucher, type.letter),
    totals: totals(detail, type.letter),
    tributes: (detail.Tributos ?? []).map((tribute) => ({
      label: tribute.Desc
        ? `${TRIBUTES[tribute.Id] ?? 'Tributo'}: ${tribute.Desc}`
        : (TRIBUTES[tribute.Id] ?? `Tributo ${tribute.Id}`),
      amount: money(tribute.Importe),
    })),
    ...(type.letter === 'B' && condition !== undefined && TRANSPARENCY_RECEIVERS.has(condition)
      ? {
          transparency: {
            title: 'Régimen de Transparencia Fiscal al Consumidor (Ley 27.743)',
            rows: [
              { label: 'IVA Contenido', amount: money(detail.ImpIVA) },
              {
                label: 'Otros Impuestos Nacionales Indirectos',
                amount: money(
                  (detail.Tributos ?? [])
                    .filter((tribute) => INDIRECT_TRIBUTES.has(tribute.Id))
                    .reduce((sum, tribute) => sum + tribute.Importe, 0),
                ),
              },
            ],
          },
        }
      : {}),
    ...(foreign
      ? {
          currency:
            `Importes en ${detail.MonId}. El total de este comprobante expresado en moneda de curso legal - Pesos ` +
            `Argentinos - considerándose un tipo de cambio consignado de ${decimal(detail.MonCotiz)} asciende a: ` +
            `$ ${money(round2(detail.ImpTotal * detail.MonCotiz))}`,
        }
      : {}),
    authorization: {
      label: caea ? 'CAEA N°' : 'CAE N°',
      code: voucher.authorization.code,
      dueLabel: caea ? 'Vigencia del CAEA hasta' : 'Fecha de Vto. de CAE',
      due: date(voucher.authorization.due),
    },
    qrUrl: voucher.qrUrl,
    legends,
    observations: voucher.observations.map((observation) => `${observation.code}: ${observation.msg}`),
    ...(voucher.environment === 'production'
      ? {}
      : { testMark: `Comprobante de prueba, sin validez fiscal (${voucher.environment})` }),
  };
}

function documentNumber(detail: AuthorizedVoucher['detail']): string {
  return detail.DocTipo === 80 || detail.DocTipo === 86 || detail.DocTipo === 87
    ? formatCuit(detail.DocNro)
    : String(detail.DocNro);
}

/** The lines sold, priced as the letter prints them; with none sent, one line carrying the voucher's amounts. */
function printedLines(voucher: AuthorizedVoucher, letter: PrintedLetter): PrintedLine[] {
  const detail = voucher.detail;
  const items = voucher.items ?? [];
  if (items.length === 0) {
    const subtotal =
      letter === 'A' ? detail.ImpNeto + detail.ImpTotConc + detail.ImpOpEx : detail.ImpTotal - detail.ImpTrib;
    const single = Object.keys(IVA_RATES).find(
      (id) => detail.Iva?.length === 1 && detail.Iva[0]!.Id === Number(id),
    );
    return [
      {
        description:
          detail.Concepto === 1
            ? 'Productos según detalle de la operación'
            : 'Servicios según detalle de la operación',
        quantity: '1',
        unit: '',
        unitPrice: money(subtotal),
        discount: '',
        rate: letter === 'A' && single !== undefined ? `${decimal(IVA_RATES[Number(single)]! * 100)} %` : '',
        amount: money(subtotal),
      },
    ];
  }
  return items.map((item) => {
    const rate = item.AlicIvaId === undefined ? 0 : (IVA_RATES[item.AlicIvaId] ?? 0);
    // A prints prices net of IVA; B prices with IVA included; C has no IVA at all.
    const factor = letter === 'B' ? 1 + rate : 1;
    const net = lineNet(item);
    return {
      description: item.Description,
      quantity: decimal(item.Quantity),
      unit: item.Unit ?? '',
      unitPrice: money(round2(item.UnitPrice * factor)),
      discount: item.Discount ? money(round2(item.Discount * factor)) : '',
      rate: letter === 'A' ? (item.AlicIvaId === undefined ? 'Exento' : `${decimal(rate * 100)} %`) : '',
      amount: money(round2(net * factor)),
    };
  });
}

function totals(detail: AuthorizedVoucher['detail'], letter: PrintedLetter): PrintableInvoice['totals'] {
  const rows: PrintableInvoice['totals'] = [];
  if (letter === 'A') {
    rows.push({ label: 'Importe Neto Gravado', amount: money(detail.ImpNeto) });
    if (detail.ImpTotConc) rows.push({ label: 'Importe Neto No Gravado', amount: money(detail.ImpTotConc) });
    if (detail.ImpOpEx) rows.push({ label: 'Importe Exento', amount: money(detail.ImpOpEx) });
    for (const id of RATE_ORDER) {
      const amount = (detail.Iva ?? [])
        .filter((aliquot) => aliquot.Id === id)
        .reduce((sum, aliquot) => sum + aliquot.Importe, 0);
      rows.push({ label: `IVA ${decimal(IVA_RATES[id]! * 100)} %`, amount: money(amount) });
    }
  } else {
    rows.push({
      label: 'Subtotal',
      amount: money(letter === 'C' ? detail.ImpNeto : detail.ImpTotal - detail.ImpTrib),
    });
  }
  rows.push({ label: 'Importe Otros Tributos', amount: money(detail.ImpTrib) });
  rows.push({ label: 'Importe Total', amount: money(detail.ImpTotal), strong: true });
  return rows;
}
