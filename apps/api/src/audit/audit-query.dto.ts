import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsIntIn, IsYyyymmdd } from '../billing/arca-validators.js';
import { RECORD_ENVIRONMENTS, type RecordEnvironment } from '../billing/lanes.dto.js';
import { ScopeField } from '../access/scope-field.decorator.js';

/** Filters of GET /v1/audit/invoices; every one optional, all combined with AND. */
export class AuditInvoicesQueryDto {
  @ApiPropertyOptional({
    enum: RECORD_ENVIRONMENTS,
    description:
      "Which ARCA environment's vouchers (default: the gateway's own AFIP_ENV); never mixed in a listing",
  })
  @IsOptional()
  @IsIn(RECORD_ENVIRONMENTS, { message: `environment must be one of ${RECORD_ENVIRONMENTS.join(', ')}` })
  environment?: RecordEnvironment;

  @ApiPropertyOptional({ example: 20123456789, description: "Issuer's CUIT (an auditor sees only its own)" })
  @ScopeField('cuit')
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(20_000_000_000, 34_999_999_999)
  cuit?: number;

  @ApiPropertyOptional({ example: 1 })
  @ScopeField('ptoVta')
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, 99_998)
  ptoVta?: number;

  @ApiPropertyOptional({ example: 6 })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, 999)
  cbteTipo?: number;

  @ApiPropertyOptional({ example: 1, description: 'Lowest voucher number, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, 99_999_999)
  cbteNroFrom?: number;

  @ApiPropertyOptional({ example: 1000, description: 'Highest voucher number, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, 99_999_999)
  cbteNroTo?: number;

  @ApiPropertyOptional({ example: '20261101', description: 'Earliest CbteFch (yyyymmdd), inclusive' })
  @IsOptional()
  @IsYyyymmdd()
  cbteFchFrom?: string;

  @ApiPropertyOptional({ example: '20261130', description: 'Latest CbteFch (yyyymmdd), inclusive' })
  @IsOptional()
  @IsYyyymmdd()
  cbteFchTo?: string;

  @ApiPropertyOptional({ enum: ['A', 'R'], description: 'A authorized, R rejected' })
  @IsOptional()
  @IsIn(['A', 'R'], { message: 'resultado must be A or R' })
  resultado?: 'A' | 'R';

  @ApiPropertyOptional({ example: '76543210987654' })
  @IsOptional()
  @Matches(/^\d{14}$/, { message: 'cae must be 14 digits' })
  cae?: string;

  @ApiPropertyOptional({ example: 96, description: "Receiver's document type" })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(0, 999)
  docTipo?: number;

  @ApiPropertyOptional({ example: 30111222, description: "Receiver's document number" })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(0, 99_999_999_999)
  docNro?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a nextCursor the gateway returned' })
  cursor?: string;

  @ApiPropertyOptional({ example: 100, description: 'Page size, 1 to 1000 (default 100); ignored for CSV' })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, 1000)
  limit?: number;
}

export class VerifyQueryDto {
  @ApiPropertyOptional({
    example: 20123456789,
    description: "Verify this CUIT's entries only (an auditor: one of its own; default: all of them)",
  })
  @ScopeField('cuit')
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(20_000_000_000, 34_999_999_999)
  cuit?: number;

  @ApiPropertyOptional({
    example: 1,
    description: 'Start at this entry (toSeq + 1 of an earlier run); default: the first',
  })
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(1, Number.MAX_SAFE_INTEGER)
  fromSeq?: number;

  @ApiPropertyOptional({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description:
      "The lastHash of an earlier run: it must still be the hash of the scope's last entry before fromSeq",
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'checkpointHash must be 64 lowercase hex digits' })
  checkpointHash?: string;
}

export class StartVerificationQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Walk the whole chain from its first entry, ignoring stored checkpoints (default false)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'full must be true or false' })
  full?: 'true' | 'false';
}
