// CPU time of the bench's processes, from /proc (Linux): on two cores the gateway, its PostgreSQL, the sandbox and
// the bench's own clients share the machine, and CPU per invoice moves far less between runs than invoices/s do.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** A /proc stat line's fields after the command name: [0] state, [1] ppid, [11..14] utime stime cutime cstime. */
function statFields(path) {
  return readFileSync(path, 'utf8').split(') ')[1].split(' ');
}

/** Clock ticks (USER_HZ 100) to ms. */
const ms = (ticks) => ticks * 10;

/** CPU time of a process so far, in ms; `thread`: one of its threads only (the main thread has the process's id). */
export function cpuMsOf(pid, thread) {
  const fields = statFields(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`);
  return ms(Number(fields[11]) + Number(fields[12]));
}

/**
 * CPU time so far of the embedded PostgreSQL of `dataDir`: its postmaster with the children it reaped, and its live
 * children (a backend that ends between two readings moves from the second to the first, so differences hold).
 */
function postgresCpuMs(dataDir) {
  const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const own = statFields(`/proc/${postmaster}/stat`);
  let total = ms(Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(`/proc/${entry}/stat`);
      if (Number(fields[1]) === postmaster) total += ms(Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while the directory was read.
    }
  }
  return total;
}

/**
 * Starts counting the CPU of the gateway (and its main thread), its embedded PostgreSQL, the sandbox and this
 * process (the clients); `perInvoice(count)` gives each one's ms per invoice since then, and how busy the machine's
 * cores were. Undefined where /proc cannot be read.
 */
export function cpuMeter({ gateway, sandbox, dataDir }) {
  const read = () => {
    const own = process.cpuUsage();
    return {
      gateway: cpuMsOf(gateway.pid),
      main: cpuMsOf(gateway.pid, gateway.pid),
      postgres: postgresCpuMs(dataDir),
      sandbox: cpuMsOf(sandbox.pid),
      client: (own.user + own.system) / 1000,
      at: performance.now(),
    };
  };
  let start;
  try {
    start = read();
  } catch {
    return { perInvoice: () => undefined };
  }
  return {
    perInvoice(count) {
      const end = read();
      const per = (name) => (end[name] - start[name]) / count;
      const all = ['gateway', 'postgres', 'sandbox', 'client'].reduce(
        (sum, name) => sum + end[name] - start[name],
        0,
      );
      return {
        gateway: per('gateway'),
        main: per('main'),
        postgres: per('postgres'),
        sandbox: per('sandbox'),
        client: per('client'),
        busy: all / ((end.at - start.at) * cpus().length),
      };
    },
  };
}

/** One bench row's text for `cpuMeter(...).perInvoice(...)`. */
export function cpuRow(cpu) {
  return (
    `gateway ${cpu.gateway.toFixed(2)} ms (its main thread ${cpu.main.toFixed(2)}), ` +
    `PostgreSQL ${cpu.postgres.toFixed(2)}, sandbox ${cpu.sandbox.toFixed(2)}, clients ${cpu.client.toFixed(2)}; ` +
    `cores ${(cpu.busy * 100).toFixed(0)} % busy`
  );
}
