import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { qrPng, qrSvg } from '#libs/invoice-print';
import { Access } from '../access/access.decorator.js';
import { VoucherParamsDto } from '../billing/invoice-query.dto.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { PdfQueryDto } from './printing.dto.js';
import { PrintingService } from './printing.service.js';

const PDF_SUMMARY =
  'The voucher as ARCA authorized it, as a PDF: A4, or an 80 mm ticket (`format=ticket`), with the lines the POS ' +
  'sent (`Items`), the parties, IVA by class, CAE and its due date, and the RG 4892 QR';
const NOT_PRINTABLE =
  'No authorized voucher with that number: never issued, rejected by ARCA, superseded, or a type with no printed form';
const IN_DOUBT = 'Sent to ARCA, outcome not known yet: it prints once settled (Retry-After)';

function pdfFile(pdf: Buffer, params: VoucherParamsDto, format: string): StreamableFile {
  const name = `${params.cuit}-${String(params.ptoVta).padStart(5, '0')}-${params.cbteTipo}-${String(params.cbteNro).padStart(8, '0')}-${format}.pdf`;
  return new StreamableFile(pdf, {
    type: 'application/pdf',
    disposition: `inline; filename="${name}"`,
    length: pdf.length,
  });
}

@ApiTags('invoices')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: "The key's role or scope does not cover the voucher",
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_PRINTABLE })
@ApiConflictResponse({ type: ErrorBodyDto, description: IN_DOUBT })
@Access('pos', 'auditor')
@Controller('v1/invoices/:cuit/:ptoVta/:cbteTipo/:cbteNro')
export class PrintingController {
  constructor(private readonly printing: PrintingService) {}

  @Get('pdf')
  @ApiOperation({ summary: PDF_SUMMARY })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'application/pdf' })
  async pdf(@Param() params: VoucherParamsDto, @Query() query: PdfQueryDto): Promise<StreamableFile> {
    const format = query.format ?? 'a4';
    return pdfFile(await this.printing.pdf(params, format), params, format);
  }

  @Get('qr.svg')
  @ApiOperation({
    summary: "The voucher's RG 4892 QR alone, as SVG (it encodes the `qr.url` of the invoice's answer)",
  })
  @ApiProduces('image/svg+xml')
  async svg(@Param() params: VoucherParamsDto): Promise<StreamableFile> {
    const svg = Buffer.from(await qrSvg(await this.printing.qrUrl(params)));
    return new StreamableFile(svg, { type: 'image/svg+xml', length: svg.length });
  }

  @Get('qr.png')
  @ApiOperation({ summary: "The voucher's RG 4892 QR alone, as PNG" })
  @ApiProduces('image/png')
  async png(@Param() params: VoucherParamsDto): Promise<StreamableFile> {
    const png = await qrPng(await this.printing.qrUrl(params));
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }
}

/** Auditors find the same PDF beside the trail. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'Not an auditor or admin key, or a CUIT out of its scope',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_PRINTABLE })
@ApiConflictResponse({ type: ErrorBodyDto, description: IN_DOUBT })
@Access('auditor')
@Controller('v1/audit/invoices/:cuit/:ptoVta/:cbteTipo/:cbteNro')
export class AuditPrintingController {
  constructor(private readonly printing: PrintingService) {}

  @Get('pdf')
  @ApiOperation({ summary: `${PDF_SUMMARY} (the same document as /v1/invoices/.../pdf)` })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'application/pdf' })
  async pdf(@Param() params: VoucherParamsDto, @Query() query: PdfQueryDto): Promise<StreamableFile> {
    const format = query.format ?? 'a4';
    return pdfFile(await this.printing.pdf(params, format), params, format);
  }
}
