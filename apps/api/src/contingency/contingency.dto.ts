import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { ScopeField } from '../access/scope-field.decorator.js';
import { IsIntIn } from '../billing/arca-validators.js';

export class ContingencyQueryDto {
  @ApiPropertyOptional({ example: 20123456789, description: 'Only this CUIT (an auditor sees only its own)' })
  @ScopeField('cuit')
  @IsOptional()
  @Type(() => Number)
  @IsIntIn(20_000_000_000, 34_999_999_999)
  cuit?: number;
}
