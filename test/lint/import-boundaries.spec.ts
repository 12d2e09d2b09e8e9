import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });

/** Lints a planted file (never written to disk) as if it stood at `path` in the repository. */
async function restrictedImports(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(import.meta.dirname, '..', '..', path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (eslint no-restricted-imports)', () => {
  it.each([
    [
      'libs/afip-wsaa/src/login.client.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      /no Nest/,
    ],
    [
      'libs/pki/src/certificate.ts',
      "import { Logger } from 'nestjs-pino';\nexport const x = Logger;\n",
      /no Nest/,
    ],
    [
      'libs/afip-wsfe/src/client.ts',
      "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
      /Prisma/,
    ],
    [
      'libs/afip-soap/src/transport.ts',
      "import { PrismaService } from '#libs/database';\nexport const x = PrismaService;\n",
      /database/,
    ],
    [
      'apps/api/src/billing/invoices.service.ts',
      "import { PrismaClient } from '../../../../libs/database/src/generated/prisma/client.js';\nexport const x = PrismaClient;\n",
      /Only \*\.repository\.ts/,
    ],
    [
      'apps/api/src/billing/invoices.controller.ts',
      "import type { Invoice } from '@prisma/client';\nexport type X = Invoice;\n",
      /Prisma/,
    ],
    [
      'apps/api/src/billing/lanes/batch-sender.service.ts',
      "import { PrismaService } from '#libs/database';\nexport const x = PrismaService;\n",
      /Only \*\.repository\.ts files/,
    ],
    [
      'apps/api/src/audit/chain-verifier.service.ts',
      "import { PrismaService } from '../../../../libs/database/src/prisma.service.js';\nexport const x = PrismaService;\n",
      /Only \*\.repository\.ts files/,
    ],
  ])('refuses a forbidden import planted in %s', async (path, source, message) => {
    const messages = await restrictedImports(path, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    [
      'apps/api/src/billing/invoice.repository.ts',
      "import { Prisma } from '../../../../libs/database/src/generated/prisma/client.js';\nexport const x = Prisma;\n",
    ],
    [
      'apps/api/src/billing/lanes/lane.repository.ts',
      "import { PrismaService } from '#libs/database';\nexport const x = PrismaService;\n",
    ],
    [
      'libs/database/src/extra.ts',
      "import { PrismaPg } from '@prisma/adapter-pg';\nexport const x = PrismaPg;\n",
    ],
    [
      'apps/api/src/auth/ticket.service.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    ],
    [
      'libs/afip-wsaa/src/tra.ts',
      "import { createHash } from 'node:crypto';\nexport const x = createHash;\n",
    ],
  ])('allows what the design allows in %s', async (path, source) => {
    expect(await restrictedImports(path, source)).toEqual([]);
  });
});
