import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../../../test/support/gateway.js';
import { loggerOptions } from './logger.options.js';

describe('logger options', () => {
  const options = loggerOptions({ level: 'info', pretty: false }).pinoHttp as pino.LoggerOptions;

  it('writes JSON lines when not in a terminal and pretty lines in one', () => {
    expect(options.transport).toBeUndefined();
    const pretty = loggerOptions({ level: 'info', pretty: true }).pinoHttp as pino.LoggerOptions;
    expect(pretty.transport).toMatchObject({ target: 'pino-pretty' });
  });

  it('redacts credentials wherever the gateway logs them', () => {
    const capture = new LogCapture();
    const logger = pino({ redact: options.redact, level: 'info' }, capture);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer ak_live_SECRET1', cookie: 'sid=SECRET2' } },
        token: 'PD94bWwgdmVyc2lvbj0iMS4wIj8+SECRET3',
        ticket: { sign: 'SECRET4', expirationTime: '2026-11-24T10:00:00-03:00' },
        wsaa: { credentials: { token: 'SECRET5', sign: 'SECRET6' } },
        certificate: { privateKey: `-----BEGIN ${'PRIVATE'} KEY-----SECRET7` },
        login: { cms: 'MIIG...SECRET8' },
        apiKey: 'SECRET9',
      },
      'ticket issued cuit=20123456789',
    );
    expect(capture.text).not.toMatch(/SECRET/);
    expect(capture.text).toContain('ticket issued cuit=20123456789');
    expect(capture.text).toContain('2026-11-24T10:00:00-03:00');
    expect(JSON.parse(capture.lines[0] as string).wsaa.credentials).toEqual({
      token: '[redacted]',
      sign: '[redacted]',
    });
  });
});
