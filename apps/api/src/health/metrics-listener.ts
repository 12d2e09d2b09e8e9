import { createServer, type Server } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Registry } from 'prom-client';
import { AppConfig } from '../config/app.config.js';
import { MetricsService } from './metrics.service.js';
import { metricsTokenAccepted } from './metrics-token.guard.js';

/**
 * The management listener (METRICS_PORT): GET /metrics and nothing else, bound to METRICS_HOST (127.0.0.1 unless
 * configured otherwise), so Prometheus on the same host or network reads it while clients of the API cannot.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      if (!metricsTokenAccepted(token, req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
      this.metrics.render().then(
        (text) =>
          res
            .writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' })
            .end(text),
        (error: unknown) => {
          this.logger.error({ err: error }, 'metrics could not be rendered');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on the management listener: http://${host}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
