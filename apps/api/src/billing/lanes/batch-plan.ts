import type { CodeMsg, FECAEDetResponse, FECAEResponse } from '#libs/afip-wsfe';

// What a numbering lane sends in one FECAESolicitar, and how ARCA's answer to a batch is dealt back to the requests
// in it. Pure: the lane batcher and its unit spec use these.

/** What the planner needs to know of a queued request. */
export interface Plannable {
  /** How many vouchers (FECAEDetRequest) the request carries; they always travel together. */
  vouchers: number;
  /** The POS numbered its vouchers itself: they must be the lane's next numbers, so the request goes alone. */
  numbered: boolean;
  /** The request must go alone: an FCE voucher (ARCA takes one per call) or one dated after today. */
  alone: boolean;
}

/**
 * The requests of the next call, taken from the head of the queue in order: as many as fit in FECompTotXRequest
 * vouchers, a request that must go alone only by itself, a request never split. The head always goes, so the
 * queue moves even when its first request is larger than the limit (precheck refuses those anyway).
 */
export function takeBatch<T extends Plannable>(queue: T[], maxRecords: number): T[] {
  const head = queue.shift();
  if (!head) return [];
  const batch = [head];
  topUp(batch, queue, maxRecords);
  return batch;
}

/**
 * More of the queue's head for a batch already taken, by `takeBatch`'s rules, appended to it and returned: the
 * requests that came while the batch waited for its lane's lock go in the same call (a burst of sales on an idle
 * lane otherwise sends its first one alone and the rest one call later). Nothing joins a request that goes alone.
 */
export function topUp<T extends Plannable>(batch: T[], queue: T[], maxRecords: number): T[] {
  const head = batch[0];
  if (!head || head.numbered || head.alone) return [];
  let vouchers = batch.reduce((sum, entry) => sum + entry.vouchers, 0);
  const added: T[] = [];
  while (queue.length > 0) {
    const next = queue[0]!;
    if (next.numbered || next.alone || vouchers + next.vouchers > maxRecords) break;
    added.push(queue.shift()!);
    vouchers += next.vouchers;
  }
  batch.push(...added);
  return added;
}

/** How ARCA's answer to a batch went for one of its requests. */
export type RequestResult =
  /** ARCA processed the request's vouchers (each A or rejected by ARCA itself): this is its answer. */
  | { kind: 'answered'; result: FECAEResponse }
  /** ARCA stopped at an earlier rejection and did not look at this request: send it again, renumbered. */
  | { kind: 'not-processed' };

/**
 * ARCA processes a batch in order and stops at the first rejection: later details come back R without
 * observations (PROTOCOL.md 3.1). So each request gets the slice of the answer for its own vouchers; the requests
 * after the one holding the first rejection were not processed. ARCA's errors (`Errors`) belong to the request
 * that was rejected; events to every request. `refusedWhole`: ARCA refused the call for its numbering (10016), so
 * each request is answered with that refusal.
 */
export function splitResult(result: FECAEResponse, sizes: number[], refusedWhole = false): RequestResult[] {
  // A refusal of the whole call (its numbering): every request gets it as its answer, none is "not processed".
  const firstRejected = refusedWhole ? -1 : result.FeDetResp.findIndex((answer) => answer.Resultado !== 'A');
  let offset = 0;
  return sizes.map((size): RequestResult => {
    const start = offset;
    offset += size;
    if (firstRejected >= 0 && start > firstRejected) return { kind: 'not-processed' };
    const own = result.FeDetResp.slice(start, start + size);
    const holdsRejection = refusedWhole || (firstRejected >= start && firstRejected < start + size);
    return {
      kind: 'answered',
      result: {
        FeCabResp: result.FeCabResp && { ...result.FeCabResp, CantReg: size, Resultado: resultadoOf(own) },
        FeDetResp: own,
        Events: result.Events,
        Errors: holdsRejection ? result.Errors : ([] as CodeMsg[]),
      },
    };
  });
}

function resultadoOf(answers: FECAEDetResponse[]): 'A' | 'R' | 'P' {
  const authorized = answers.filter((answer) => answer.Resultado === 'A').length;
  if (authorized === answers.length) return 'A';
  return authorized === 0 ? 'R' : 'P';
}

/** ARCA refused the whole call because its numbers are not the lane's next ones (10016 in Errors). */
export function isNumberingRefusal(result: FECAEResponse): boolean {
  return (
    result.Errors.some((item) => item.Code === 10016) &&
    result.FeDetResp.every((answer) => answer.Resultado !== 'A')
  );
}
