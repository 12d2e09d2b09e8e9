import { Injectable } from '@nestjs/common';
import { PrismaService, Sql } from '#libs/database';
import { AuditEntryRepository } from '../audit/audit-entry.repository.js';
import type { ApiKeyRole } from './principal.js';

export interface NewApiKey {
  name: string;
  role: ApiKeyRole;
  keyHash: string;
  keyPrefix: string;
  cuits: string[];
  ptoVtas: number[];
}

/** An API key as lists and the guard see it: never the key, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  keyPrefix: string;
  cuits: string[];
  ptoVtas: number[];
  createdAt: string;
  revokedAt: string | null;
}

type ApiKeyRow = Omit<ApiKeyView, 'cuits' | 'createdAt' | 'revokedAt'> & {
  cuits: bigint[];
  createdAt: Date;
  revokedAt: Date | null;
};

const VIEW = {
  id: true,
  name: true,
  role: true,
  keyPrefix: true,
  cuits: true,
  ptoVtas: true,
  createdAt: true,
  revokedAt: true,
} as const;

/** The `api_key` table. Creating and revoking write their audit entry in the same transaction. */
@Injectable()
export class ApiKeyRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly audit: AuditEntryRepository,
  ) {}

  async create(key: NewApiKey, actor: string): Promise<ApiKeyView> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.apiKey.create({
        data: { ...key, cuits: key.cuits.map(BigInt) },
        select: VIEW,
      });
      const view = toView(row);
      await this.audit.append(tx, {
        kind: 'api_key.created',
        actor,
        subject: `api_key/${view.id}`,
        payload: { ...view },
      });
      return view;
    });
  }

  /** Creates the key unless its hash is already known (revoked or not). True when it was created. */
  async createUnlessKnown(key: NewApiKey, actor: string): Promise<boolean> {
    const known = await this.prisma.apiKey.findUnique({
      where: { keyHash: key.keyHash },
      select: { id: true },
    });
    if (known) return false;
    try {
      await this.create(key, actor);
      return true;
    } catch (error) {
      // Another replica started at the same moment and created it first.
      if ((error as { code?: string }).code === 'P2002') return false;
      throw error;
    }
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({ select: VIEW, orderBy: { createdAt: 'asc' } });
    return rows.map(toView);
  }

  /** The key with this hash, revoked or not; the guard reads it on every request, so revoking acts at once. */
  async findByHash(keyHash: string): Promise<(ApiKeyView & { keyHash: string }) | undefined> {
    // Every request's first statement: `pg` directly, no ORM work.
    const [row] = await this.sql.query<Omit<ApiKeyRow, 'cuits'> & { cuits: string[]; keyHash: string }>(
      `SELECT id, name, role::text AS role, key_prefix AS "keyPrefix", cuits::text[] AS cuits,
              pto_vtas AS "ptoVtas", created_at AS "createdAt", revoked_at AS "revokedAt", key_hash AS "keyHash"
       FROM api_key WHERE key_hash = $1`,
      [keyHash],
    );
    return row ? { ...toView({ ...row, cuits: row.cuits.map(BigInt) }), keyHash: row.keyHash } : undefined;
  }

  /** An `access.refused` entry: the key tried to act outside its scope (what it asked for is in the payload). */
  async recordRefusal(keyId: string, payload: Record<string, unknown>): Promise<void> {
    await this.prisma.$transaction((tx) =>
      this.audit.append(tx, { kind: 'access.refused', actor: keyId, subject: `api_key/${keyId}`, payload }),
    );
  }

  /** Revokes the key; undefined when there is none with that id. Revoking twice keeps the first date. */
  async revoke(id: string, actor: string): Promise<ApiKeyView | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.apiKey.findUnique({ where: { id }, select: VIEW });
      if (!found) return undefined;
      if (found.revokedAt) return toView(found);
      const row = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: VIEW });
      const view = toView(row);
      await this.audit.append(tx, {
        kind: 'api_key.revoked',
        actor,
        subject: `api_key/${id}`,
        payload: { id, name: view.name, role: view.role, revokedAt: view.revokedAt },
      });
      return view;
    });
  }
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    keyPrefix: row.keyPrefix,
    cuits: row.cuits.map(String),
    ptoVtas: row.ptoVtas,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
