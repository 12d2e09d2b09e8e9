import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ScopeField } from '../access/scope-field.decorator.js';
import { IsIntIn } from './arca-validators.js';

/** The environments records can carry: AFIP_ENV's, and `unknown` for journal rows older than the column. */
export const RECORD_ENVIRONMENTS = ['sandbox', 'homologation', 'production', 'unknown'] as const;
export type RecordEnvironment = (typeof RECORD_ENVIRONMENTS)[number];

export class LanesQueryDto {
  @ApiPropertyOptional({ example: 20123456789, description: 'Only this CUIT (an auditor sees only its own)' })
  @ScopeField('cuit')
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(20_000_000_000, 34_999_999_999)
  cuit?: number;

  @ApiPropertyOptional({ enum: RECORD_ENVIRONMENTS, description: "Default: the gateway's own AFIP_ENV" })
  @IsOptional()
  @IsIn(RECORD_ENVIRONMENTS, { message: `environment must be one of ${RECORD_ENVIRONMENTS.join(', ')}` })
  environment?: RecordEnvironment;
}

export class ResyncBodyDto {
  @ApiPropertyOptional({
    example: '20123456789/1/6',
    description:
      'Required in production: the lane typed out, `<cuit>/<ptoVta>/<cbteTipo>`, as a confirmation',
  })
  @IsOptional()
  @Matches(/^\d{11}\/\d{1,5}\/\d{1,3}$/, { message: 'confirm must be written <cuit>/<ptoVta>/<cbteTipo>' })
  confirm?: string;
}
