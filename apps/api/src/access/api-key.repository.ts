import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatabaseNotifications, PrismaService, Sql } from '#libs/database';
import { AuditEntryRepository } from '../audit/audit-entry.repository.js';
import { AppConfig } from '../config/app.config.js';
import { ApiKeyCache } from './api-key-cache.js';
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

/** Where PostgreSQL tells every replica that `api_key` changed (a trigger, prisma/migrations/..._api_key_changed). */
const CHANGED_CHANNEL = 'api_key_changed';

/** How long a revocation waits to hear its own change back, the sign that every replica's listener was told. */
const ECHO_WAIT_MS = 1_000;

type FoundKey = ApiKeyView & { keyHash: string };

/**
 * The `api_key` table. Creating and revoking write their audit entry in the same transaction. Keys found are kept
 * in memory while this replica hears of every change to the table (API_KEY_CACHE_MS, ApiKeyCache).
 */
@Injectable()
export class ApiKeyRepository implements OnModuleInit {
  private readonly cache: ApiKeyCache<FoundKey>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly audit: AuditEntryRepository,
    private readonly notifications: DatabaseNotifications,
    config: AppConfig,
  ) {
    this.cache = new ApiKeyCache(config.security.apiKeyCacheMs);
  }

  onModuleInit(): void {
    if (this.cache.maxAgeMs === 0) return;
    this.notifications.subscribe(CHANGED_CHANNEL, {
      notified: () => this.cache.changed(),
      listening: () => this.cache.listening(),
      lost: () => this.cache.lost(),
    });
  }

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

  /** The key with this hash, revoked or not (frozen: it may be the kept copy). */
  findByHash(keyHash: string): Promise<FoundKey | undefined> {
    return this.cache.read(keyHash, (hash) => this.lookup(hash));
  }

  private async lookup(keyHash: string): Promise<FoundKey | undefined> {
    // Every request's first statement unless the key is kept: `pg` directly, no ORM work.
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

  /**
   * Revokes the key; undefined when there is none with that id. Revoking twice keeps the first date. Answers once
   * this replica heard the change back from PostgreSQL (at most a second), so when the caller hears "revoked",
   * every replica listening has been told too.
   */
  async revoke(id: string, actor: string): Promise<ApiKeyView | undefined> {
    const generation = this.cache.generation;
    const revoked = await this.revokeRow(id, actor);
    // Not heard back in time (or this replica does not listen): at least this replica forgets at once.
    if (revoked?.changed && !(await this.cache.changedSince(generation, ECHO_WAIT_MS))) this.cache.changed();
    return revoked?.view;
  }

  private revokeRow(id: string, actor: string): Promise<{ view: ApiKeyView; changed: boolean } | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.apiKey.findUnique({ where: { id }, select: VIEW });
      if (!found) return undefined;
      if (found.revokedAt) return { view: toView(found), changed: false };
      const row = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: VIEW });
      const view = toView(row);
      await this.audit.append(tx, {
        kind: 'api_key.revoked',
        actor,
        subject: `api_key/${id}`,
        payload: { id, name: view.name, role: view.role, revokedAt: view.revokedAt },
      });
      return { view, changed: true };
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
