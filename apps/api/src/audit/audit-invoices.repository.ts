import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#libs/database';
import { cursorOf, type InvoiceCursor } from './audit-invoice.cursor.js';
import { type InvoiceFilter, type InvoiceRow, invoicePageSql } from './audit-invoice.sql.js';
import { type AuditInvoiceView, toAuditView } from './audit-invoice.view.js';

export interface InvoicePage {
  items: AuditInvoiceView[];
  /** Where the next page starts; undefined on the last page. */
  next?: InvoiceCursor;
}

/** Reads for auditors: invoices with who asked for them, the journal row, and the audit entries of a request. */
@Injectable()
export class AuditInvoicesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async page(filter: InvoiceFilter, cursor: InvoiceCursor | undefined, limit: number): Promise<InvoicePage> {
    // One row more than asked tells whether there is a next page without a count.
    const rows = await this.prisma.$queryRaw<InvoiceRow[]>(invoicePageSql(filter, cursor, limit + 1));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { items: kept.map(toAuditView), next: more ? cursorOf(kept.at(-1)!) : undefined };
  }

  /** Every matching invoice, page after page: memory holds one page at a time, whatever the total. */
  async *all(filter: InvoiceFilter, pageSize = 1000): AsyncGenerator<AuditInvoiceView[]> {
    let cursor: InvoiceCursor | undefined;
    do {
      const page = await this.page(filter, cursor, pageSize);
      if (page.items.length > 0) yield page.items;
      cursor = page.next;
    } while (cursor);
  }

  async byId(id: string): Promise<AuditInvoiceView | undefined> {
    const rows = await this.prisma.$queryRaw<InvoiceRow[]>(
      Prisma.sql`
        SELECT i.*, r.api_key_id, k.name AS api_key_name
        FROM invoice i
        JOIN invoice_request r ON r.id = i.request_id
        LEFT JOIN api_key k ON k.id = r.api_key_id
        WHERE i.id = ${id}::uuid`,
    );
    return rows[0] ? toAuditView(rows[0]) : undefined;
  }

  async journal(requestId: string) {
    const row = await this.prisma.invoiceRequest.findUnique({ where: { id: requestId } });
    if (!row) return undefined;
    return {
      id: row.id,
      state: row.state,
      apiKeyId: row.apiKeyId,
      idempotencyKey: row.idempotencyKey,
      requestHash: row.requestHash,
      request: row.request,
      afipResponse: row.afipResponse,
      httpStatus: row.httpStatus,
      attempts: row.attempts,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
      completedAt: row.completedAt?.toISOString() ?? null,
    };
  }

  async entries(subject: string) {
    const rows = await this.prisma.auditEntry.findMany({ where: { subject }, orderBy: { seq: 'asc' } });
    return rows.map((row) => ({
      seq: row.seq.toString(),
      occurredAt: row.occurredAt.toISOString(),
      kind: row.kind,
      actor: row.actor,
      subject: row.subject,
      cuit: row.cuit?.toString() ?? null,
      payload: row.payload,
      prevHash: row.prevHash,
      hash: row.hash,
    }));
  }
}
