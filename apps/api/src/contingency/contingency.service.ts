import { Injectable } from '@nestjs/common';
import { yyyymmdd } from '#libs/afip-wsfe';
import { AppConfig } from '../config/app.config.js';
import { BillingOptions } from '../billing/billing.options.js';
import { CaeaRepository } from './caea.repository.js';
import { contingencyPointFor, isCaePoint, isCaeaPoint } from './contingency-points.js';
import { ContingencyVouchersRepository } from './contingency-vouchers.repository.js';

/** GET /v1/contingency: per CUIT, its CAEAs, contingency points of sale, vouchers by report state and alarms. */
@Injectable()
export class ContingencyService {
  constructor(
    private readonly config: AppConfig,
    private readonly options: BillingOptions,
    private readonly caeas: CaeaRepository,
    private readonly vouchers: ContingencyVouchersRepository,
  ) {}

  async overview(cuits?: number[]) {
    const environment = this.config.afip.environment;
    const today = yyyymmdd(this.options.now());
    const [caeas, points, summary, alarms, idle] = await Promise.all([
      this.caeas.list(environment, cuits),
      this.caeas.points(environment, cuits),
      this.vouchers.summary(environment, cuits),
      this.vouchers.alarms(environment, cuits),
      this.caeas.withoutMovement(environment, cuits),
    ]);
    const all = [
      ...new Set([...caeas.map((c) => c.cuit), ...points.map((p) => p.cuit), ...summary.map((s) => s.cuit)]),
    ];
    return {
      environment,
      enabled: this.config.contingency.enabled,
      today,
      cuits: all
        .sort((a, b) => a - b)
        .map((cuit) => ({
          cuit,
          pointsOfSale: this.pairs(cuit, points),
          caeas: caeas
            .filter((caea) => caea.cuit === cuit)
            .map((caea) => ({
              ...caea,
              current: caea.fchVigDesde <= today && today <= caea.fchVigHasta,
              vouchers: Object.fromEntries(
                summary
                  .filter((row) => row.cuit === cuit && row.caea === caea.caea)
                  .map((row) => [row.state, row.count]),
              ),
              withoutMovement: idle.filter(
                (row) => row.cuit === cuit && row.periodo === caea.periodo && row.orden === caea.orden,
              ),
            })),
          vouchers: summary.filter((row) => row.cuit === cuit),
          alarms: alarms.filter((row) => row.cuit === cuit),
        })),
    };
  }

  /** Each CAE point of sale of the CUIT and the contingency point of sale it switches to (null: none). */
  pairs(cuit: number, points: Awaited<ReturnType<CaeaRepository['points']>>) {
    return {
      contingency: points
        .filter((point) => point.cuit === cuit && isCaeaPoint(point))
        .map((point) => point.ptoVta),
      pairs: points
        .filter((point) => point.cuit === cuit && isCaePoint(point))
        .map((point) => ({
          ptoVta: point.ptoVta,
          contingencyPtoVta:
            contingencyPointFor(cuit, point.ptoVta, points, this.config.contingency.pairs) ?? null,
        })),
    };
  }
}
