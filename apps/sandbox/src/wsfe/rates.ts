import { yyyymmddUtc } from '#libs/afip-wsfe';

// The sandbox's exchange rates (ARCA's FEParamGetCotizacion answers the BNA seller rate of the previous business
// day). Fixed values, good enough to exercise the 2 %-400 % rule (10119); settable per test.
const DEFAULT_RATES: Record<string, number> = {
  DOL: 1050,
  '002': 1050,
  '060': 1120,
  '012': 185,
  '021': 1320,
  '019': 7,
};

export class ExchangeRates {
  private readonly rates = new Map(Object.entries(DEFAULT_RATES));

  rateOf(monId: string): number | undefined {
    if (monId === 'PES') return 1;
    return this.rates.get(monId) ?? 100;
  }

  set(monId: string, rate: number): void {
    this.rates.set(monId, rate);
  }

  /** The business day before `date` (Saturday and Sunday skipped), yyyymmdd. */
  static previousBusinessDay(date: Date): string {
    const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    do day.setUTCDate(day.getUTCDate() - 1);
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
    return yyyymmddUtc(day);
  }
}
