import type { IncomingMessage } from 'node:http';
import type { AppError } from '../common/app-error.js';
import type { BodyPrescan } from '../common/json-body-parser.js';
import { jsonArrayLength } from '../common/json-array-length.js';
import { tooManyDetails } from './invoice-size.interceptor.js';
import type { ParamTablesService } from './param-tables.service.js';

const DETAILS_PATH = ['FeCAEReq', 'FeDetReq', 'FECAEDetRequest'].map((key) => Buffer.from(key));
/** Smaller bodies cannot hold more details than ARCA takes (one detail is ~240 bytes): parsing them costs little. */
const SCAN_FROM_BYTES = 16 * 1024;

/**
 * POST /v1/invoices: a body with more details than FECompTotXRequest is refused from its bytes, before JSON.parse
 * builds it. A 1,000-voucher body is ~240 KB: parsing and walking it cost several ms of CPU, which a client
 * sending such bodies in a loop takes from everyone else; counting from the bytes costs a fraction of that. It
 * refuses only bodies that would be refused after parsing, with the 400 InvoiceSizeInterceptor gives (same field,
 * same rule; an FCE body, whose limit is 1, is told FECompTotXRequest's figure; a body with other faults as well
 * hears of its count first): while no FECompTotXRequest is known yet, or when the scan is not certain of the
 * count, the body goes on to the parser and the interceptor. It runs before authentication, like the body size limit: such a body gets this 400 without a
 * valid key too, which tells only ARCA's public limit.
 */
export function invoiceCountPrescan(params: ParamTablesService): BodyPrescan {
  return (req: IncomingMessage, bytes: Buffer): AppError | undefined => {
    if (bytes.length < SCAN_FROM_BYTES || req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/invoices')
      return undefined;
    const limit = params.knownMaxRecords();
    if (limit === undefined) return undefined;
    const count = jsonArrayLength(bytes, DETAILS_PATH);
    return count !== undefined && count > limit ? tooManyDetails(count, limit) : undefined;
  };
}
