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
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  await app.listen(config.http.port, config.http.host);
  const base = `http://localhost:${config.http.port}`;
  const database = config.database.url
    ? 'DATABASE_URL'
    : `embedded PostgreSQL, data in ${config.database.dataDir}`;
  new Logger('Gateway').log(
    `arca-gateway ready: API ${base}/v1, docs ${base}/docs, health ${base}/health/ready ` +
      `(AFIP_ENV=${config.afip.environment}, database: ${database})`,
  );
} catch (error) {
  console.error(`arca-gateway: start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
