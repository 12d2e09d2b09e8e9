import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from 'express';
import type { AppError } from './app-error.js';

/** A look at a body's bytes before JSON.parse: an error refuses the request without parsing it. */
export type BodyPrescan = (req: IncomingMessage, bytes: Buffer) => AppError | undefined;

/** Carries a prescan's refusal through the parser, which turns whatever its hook throws into a 403. */
class Refused extends Error {
  constructor(readonly refusal: AppError) {
    super(refusal.message);
  }
}

/**
 * express.json with `limit`, and `prescan` run on the raw bytes before parsing; its refusal reaches the exception
 * filter as it was made. (Nest's useBodyParser reserves the parser's `verify` hook for its rawBody option.)
 */
export function jsonBodyParser(options: { limit: string; prescan: BodyPrescan }) {
  const parser = json({
    limit: options.limit,
    verify: (req, _res, bytes) => {
      const refusal = options.prescan(req, bytes);
      if (refusal) throw new Refused(refusal);
    },
  });
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    parser(req, res, (error?: unknown) => next(error instanceof Refused ? error.refusal : error));
  };
}
