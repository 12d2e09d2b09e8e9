import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import type { CaeaGrant, CodeMsg, Fortnight, PointOfSaleRow } from '#libs/afip-wsfe';
import { type AuditRecord, AuditEntryRepository } from '../audit/audit-entry.repository.js';

/** A CAEA as the gateway keeps it. */
export interface StoredCaea {
  cuit: number;
  periodo: number;
  orden: number;
  caea: string;
  fchVigDesde: string;
  fchVigHasta: string;
  fchTopeInf: string;
  observaciones: { code: number; msg: string }[];
}

/** A point of sale as FEParamGetPtosVenta last listed it. */
export interface StoredPoint {
  cuit: number;
  ptoVta: number;
  emisionTipo: string;
  blocked: boolean;
  fchBaja: string | null;
}

/**
 * The gateway's record of CAEAs (one per environment, CUIT and fortnight), of each CUIT's points of sale as ARCA
 * lists them (so a replica that starts while ARCA is down still knows where to issue), and of the contingency
 * points of sale declared without movement.
 */
@Injectable()
export class CaeaRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditEntryRepository,
  ) {}

  /** An entry of the CAEA's life (`caea.obtained`, `caea.refused`) in the audit trail. */
  async record(entry: AuditRecord): Promise<void> {
    await this.prisma.$transaction((tx) => this.audit.append(tx, entry));
  }

  /** Stores a CAEA as ARCA gave it (FchTopeInf verbatim); a second store of the same fortnight keeps the first. */
  async save(environment: string, cuit: number, grant: CaeaGrant): Promise<void> {
    const observaciones = grant.Observaciones.map((item) => ({ code: item.Code, msg: item.Msg }));
    await this.prisma.caea.upsert({
      where: {
        environment_cuit_periodo_orden: {
          environment,
          cuit: BigInt(cuit),
          periodo: grant.Periodo,
          orden: grant.Orden,
        },
      },
      create: {
        environment,
        cuit: BigInt(cuit),
        periodo: grant.Periodo,
        orden: grant.Orden,
        caea: grant.CAEA,
        fchVigDesde: grant.FchVigDesde,
        fchVigHasta: grant.FchVigHasta,
        fchTopeInf: grant.FchTopeInf,
        fchProceso: grant.FchProceso ?? '',
        observaciones,
      },
      update: {},
    });
  }

  async find(environment: string, cuit: number, fortnight: Fortnight): Promise<StoredCaea | undefined> {
    const row = await this.prisma.caea.findUnique({
      where: {
        environment_cuit_periodo_orden: {
          environment,
          cuit: BigInt(cuit),
          periodo: fortnight.periodo,
          orden: fortnight.orden,
        },
      },
    });
    return row ? toCaea(row) : undefined;
  }

  /** The CAEAs of some CUITs (all when undefined), newest fortnight first. */
  async list(environment: string, cuits?: number[]): Promise<StoredCaea[]> {
    const rows = await this.prisma.caea.findMany({
      where: { environment, ...(cuits ? { cuit: { in: cuits.map(BigInt) } } : {}) },
      orderBy: [{ cuit: 'asc' }, { periodo: 'desc' }, { orden: 'desc' }],
    });
    return rows.map(toCaea);
  }

  /** Replaces the CUIT's points of sale with ARCA's list. */
  async savePoints(environment: string, cuit: number, rows: PointOfSaleRow[], now: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.pointOfSale.deleteMany({ where: { environment, cuit: BigInt(cuit) } }),
      this.prisma.pointOfSale.createMany({
        data: rows.map((row) => ({
          environment,
          cuit: BigInt(cuit),
          ptoVta: row.Nro,
          emisionTipo: String(row.EmisionTipo ?? '').slice(0, 100),
          blocked: row.Bloqueado === 'S',
          fchBaja: row.FchBaja && row.FchBaja !== 'NULL' ? String(row.FchBaja).slice(0, 8) : null,
          fetchedAt: now,
        })),
      }),
    ]);
  }

  async points(environment: string, cuits?: number[]): Promise<StoredPoint[]> {
    const rows = await this.prisma.pointOfSale.findMany({
      where: { environment, ...(cuits ? { cuit: { in: cuits.map(BigInt) } } : {}) },
      orderBy: [{ cuit: 'asc' }, { ptoVta: 'asc' }],
    });
    return rows.map((row) => ({
      cuit: Number(row.cuit),
      ptoVta: row.ptoVta,
      emisionTipo: row.emisionTipo,
      blocked: row.blocked,
      fchBaja: row.fchBaja,
    }));
  }

  /**
   * The CUITs the gateway issues for in this environment: those with a numbering lane or an access ticket for
   * WSFEv1, plus the ones given (certificates found at start).
   */
  async issuingCuits(environment: string, more: number[]): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ cuit: bigint }[]>`
      SELECT cuit FROM numbering_lane WHERE environment = ${environment}
      UNION SELECT cuit FROM access_ticket WHERE environment = ${environment} AND service = 'wsfe'`;
    return [...new Set([...rows.map((row) => Number(row.cuit)), ...more])].sort((a, b) => a - b);
  }

  /** Which (period, order, point of sale) were already declared without movement (or found used: `R`). */
  async declaredWithoutMovement(environment: string, cuit: number): Promise<Set<string>> {
    const rows = await this.prisma.caeaWithoutMovement.findMany({
      where: { environment, cuit: BigInt(cuit) },
    });
    return new Set(rows.map((row) => `${row.periodo}/${row.orden}/${row.ptoVta}`));
  }

  async recordWithoutMovement(
    environment: string,
    cuit: number,
    caea: StoredCaea,
    ptoVta: number,
    resultado: string,
    errors: CodeMsg[],
  ): Promise<void> {
    await this.prisma.caeaWithoutMovement.upsert({
      where: {
        environment_cuit_periodo_orden_ptoVta: {
          environment,
          cuit: BigInt(cuit),
          periodo: caea.periodo,
          orden: caea.orden,
          ptoVta,
        },
      },
      create: {
        environment,
        cuit: BigInt(cuit),
        periodo: caea.periodo,
        orden: caea.orden,
        ptoVta,
        resultado,
        errors: errors.map((item) => ({ code: item.Code, msg: item.Msg })),
      },
      update: { resultado, errors: errors.map((item) => ({ code: item.Code, msg: item.Msg })) },
    });
  }

  async withoutMovement(environment: string, cuits?: number[]) {
    const rows = await this.prisma.caeaWithoutMovement.findMany({
      where: { environment, ...(cuits ? { cuit: { in: cuits.map(BigInt) } } : {}) },
      orderBy: [{ cuit: 'asc' }, { periodo: 'desc' }, { orden: 'desc' }, { ptoVta: 'asc' }],
    });
    return rows.map((row) => ({
      cuit: Number(row.cuit),
      periodo: row.periodo,
      orden: row.orden,
      ptoVta: row.ptoVta,
      resultado: row.resultado,
      errors: row.errors,
      informedAt: row.informedAt.toISOString(),
    }));
  }
}

function toCaea(row: {
  cuit: bigint;
  periodo: number;
  orden: number;
  caea: string;
  fchVigDesde: string;
  fchVigHasta: string;
  fchTopeInf: string;
  observaciones: unknown;
}): StoredCaea {
  return {
    cuit: Number(row.cuit),
    periodo: row.periodo,
    orden: row.orden,
    caea: row.caea,
    fchVigDesde: row.fchVigDesde,
    fchVigHasta: row.fchVigHasta,
    fchTopeInf: row.fchTopeInf,
    observaciones: row.observaciones as StoredCaea['observaciones'],
  };
}
