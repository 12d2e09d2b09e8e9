import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault suite. The gateway runs from dist/ as a child process (it is killed and
// restarted), so `npm run build` comes first; the scenarios run one after another.
export default defineConfig({
  plugins: [swc.vite({ jsc: { target: 'es2023' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/faults/**/*.spec.ts'],
    globalSetup: ['libs/testing/src/postgres.global-setup.ts'],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
