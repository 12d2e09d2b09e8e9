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
      'no-restricted-imports': ['error', { patterns: [PRISMA] }],
    },
  },
  {
    files: ['libs/afip-*/**/*.ts', 'libs/pki/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [DATABASE_PATH], patterns: [PRISMA, NEST, DATABASE] }],
    },
  },
  {
    files: [
      '**/*.repository.ts',
      'libs/database/**/*.ts',
      'libs/testing/**/*.ts',
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
