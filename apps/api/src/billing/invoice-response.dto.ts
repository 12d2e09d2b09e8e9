import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CodeMsgDto {
  @ApiProperty({ example: 10217 })
  code: number;

  @ApiProperty({ example: 'El credito fiscal discriminado en el presente comprobante ...' })
  msg: string;
}

export class QrDto {
  @ApiProperty({
    example: 'https://www.afip.gob.ar/fe/qr/?p=eyJ2ZXIiOjEsImZlY2hhIjoiMjAyNi0xMS0yNCIsLi4ufQ==',
    description: "RG 4892 QR: ARCA's URL with the voucher's data, base64 JSON",
  })
  url: string;
}

export class ReceiverConditionDto {
  @ApiProperty({ example: 1, description: 'CondicionIVAReceptorId as sent to ARCA' })
  id: number;

  @ApiPropertyOptional({
    enum: ['request', 'registry', 'DocTipo 99'],
    description:
      "Where it came from: the request, ARCA's taxpayer registry (a CUIT receiver sent without it), or 5 for an " +
      'unidentified consumer (DocTipo 99)',
  })
  source?: string;
}

export class IssuedInvoiceDto {
  @ApiProperty({ example: 1523 })
  cbteDesde: number;

  @ApiProperty({ example: 1523 })
  cbteHasta: number;

  @ApiProperty({ example: '20261124', description: 'Voucher date, yyyymmdd' })
  cbteFch: string;

  @ApiProperty({ enum: ['A', 'R'], description: 'A authorized, R rejected' })
  resultado: 'A' | 'R';

  @ApiProperty({
    enum: ['CAE', 'CAEA'],
    description:
      "ARCA's term for how the voucher was authorized: `CAE` by ARCA now, `CAEA` under the fortnight's CAEA on a " +
      'contingency point of sale while ARCA could not authorize (reported to ARCA afterwards)',
  })
  emisionTipo: 'CAE' | 'CAEA';

  @ApiPropertyOptional({ example: '36429876543210', description: 'CAEA voucher: the CAEA, 14 digits' })
  caea?: string;

  @ApiPropertyOptional({ example: 900, description: 'CAEA voucher: its contingency point of sale' })
  ptoVta?: number;

  @ApiPropertyOptional({
    example: '20261130143512',
    description: 'CAEA voucher: when it was generated, yyyymmddhhmmss in Argentina (CbteFchHsGen)',
  })
  cbteFchHsGen?: string;

  @ApiPropertyOptional({
    example: '20261208',
    description:
      "CAEA voucher: ARCA's deadline to report it (FchTopeInf); the gateway reports it when ARCA answers",
  })
  fchTopeInf?: string;

  @ApiPropertyOptional({ example: '20261215', description: 'CAEA voucher: the CAEA is valid until this day' })
  caeaFchVigHasta?: string;

  @ApiPropertyOptional({ example: '74123456789012', description: 'CAE, 14 digits (authorized only)' })
  cae?: string;

  @ApiPropertyOptional({ example: '20261204', description: 'CAE expiry, yyyymmdd' })
  caeFchVto?: string;

  @ApiProperty({ type: [CodeMsgDto], description: "ARCA's observations (reasons for R, notes for A)" })
  observaciones: CodeMsgDto[];

  @ApiPropertyOptional({ type: QrDto })
  qr?: QrDto;

  @ApiPropertyOptional({ type: ReceiverConditionDto })
  condicionIvaReceptor?: ReceiverConditionDto;
}

export class NumberConflictDto {
  @ApiProperty({ example: 1 }) cbteNro: number;
  @ApiProperty({ example: '71111111111111', description: 'The CAE ARCA gave now' }) cae: string;
  @ApiProperty({ example: '70836640059656', nullable: true, type: String }) supersededCae: string | null;
  @ApiProperty() message: string;
}

/** The answer to POST /v1/invoices, one shape for every outcome ARCA gave. */
export class InvoiceResponseDto {
  @ApiProperty({ enum: ['authorized', 'rejected', 'partial'] })
  status: 'authorized' | 'rejected' | 'partial';

  @ApiProperty({ example: 20123456789 })
  cuit: number;

  @ApiProperty({ example: 1 })
  ptoVta: number;

  @ApiProperty({ example: 6 })
  cbteTipo: number;

  @ApiProperty({ type: [IssuedInvoiceDto] })
  invoices: IssuedInvoiceDto[];

  @ApiProperty({ type: [CodeMsgDto], description: "ARCA's Errors" })
  errors: CodeMsgDto[];

  @ApiProperty({ type: [CodeMsgDto], description: "ARCA's Events" })
  events: CodeMsgDto[];

  @ApiProperty({
    description:
      "ARCA's FECAESolicitarResult as received (FeCabResp, FeDetResp, Events, Errors), lists as arrays",
    type: 'object',
    additionalProperties: true,
  })
  afip: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ['FECompConsultar'],
    description: "Present when ARCA's answer was lost and the outcome was read back with FECompConsultar",
  })
  recoveredWith?: 'FECompConsultar';

  @ApiPropertyOptional({
    description:
      'Present when the sale was issued under a CAEA because ARCA could not authorize it: why, the point of sale ' +
      'asked for, and the CAEA. Send `Allow-Contingency: false` to get the 503 instead',
    type: 'object',
    additionalProperties: true,
    example: {
      reason: 'AFIP_UNREACHABLE',
      message: "ARCA's WSFEv1 failed repeatedly ...",
      requestedPtoVta: 1,
      caea: '36429876543210',
      periodo: 202611,
      orden: 2,
    },
  })
  contingency?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [NumberConflictDto],
    description:
      'Present when ARCA authorized a number the gateway had already recorded as authorized (its data was reset, ' +
      'or another system numbers on the point of sale): the new CAE is the one ARCA holds; the earlier record is ' +
      'kept as superseded and an alarm raised',
  })
  conflicts?: NumberConflictDto[];

  @ApiProperty({ example: '5b8f1c3e-8d0e-4c4b-9a57-1f0e3c2d4b6a' })
  requestId: string;
}
