// The whole audit chain verified the way an admin does it: start the background run, follow it to its verdict.

export interface ChainVerdict {
  id: string;
  state: string;
  ok: boolean | null;
  checked: number;
  fromSeq: string;
  toSeq: string;
  progress: number;
  firstBroken: { seq: string; kind: string; reason: string } | null;
}

/** POST /v1/audit/verify (`full`: from the first entry), then GET .../{jobId} until the run is no longer running. */
export async function verifyWholeChain(
  url: string,
  adminKey: string,
  full = true,
  timeoutMs = 120_000,
): Promise<ChainVerdict> {
  const headers = { authorization: `Bearer ${adminKey}` };
  const started = await fetch(`${url}/v1/audit/verify${full ? '?full=true' : ''}`, {
    method: 'POST',
    headers,
  });
  if (started.status !== 202)
    throw new Error(`verification not started: ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as ChainVerdict;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await (await fetch(`${url}/v1/audit/verify/${id}`, { headers })).json()) as ChainVerdict;
    if (run.state !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`verification ${id} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
