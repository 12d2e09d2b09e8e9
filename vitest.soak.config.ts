import { defineConfig } from 'vitest/config';

// `npm run test:soak`: the short soak (SOAK_MINUTES, 3 by default) of bench/soak against the gateway built in
// dist/, two replicas on one database and the standalone sandbox. The long soak is `npm run soak`.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.spec.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
