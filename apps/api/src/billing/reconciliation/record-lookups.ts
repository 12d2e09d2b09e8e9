import type { FECompConsResponse } from '#libs/afip-wsfe';

/** What ARCA recorded under each number asked: its record, or null when it has nothing there. */
export type KnownRecords = Map<number, FECompConsResponse | null>;

/**
 * FECompConsultar for many numbers, `atOnce` at a time (it only reads), for a call whose vouchers ARCA processed
 * and whose answer was lost: one after another, 100 vouchers cost 100 of ARCA's round trips while their lane
 * waits. The first failure stops the rest: a number missing from the answer is asked again, alone, when its
 * voucher is settled (where a failure blocks the lane as before).
 */
export async function lookUpAtOnce(
  consult: (cbteNro: number) => Promise<FECompConsResponse | undefined>,
  numbers: number[],
  atOnce: number,
): Promise<KnownRecords> {
  const known: KnownRecords = new Map();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < numbers.length) {
      const cbteNro = numbers[next++]!;
      try {
        known.set(cbteNro, (await consult(cbteNro)) ?? null);
      } catch {
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, numbers.length) }, worker));
  return known;
}
