// ESLint flat config. Beyond style, it holds the design's import boundaries (ARCHITECTURE.md, "Layout"):
// protocol libraries stay free of Nest and Prisma, and only repositories and libs/database reach Prisma.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PRISMA = {
  group: ['@prisma/*', '**/generated/prisma/**', '**/generated/prisma'],
  message: 'Only *.repository.ts files and libs/database may use Prisma.',
};
const NEST = {
  group: ['@nestjs/*', 'nestjs-*'],
  message: 'Protocol libraries (libs/afip-*, libs/pki) are plain TypeScript: no Nest.',
};
const NO_DATABASE = 'Protocol libraries (libs/afip-*, libs/pki) do not touch the database.';
// `#` starts a comment in the gitignore syntax of `patterns`: the subpath import is matched by name.
const DATABASE_PATH = { name: '#libs/database', message: NO_DATABASE };
const DATABASE = { group: ['**/libs/database/**'], message: NO_DATABASE };
const ONLY_REPOSITORIES =
  'Only *.repository.ts files (and the *.sql.ts text they run) reach the database: inject a repository.';
const APP_DATABASE_PATH = { name: '#libs/database', message: ONLY_REPOSITORIES };
// The generated client (libs/database/src/generated/...) is PRISMA's to report: one message per import.
const APP_DATABASE = {
  group: ['**/libs/database/src/*.js', '**/libs/database/src/*.ts'],
  message: ONLY_REPOSITORIES,
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'libs/database/src/generated/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-restricted-imports': ['error', { paths: [APP_DATABASE_PATH], patterns: [PRISMA, APP_DATABASE] }],
    },
  },
  {
    // The browser console: runs in the page, not in Node.
    files: ['apps/console/src/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['libs/afip-*/**/*.ts', 'libs/pki/**/*.ts', 'libs/invoice-print/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [DATABASE_PATH], patterns: [PRISMA, NEST, DATABASE] }],
    },
  },
  {
    files: [
      '**/*.repository.ts',
      // SQL text a repository runs (Prisma.sql builders), and the composition root that wires DatabaseModule.
      '**/*.sql.ts',
      'apps/api/src/app.module.ts',
      'libs/database/**/*.ts',
      'libs/testing/**/*.ts',
      'test/**/*.ts',
      '**/*.spec.ts',
      'prisma.config.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Nest's dependency injection reads constructor parameter types at run time: they must stay value imports.
    files: ['apps/**/*.ts', 'libs/database/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
