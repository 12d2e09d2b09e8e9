import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { writeNtpTimestamp } from '#libs/afip-wsaa';

/** A local SNTP server answering with `now()` (the true time by default), for clock tests. */
export async function startNtpResponder(
  now: () => number = Date.now,
): Promise<{ address: string; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (_message, remote) => {
    const answer = Buffer.alloc(48);
    answer[0] = (0 << 6) | (4 << 3) | 4; // version 4, server mode
    answer[1] = 1; // stratum 1
    writeNtpTimestamp(answer, 32, now());
    writeNtpTimestamp(answer, 40, now());
    socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
