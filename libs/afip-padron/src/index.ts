export { type ConditionReading, IVA_CONDITIONS, ivaCondition } from './iva-condition.js';
export {
  PADRON_LIST_LIMIT,
  PADRON_NAMESPACE,
  PADRON_SERVICE,
  PadronClient,
  type PadronClientOptions,
} from './padron-client.js';
export { kindOfFault, PadronError, type PadronErrorKind } from './padron-error.js';
export type * from './padron-types.js';
