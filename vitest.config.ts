import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm test`: unit, integration and end-to-end specs that need nothing outside the repository. Specs that read
// ../shared/afip run under vitest.conformance.config.ts, the fault suite under vitest.faults.config.ts, the short
// soak under vitest.soak.config.ts.
export default defineConfig({
  // SWC emits the decorator metadata Nest's dependency injection needs (esbuild does not).
  plugins: [swc.vite({ jsc: { target: 'es2023' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'test/conformance/**', 'test/faults/**', 'test/soak/**'],
    globalSetup: ['libs/testing/src/postgres.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
