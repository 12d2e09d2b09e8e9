export { freePort } from './free-port.js';
export { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from './test-database.js';
