import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, CurrentPrincipal } from '../access/access.decorator.js';
import type { Principal } from '../access/principal.js';
import { AppError } from '../common/app-error.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { LaneQueryDto, VoucherParamsDto } from './invoice-query.dto.js';
import { CreateInvoiceDto, INVOICE_EXAMPLE, UNNUMBERED_INVOICE_EXAMPLE } from './invoice-request.dto.js';
import { InvoiceResponseDto } from './invoice-response.dto.js';
import { InvoiceLookupService } from './invoice-lookup.service.js';
import { InvoicesService } from './invoices.service.js';
import { BulkTurnsInterceptor } from './bulk-turns.interceptor.js';
import { InflightLimitInterceptor } from './inflight-limit.interceptor.js';
import { InvoiceSizeInterceptor } from './invoice-size.interceptor.js';

@ApiTags('invoices')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: "The key's role or scope does not cover the request",
})
@Access('pos', 'auditor')
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly lookup: InvoiceLookupService,
  ) {}

  @Post()
  @Access('pos')
  @UseInterceptors(InflightLimitInterceptor, InvoiceSizeInterceptor, BulkTurnsInterceptor)
  @ApiOperation({
    summary: 'Authorize one or more vouchers of one (CUIT, point of sale, type) with ARCA (FECAESolicitar)',
    description:
      "ARCA's own request format without Token and Sign. Leave CbteDesde/CbteHasta out and the gateway numbers the " +
      'vouchers (never colliding, whatever the number of terminals and replicas); leave CbteFch out for today in ' +
      "Argentina (or the lane's last date, when that is later and ARCA accepts it). Rules ARCA would refuse are " +
      "checked first: a 400 names the field and ARCA's code, and nothing is sent.",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Strongly recommended: one key per sale (1-255 visible ASCII characters), unique per API key and kept for ' +
      'good. Retrying with the same key and body never issues a second voucher: a finished request answers again ' +
      'what it answered (header `Idempotent-Replayed: true`); one still in flight is waited for, or answers 409 ' +
      'with `Retry-After`; one whose ARCA answer was lost is settled with FECompConsultar first (504 with ' +
      '`Retry-After` while ARCA cannot be asked); one that failed before reaching ARCA runs again. The same key ' +
      'with another body is 409.',
  })
  @ApiHeader({
    name: 'Allow-Date-Advance',
    required: false,
    enum: ['true', 'false'],
    description:
      'ARCA refuses any voucher dated before the last one authorized on its point of sale and type (10016), so a ' +
      'voucher dated after today blocks every earlier date for every terminal sharing the point of sale until its ' +
      'date comes. The gateway issues one only with `Allow-Date-Advance: true`; without it the answer is 409 ' +
      '`DATE_ADVANCE_NOT_ALLOWED` and nothing is sent. Keep post-dated service invoices on a point of sale of ' +
      "their own. A voucher dated before the lane's last date is 409 `LANE_DATE_BLOCKED` (`details.acceptsFrom`).",
  })
  @ApiHeader({
    name: 'Allow-Contingency',
    required: false,
    enum: ['true', 'false'],
    description:
      'Default true. When ARCA cannot authorize and the sale certainly did not reach it (ARCA down, refused ' +
      "before processing, circuit open), the gateway issues it at once on the CUIT's contingency point of sale " +
      'under the fortnight\'s CAEA (RG 5782): `emisionTipo: "CAEA"`, reported to ARCA when it answers again. ' +
      '`false`: the answer is the 503, as without contingency.',
  })
  @ApiBody({
    type: CreateInvoiceDto,
    examples: {
      'Factura B (issue example)': { value: INVOICE_EXAMPLE },
      'Factura B numbered and dated by the gateway': { value: UNNUMBERED_INVOICE_EXAMPLE },
    },
  })
  @ApiCreatedResponse({ type: InvoiceResponseDto, description: 'Authorized (status authorized or partial)' })
  @ApiUnprocessableEntityResponse({
    type: InvoiceResponseDto,
    description: 'Rejected by ARCA: its codes inside',
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid input; nothing was sent to ARCA' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'CbteDesde is not the next number of the lane; `LANE_DATE_BLOCKED`: CbteFch (or today, when it is left ' +
      "out) is before the lane's last date; `DATE_ADVANCE_NOT_ALLOWED`: CbteFch is after today without " +
      '`Allow-Date-Advance: true`; `LANE_DIVERGED`; or the Idempotency-Key was used with another body, or its ' +
      'first request is still in flight (Retry-After)',
  })
  @ApiResponse({ status: 502, type: ErrorBodyDto, description: 'ARCA failed or refused the ticket' })
  @ApiResponse({
    status: 503,
    type: ErrorBodyDto,
    description:
      'ARCA unreachable or circuit open, and no CAEA contingency for the sale (none configured, or ' +
      '`Allow-Contingency: false`); Retry-After',
  })
  @ApiResponse({ status: 504, type: ErrorBodyDto, description: 'ARCA did not answer; outcome unknown' })
  async create(
    @Body() dto: CreateInvoiceDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('allow-date-advance') allowDateAdvance?: string,
    @Headers('allow-contingency') allowContingency?: string,
  ): Promise<InvoiceResponseDto> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 visible ASCII characters', [
        {
          field: 'Idempotency-Key',
          rule: 'format',
          message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
        },
      ]);
    }
    const result = await this.invoices.issue(dto, {
      requestId: String(request.id ?? ''),
      body: request.body as unknown,
      idempotencyKey,
      apiKeyId: principal.keyId,
      allowDateAdvance: booleanHeader('Allow-Date-Advance', allowDateAdvance, false),
      allowContingency: booleanHeader('Allow-Contingency', allowContingency, true),
    });
    response.status(result.httpStatus);
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader(
      'Server-Timing',
      `lane;dur=${result.timings.laneMs.toFixed(1)};desc="waiting for the numbering lane", ` +
        `arca;dur=${result.timings.arcaMs.toFixed(1)};desc="ARCA WSFEv1 calls"`,
    );
    return result.body;
  }

  @Get('last-authorized')
  @ApiOperation({
    summary: "ARCA's last authorized number for a point of sale and type (FECompUltimoAutorizado)",
  })
  @ApiOkResponse({ schema: { example: { cuit: 20123456789, ptoVta: 1, cbteTipo: 6, cbteNro: 1523 } } })
  lastAuthorized(@Query() query: LaneQueryDto) {
    return this.lookup.lastAuthorized(query.cuit, query.ptoVta, query.cbteTipo);
  }

  @Get(':cuit/:ptoVta/:cbteTipo/:cbteNro')
  @ApiOperation({
    summary:
      "One voucher as ARCA has it (FECompConsultar) and the gateway's own record of it, when it has one",
  })
  @ApiOkResponse({ description: "`afip`: ARCA's ResultGet or null; `gateway`: the stored record or null" })
  voucher(@Param() params: VoucherParamsDto) {
    return this.lookup.voucher(params.cuit, params.ptoVta, params.cbteTipo, params.cbteNro);
  }
}

/** A `true`/`false` header (any case); absent, `fallback`; anything else is a 400 naming the header. */
function booleanHeader(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true' || normalized === 'false') return normalized === 'true';
  throw new AppError('VALIDATION_FAILED', `${name} must be true or false`, [
    { field: name, rule: 'boolean', message: `${name} must be true or false` },
  ]);
}
