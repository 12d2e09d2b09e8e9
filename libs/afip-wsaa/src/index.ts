export { signCms } from './cms-signer.js';
export { type LoginTicket, parseLoginTicket } from './login-ticket.js';
export { NtpClock, type NtpClockOptions, sntpOffset, writeNtpTimestamp } from './ntp-clock.js';
export { argentinaTime, buildTra, type TraOptions } from './tra.js';
export { WsaaClient, type WsaaClientOptions } from './wsaa-client.js';
export { WsaaError } from './wsaa-error.js';
