import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error.js';
import type { ErrorBodyDto } from './error-body.dto.js';
import { codeOfStatus, statusOf } from './error-status.js';
import { connectionLost, isConnectionLoss, isSaturation, saturated } from './saturation.js';

/**
 * Every error leaves the gateway through here with one body shape. 5xx are logged with their cause and told to
 * the client only as an opaque message and the request id to quote.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(caught: unknown, host: ArgumentsHost): void {
    // An internal error caused by the database being full or gone is a 503 too, wherever it was wrapped.
    const exception =
      caught instanceof AppError && caught.code !== 'INTERNAL'
        ? caught
        : isSaturation(caught)
          ? saturated(caught)
          : isConnectionLoss(caught)
            ? connectionLost(caught)
            : caught;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.id ?? '');
    const admin = (request as { principal?: { role?: string } }).principal?.role === 'admin';
    const body = this.toBody(exception, requestId, admin);
    if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, requestId, code: body.code },
        `${request.method} ${request.url} failed`,
      );
    } else if ((request as { log?: unknown }).log === undefined) {
      // Refused before the request logger saw it (e.g. malformed JSON): still leave a line to find.
      this.logger.warn(
        { requestId, code: body.code },
        `${request.method} ${request.url} refused: ${body.message}`,
      );
    }
    if (response.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, requestId: string, admin: boolean): ErrorBodyDto {
    if (exception instanceof AppError) {
      const statusCode = statusOf(exception.code);
      const internal = statusCode === 500;
      const told = admin && exception.adminMessage !== undefined ? exception.adminMessage : exception.message;
      return {
        statusCode,
        code: exception.code,
        message: internal ? 'internal error' : told,
        ...(exception.details && !internal ? { details: exception.details } : {}),
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      const details =
        typeof payload === 'object' && payload !== null && 'details' in payload ? payload.details : undefined;
      return {
        statusCode,
        code: codeOfStatus(statusCode),
        message: statusCode >= 500 && statusCode !== 503 ? 'internal error' : messageOf(exception),
        ...(details ? { details } : {}),
        requestId,
      };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'internal error', requestId };
  }
}

function messageOf(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'object' && payload !== null && 'message' in payload) {
    const message = (payload as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return exception.message;
}
