import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm run test:conformance`: checks against ARCA's reference material in ../shared/afip (CI has it; a plain
// clone may not).
export default defineConfig({
  plugins: [swc.vite({ jsc: { target: 'es2023' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/conformance/**/*.spec.ts'],
    globalSetup: ['libs/testing/src/postgres.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
