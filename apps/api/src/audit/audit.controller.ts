import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Access, CurrentPrincipal } from '../access/access.decorator.js';
import { type Principal, readableCuits } from '../access/principal.js';
import { AppError } from '../common/app-error.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { AppConfig } from '../config/app.config.js';
import { journalSubject } from '../billing/journal/invoice-journal.repository.js';
import { decodeCursor, encodeCursor } from './audit-invoice.cursor.js';
import { CSV_HEADER, csvLine } from './audit-invoice.view.js';
import { AuditInvoicesRepository } from './audit-invoices.repository.js';
import { AuditInvoicesQueryDto, StartVerificationQueryDto, VerifyQueryDto } from './audit-query.dto.js';
import { ChainVerifier, type ScopedVerifyResult } from './chain-verifier.service.js';
import { type VerificationView, VerificationJobs } from './verification-jobs.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'Not an auditor or admin key, or a CUIT out of its scope',
})
@Access('auditor')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly invoices: AuditInvoicesRepository,
    private readonly verifier: ChainVerifier,
    private readonly jobs: VerificationJobs,
    private readonly config: AppConfig,
  ) {}

  @Get('invoices')
  @ApiOperation({
    summary: 'Vouchers the gateway issued (A) or had rejected (R), in voucher order, with who asked for them',
    description:
      'Filters combine with AND. Order: CUIT, point of sale, type, number; with a date filter, CUIT, point of sale, ' +
      'type, date, number (the same for authorized vouchers: ARCA refuses a date before the previous voucher of ' +
      'the lane). JSON pages carry `nextCursor` until the last page; a cursor is valid only with the filters that ' +
      'produced it. With `Accept: text/csv` every matching row is streamed as CSV, page by page, whatever their number.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiHeader({ name: 'Accept', required: false, description: '`text/csv` for a CSV export of every match' })
  @ApiOkResponse({ description: '`{ items: [...], nextCursor: string | null }`, or CSV' })
  async list(
    @Query() query: AuditInvoicesQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept?: string,
  ) {
    const { cursor: cursorText, limit, environment, ...filters } = query;
    const filter = {
      ...filters,
      environment: environment ?? this.config.afip.environment,
      readable: readableCuits(principal),
    };
    if (accept?.includes('text/csv')) {
      const rows = this.invoices.all(filter);
      async function* lines() {
        yield CSV_HEADER;
        for await (const page of rows) yield page.map(csvLine).join('');
      }
      return new StreamableFile(Readable.from(lines()), {
        type: 'text/csv; charset=utf-8',
        disposition: 'attachment; filename="invoices.csv"',
      });
    }
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
    if (cursorText !== undefined && !cursor) {
      throw new AppError('VALIDATION_FAILED', 'cursor must be a nextCursor the gateway returned', [
        { field: 'cursor', rule: 'cursor', message: 'cursor must be a nextCursor the gateway returned' },
      ]);
    }
    const page = await this.invoices.page(filter, cursor, limit ?? 100);
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Get('invoices/:id')
  @ApiOperation({
    summary: "One voucher with the request that asked for it, ARCA's answer and its audit entries",
  })
  async one(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const invoice = await this.invoices.byId(id);
    const readable = readableCuits(principal);
    // Another tenant's voucher is answered exactly as one that does not exist: its id tells nothing.
    if (!invoice || (readable && !readable.includes(invoice.cuit))) {
      throw new AppError('NOT_FOUND', `no invoice with id ${id} among the CUITs this key may read`);
    }
    const [request, entries] = await Promise.all([
      this.invoices.journal(invoice.requestId),
      this.invoices.entries(journalSubject(invoice.requestId)),
    ]);
    return { invoice, request, entries };
  }

  @Get('verify')
  @ApiOperation({
    summary:
      "Verify the trail's entries of the key's CUITs (or one of them): content, chain links, journal rows",
    description:
      "Each entry's hash is recomputed, its link to the entry before it in the chain is checked (only that hash is " +
      "compared, whoever's entry it is) and an `invoice.requested` entry's journal row is hashed again. Nothing " +
      "about other CUITs' entries is answered. Keep `toSeq` and `lastHash` of a passing run: `fromSeq` (toSeq + 1) " +
      'and `checkpointHash` later check only what came after. The whole chain is an admin background job: ' +
      '`POST /v1/audit/verify`.',
  })
  async verify(
    @Query() query: VerifyQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScopedVerifyResult> {
    const readable = readableCuits(principal);
    const cuits = query.cuit !== undefined ? [String(query.cuit)] : readable;
    if (!cuits) {
      throw new AppError(
        'VALIDATION_FAILED',
        'cuit is required for an admin key: the whole chain is verified by a background job (POST /v1/audit/verify)',
        [{ field: 'cuit', rule: 'required', message: 'cuit is required for an admin key' }],
      );
    }
    return this.verifier.verifyCuits(cuits, query.fromSeq, query.checkpointHash);
  }

  @Post('verify')
  @Access()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start verifying the whole chain in the background (admin); follow it at GET /v1/audit/verify/{jobId}',
    description:
      'One run at a time for the cluster: while one runs, this answers it (`alreadyRunning: true`). A run starts ' +
      'after the latest stored checkpoint (`full=true`: from the first entry), walks in batches of 250 that ' +
      'yield to other requests, and stores a checkpoint every 10,000 entries and at its end.',
  })
  startVerification(
    @Query() query: StartVerificationQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VerificationView> {
    return this.jobs.start(principal.keyId, query.full === 'true');
  }

  @Get('verify/:jobId')
  @Access()
  @ApiOperation({ summary: 'A whole-chain verification run: its progress, then its verdict (admin)' })
  async verification(@Param('jobId', new ParseUUIDPipe()) jobId: string): Promise<VerificationView> {
    const run = await this.jobs.get(jobId);
    if (!run) throw new AppError('NOT_FOUND', `no verification run ${jobId}`);
    return run;
  }
}
