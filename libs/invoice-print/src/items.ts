// The lines a POS sold, sent beside a voucher's totals (`Items`), and how they must agree with those totals.

/** One line of a sale as the POS sends it: UnitPrice is net of IVA, Discount an amount off the line. */
export interface ItemLine {
  Description: string;
  Quantity: number;
  UnitPrice: number;
  /** IVA rate of the line (FEParamGetTiposIva); left out for exempt or untaxed lines, and on class C. */
  AlicIvaId?: number;
  Discount?: number;
  Unit?: string;
}

/** IVA rates by AlicIva Id (PROTOCOL.md 10051). */
export const IVA_RATES: Readonly<Record<number, number>> = {
  3: 0,
  4: 0.105,
  5: 0.21,
  6: 0.27,
  8: 0.05,
  9: 0.025,
};

/** A line's amount net of IVA, rounded to cents: Quantity × UnitPrice − Discount. */
export function lineNet(item: ItemLine): number {
  return round2(item.Quantity * item.UnitPrice - (item.Discount ?? 0));
}

export function round2(value: number): number {
  return Math.round((value + Number.EPSILON * Math.sign(value)) * 100) / 100;
}

/** What of a voucher's totals the lines are checked against (FECAEDetRequest's amounts and Iva). */
export interface ItemTotals {
  ImpNeto: number;
  ImpTotConc: number;
  ImpOpEx: number;
  Iva?: { Id: number; BaseImp: number; Importe: number }[];
}

export interface ItemProblem {
  /** Relative to the detail: `Items`, `Items.2.AlicIvaId`. */
  field: string;
  rule: string;
  message: string;
}

/**
 * ARCA's tolerance for a sum (PROTOCOL.md 4.1): 0.01 per summed term, or 0.01 % of the amount, whichever is
 * larger. Lines are rounded to cents one by one, so each line is a term.
 */
function tolerance(terms: number, amount: number): number {
  return Math.max(0.01 * Math.max(terms, 1), Math.abs(amount) * 0.0001) + 1e-9;
}

/**
 * The lines against the totals. Class C has no IVA: lines carry no rate and add up to ImpNeto. Otherwise, per IVA
 * rate, the lines' net adds up to that AlicIva's BaseImp and their IVA to its Importe; lines without a rate add up
 * to ImpOpEx + ImpTotConc. `relaxedIva` (debit and credit notes, whose AlicIva may lack an Id): all taxed lines
 * together against ImpNeto.
 */
export function checkItems(
  items: ItemLine[],
  totals: ItemTotals,
  kind: { classC: boolean; relaxedIva: boolean },
): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const nets = items.map(lineNet);
  nets.forEach((net, index) => {
    if (net < 0)
      problems.push({
        field: `Items.${index}.Discount`,
        rule: 'items.discount',
        message: `Items.${index}: the discount is larger than Quantity × UnitPrice`,
      });
  });
  if (kind.classC) {
    items.forEach((item, index) => {
      if (item.AlicIvaId !== undefined)
        problems.push({
          field: `Items.${index}.AlicIvaId`,
          rule: 'items.class-c',
          message: `Items.${index}.AlicIvaId: class C vouchers carry no IVA, so their lines have no rate`,
        });
    });
    problems.push(...sumProblem('all lines', all(items), nets, totals.ImpNeto, 'ImpNeto', 'items.net'));
    return problems;
  }
  const untaxed = items.flatMap((item, index) => (item.AlicIvaId === undefined ? [index] : []));
  problems.push(
    ...sumProblem(
      'the lines without AlicIvaId (exempt or untaxed)',
      untaxed,
      nets,
      round2(totals.ImpOpEx + totals.ImpTotConc),
      'ImpOpEx + ImpTotConc',
      'items.untaxed',
    ),
  );
  const taxed = items.flatMap((item, index) => (item.AlicIvaId === undefined ? [] : [index]));
  if (kind.relaxedIva) {
    problems.push(
      ...sumProblem('the lines with a rate', taxed, nets, totals.ImpNeto, 'ImpNeto', 'items.net'),
    );
    return problems;
  }
  const aliquots = totals.Iva ?? [];
  for (const index of taxed) {
    const id = items[index]!.AlicIvaId!;
    if (IVA_RATES[id] === undefined || !aliquots.some((aliquot) => aliquot.Id === id))
      problems.push({
        field: `Items.${index}.AlicIvaId`,
        rule: 'items.rate',
        message: `Items.${index}.AlicIvaId ${id} has no Iva.AlicIva entry with that Id on this voucher`,
      });
  }
  for (const aliquot of aliquots) {
    const rate = IVA_RATES[aliquot.Id];
    if (rate === undefined) continue;
    const lines = taxed.filter((index) => items[index]!.AlicIvaId === aliquot.Id);
    const what = `the lines at AlicIvaId ${aliquot.Id} (${rate * 100} %)`;
    const net = sumProblem(
      what,
      lines,
      nets,
      aliquot.BaseImp,
      `Iva.AlicIva Id ${aliquot.Id} BaseImp`,
      'items.net',
    );
    problems.push(...net);
    if (net.length > 0) continue;
    const iva = round2(lines.reduce((sum, index) => sum + nets[index]! * rate, 0));
    if (Math.abs(iva - aliquot.Importe) > tolerance(lines.length, aliquot.Importe))
      problems.push({
        field: 'Items',
        rule: 'items.iva',
        message:
          `Items: ${what} (${describe(lines)}) carry IVA ${iva.toFixed(2)}, but Iva.AlicIva Id ${aliquot.Id} ` +
          `Importe is ${aliquot.Importe.toFixed(2)}`,
      });
  }
  return problems;
}

function sumProblem(
  what: string,
  lines: number[],
  nets: number[],
  expected: number,
  against: string,
  rule: string,
): ItemProblem[] {
  const sum = round2(lines.reduce((total, index) => total + nets[index]!, 0));
  if (Math.abs(sum - expected) <= tolerance(lines.length, expected)) return [];
  return [
    {
      field: 'Items',
      rule,
      message:
        `Items: ${what} (${describe(lines)}) add up to ${sum.toFixed(2)} net of IVA, but ${against} is ` +
        `${expected.toFixed(2)}`,
    },
  ];
}

function all(items: ItemLine[]): number[] {
  return items.map((_, index) => index);
}

function describe(lines: number[]): string {
  if (lines.length === 0) return 'none';
  const shown = lines.slice(0, 10).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > 10 ? ', ...' : ''}`;
}
