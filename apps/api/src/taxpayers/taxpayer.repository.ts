import { Injectable } from '@nestjs/common';
import type { Persona } from '#libs/afip-padron';
import { Prisma, PrismaService } from '#libs/database';

export interface CachedTaxpayer {
  /** ARCA's answer; null when ARCA has no such person. */
  persona: Persona | null;
  fetchedAt: Date;
}

/** The registry's answers per (environment, person): the cache that keeps a fleet from asking ARCA at every sale. */
@Injectable()
export class TaxpayerRepository {
  constructor(private readonly prisma: PrismaService) {}

  async read(environment: string, idPersona: number): Promise<CachedTaxpayer | undefined> {
    const row = await this.prisma.taxpayer.findUnique({
      where: { environment_idPersona: { environment, idPersona: BigInt(idPersona) } },
    });
    return row ? { persona: row.persona as Persona | null, fetchedAt: row.fetchedAt } : undefined;
  }

  async write(environment: string, idPersona: number, entry: CachedTaxpayer): Promise<void> {
    const persona = entry.persona === null ? Prisma.DbNull : (entry.persona as Prisma.InputJsonValue);
    const data = { persona, fetchedAt: entry.fetchedAt };
    await this.prisma.taxpayer.upsert({
      where: { environment_idPersona: { environment, idPersona: BigInt(idPersona) } },
      create: { environment, idPersona: BigInt(idPersona), ...data },
      update: data,
    });
  }
}
