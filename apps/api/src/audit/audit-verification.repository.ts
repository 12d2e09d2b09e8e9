import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#libs/database';
import type { BrokenLink } from './audit-chain.js';

export interface VerificationRow {
  id: string;
  state: 'running' | 'done' | 'failed' | 'abandoned';
  startedBy: string;
  fromSeq: string;
  toSeq: string;
  nextSeq: string;
  checked: number;
  lastHash: string;
  ok: boolean | null;
  firstBroken: BrokenLink | null;
  error: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Whole-chain verification runs and the checkpoints they leave (tables audit_verification, audit_checkpoint). */
@Injectable()
export class AuditVerificationRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(run: { id: string; startedBy: string; fromSeq: bigint; toSeq: bigint; lastHash: string }) {
    await this.prisma.auditVerification.create({
      data: { ...run, state: 'running', nextSeq: run.fromSeq, checked: 0n },
    });
  }

  async progress(id: string, at: { nextSeq: bigint; checked: number; lastHash: string }): Promise<void> {
    await this.prisma.auditVerification.update({
      where: { id },
      data: { ...at, checked: BigInt(at.checked) },
    });
  }

  async finish(
    id: string,
    end: {
      state: 'done' | 'failed';
      ok?: boolean;
      firstBroken?: BrokenLink;
      error?: string;
      checked: number;
      lastHash: string;
    },
  ): Promise<void> {
    await this.prisma.auditVerification.update({
      where: { id },
      data: {
        state: end.state,
        ok: end.ok ?? null,
        firstBroken: end.firstBroken ? (end.firstBroken as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        error: end.error?.slice(0, 500) ?? null,
        checked: BigInt(end.checked),
        lastHash: end.lastHash,
        finishedAt: new Date(),
      },
    });
  }

  async find(id: string): Promise<VerificationRow | undefined> {
    const row = await this.prisma.auditVerification.findUnique({ where: { id } });
    return row ? view(row) : undefined;
  }

  /** Runs whose process stopped reporting before `staleBefore` are abandoned; the one still running, if any. */
  async running(staleBefore: Date): Promise<VerificationRow | undefined> {
    await this.prisma.auditVerification.updateMany({
      where: { state: 'running', updatedAt: { lt: staleBefore } },
      data: { state: 'abandoned' },
    });
    const row = await this.prisma.auditVerification.findFirst({ where: { state: 'running' } });
    return row ? view(row) : undefined;
  }

  async latestCheckpoint(): Promise<{ seq: bigint; hash: string } | undefined> {
    const row = await this.prisma.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' } });
    return row ? { seq: row.seq, hash: row.hash } : undefined;
  }

  async checkpoint(seq: bigint, hash: string, verificationId: string): Promise<void> {
    await this.prisma.auditCheckpoint.upsert({
      where: { seq },
      create: { seq, hash, verificationId },
      update: { hash, verificationId },
    });
  }
}

function view(row: {
  id: string;
  state: string;
  startedBy: string;
  fromSeq: bigint;
  toSeq: bigint;
  nextSeq: bigint;
  checked: bigint;
  lastHash: string;
  ok: boolean | null;
  firstBroken: unknown;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}): VerificationRow {
  return {
    id: row.id,
    state: row.state as VerificationRow['state'],
    startedBy: row.startedBy,
    fromSeq: row.fromSeq.toString(),
    toSeq: row.toSeq.toString(),
    nextSeq: row.nextSeq.toString(),
    checked: Number(row.checked),
    lastHash: row.lastHash,
    ok: row.ok,
    firstBroken: (row.firstBroken as BrokenLink | null) ?? null,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
