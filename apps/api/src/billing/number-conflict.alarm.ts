import type { Logger } from '@nestjs/common';
import type { BillingMetrics } from './billing.metrics.js';
import type { NumberConflict } from './invoice.repository.js';
import type { LaneKey } from './lanes/numbering-lane.repository.js';

/**
 * ARCA authorized numbers the gateway had recorded already: stored all the same (the earlier record superseded),
 * and raised here as an alarm a person acts on: an error line each, and `arca_number_conflicts_total`.
 */
export function alarmConflicts(
  conflicts: NumberConflict[],
  key: LaneKey,
  logger: Logger,
  metrics: BillingMetrics,
): void {
  for (const conflict of conflicts) {
    metrics.numberConflict();
    logger.error(
      `NUMBER CONFLICT ${key.cuit}/${key.ptoVta}/${key.cbteTipo} (${key.environment}) #${conflict.cbteNro}: ARCA ` +
        `authorized it again with CAE ${conflict.cae}; the gateway's earlier record (CAE ${conflict.superseded.cae ?? '-'}, ` +
        `invoice ${conflict.superseded.invoiceId}) is kept as superseded`,
    );
  }
}
