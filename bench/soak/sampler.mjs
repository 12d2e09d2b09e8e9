// Every few seconds, per process: resident memory, and for gateways what /metrics says of the V8 heap, the event
// loop's lag (p99 since the last scrape), the database pool and the lanes' queues.
import { readFileSync } from 'node:fs';

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0; // the process is gone
  }
}

/** The sum of a series' samples in a Prometheus exposition, optionally only those with a label value. */
function series(text, name, label) {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (label && !line.includes(label)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : null;
}

export async function sample(world, startedAt) {
  const at = (Date.now() - startedAt) / 1000;
  const rows = [];
  for (const process of world.processes) {
    const row = { at, name: process.name, rssMb: rssMb(process.pid) };
    const gateway = world.gateways[Number(process.name.split('-')[1])];
    if (process.name.startsWith('gateway') && gateway) {
      try {
        const text = await (
          await fetch(`${gateway.url}/metrics`, { signal: AbortSignal.timeout(10_000) })
        ).text();
        row.heapMb = (series(text, 'arca_nodejs_heap_size_used_bytes') ?? 0) / 2 ** 20;
        row.lagP99Ms = (series(text, 'arca_nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000;
        row.poolBusy = series(text, 'arca_db_pool_connections', 'state="busy"');
        row.poolWaiting = series(text, 'arca_db_pool_connections', 'state="waiting"');
        row.queued = series(text, 'arca_lane_queue_depth') ?? 0;
      } catch {
        row.scrapeFailed = true;
      }
    }
    rows.push(row);
  }
  return rows;
}

/** Least-squares slope of `value` over `at`, in units per minute. */
export function slopePerMinute(points) {
  if (points.length < 2) return 0;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.at, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / n;
  const num = points.reduce((sum, p) => sum + (p.at - meanX) * (p.value - meanY), 0);
  const den = points.reduce((sum, p) => sum + (p.at - meanX) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}
