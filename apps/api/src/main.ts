import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app.config.js';
import { ConfigError } from './config/env-readers.js';
import { createGateway } from './gateway.js';

function readConfig() {
  try {
    return loadConfig(process.env, { stdoutIsTty: process.stdout.isTTY });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`arca-gateway: configuration error: ${problem}`);
    process.exit(1);
  }
}

const config = readConfig();
try {
  const app = await createGateway(config);
  await app.listen(config.http.port, config.http.host);
  const logger = new Logger('Gateway');
  // Our own handler rather than enableShutdownHooks: it logs, and exits through process.exit so that buffered
  // log lines are flushed. app.close() stops HTTP, then Prisma, then the embedded PostgreSQL, in that order.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: stopping`);
      app
        .close()
        .then(() => logger.log('arca-gateway stopped'))
        .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
        .finally(() => process.exit(code));
    });
  }
  const base = `http://localhost:${config.http.port}`;
  const database = config.database.url
    ? 'DATABASE_URL'
    : `embedded PostgreSQL, data in ${config.database.dataDir}`;
  const arca = config.sandbox.inProcess
    ? `ARCA sandbox on port ${config.sandbox.port}`
    : `WSFEv1 ${config.afip.wsfeUrl}`;
  logger.log(
    `arca-gateway ready: API ${base}/v1, docs ${base}/docs, health ${base}/health/ready ` +
      `(AFIP_ENV=${config.afip.environment}, ${arca}, database: ${database})`,
  );
} catch (error) {
  console.error(`arca-gateway: start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
