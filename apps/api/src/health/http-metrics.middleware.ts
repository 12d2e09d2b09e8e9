import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service.js';

/**
 * Times every request, including those no route matched. Labels use the route pattern (not the raw path) so
 * that the number of series stays bounded.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.once('finish', () => {
      const pattern = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : undefined;
      // Nest answers unknown paths from a catch-all route (`{/*splat}`): count those together.
      const route = pattern && !pattern.includes('*') ? pattern : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
