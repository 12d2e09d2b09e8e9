import {
  type ArgumentsHost,
  BadRequestException,
  Logger,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { AppError, type AppErrorCode } from './app-error.js';

function run(exception: unknown) {
  const response = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    headers: {} as Record<string, string>,
  };
  const res = {
    ...response,
    setHeader(name: string, value: string) {
      response.headers[name.toLowerCase()] = value;
    },
    status(code: number) {
      response.statusCode = code;
      return this;
    },
    json(body: unknown) {
      response.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ id: 'req-1', method: 'POST', url: '/v1/invoices', log: {} }),
      getResponse: () => res,
    }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return response;
}

describe('AllExceptionsFilter', () => {
  let logged: MockInstance;
  beforeEach(() => {
    logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each<[AppErrorCode, number]>([
    ['VALIDATION_FAILED', 400],
    ['UNAUTHORIZED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['RATE_LIMITED', 429],
    ['NOT_READY', 503],
    ['UNAVAILABLE', 503],
  ])('maps %s to HTTP %i with the common body', (code, status) => {
    const details = [{ field: 'FeCAEReq.FeCabReq.PtoVta', rule: 'max', message: 'too big' }];
    expect(run(new AppError(code, 'what went wrong', details))).toMatchObject({
      statusCode: status,
      body: { statusCode: status, code, message: 'what went wrong', details, requestId: 'req-1' },
    });
  });

  it('hides the cause of a 500 from the client and logs it with the request id', () => {
    const failure = new Error('connection to 10.0.0.5 refused: password authentication failed');
    const { statusCode, body } = run(failure);
    expect(statusCode).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error',
      requestId: 'req-1',
    });
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: failure, requestId: 'req-1' }),
      'POST /v1/invoices failed',
    );
  });

  it('keeps an internal AppError opaque too', () => {
    expect(run(new AppError('INTERNAL', 'invariant broken in lane 3', { lane: 3 })).body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error',
      requestId: 'req-1',
    });
  });

  it("turns the framework's own HTTP errors into the same shape", () => {
    expect(run(new PayloadTooLargeException('request entity too large')).body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'request entity too large',
      requestId: 'req-1',
    });
    expect(run(new BadRequestException(['a must be a string', 'b is missing'])).body).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'a must be a string; b is missing',
    });
  });

  it('passes the failing checks of an unready service as details', () => {
    const checks = { status: 'error', details: { database: { status: 'down', message: 'ECONNREFUSED' } } };
    expect(run(new ServiceUnavailableException(checks)).body).toEqual({
      statusCode: 503,
      code: 'NOT_READY',
      message: 'Service Unavailable Exception',
      details: checks.details,
      requestId: 'req-1',
    });
  });

  it.each([
    ['a pool that handed out no connection in time', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction that could not start',
      Object.assign(new Error('Transaction API error'), { code: 'P2028' }),
    ],
    ['a connection the server ended', Object.assign(new Error('terminating connection'), { code: '57P01' })],
  ])('answers 503 with Retry-After for %s, bare or wrapped in an internal AppError', (_, cause) => {
    for (const caught of [cause, new AppError('INTERNAL', 'the lane failed', undefined, { cause })]) {
      const { statusCode, body, headers } = run(caught);
      expect(statusCode).toBe(503);
      expect(headers['retry-after']).toBe('2');
      expect(body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', requestId: 'req-1' });
    }
  });
});
