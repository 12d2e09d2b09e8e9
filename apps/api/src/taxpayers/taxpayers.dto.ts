import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { IsIntIn } from '../billing/arca-validators.js';
import { CuitQueryDto } from '../billing/invoice-query.dto.js';

export class TaxpayerParamsDto {
  @ApiProperty({ example: 30712345671, description: 'The person looked up: a CUIT, CUIL or CDI (11 digits)' })
  @Type(() => Number)
  @IsIntIn(10_000_000_000, 99_999_999_999)
  idPersona: number;
}

export class TaxpayerQueryDto extends CuitQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      "`true`: ask ARCA now, whatever the gateway's cache holds (TAXPAYER_CACHE_HOURS, default 24)",
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'refresh must be true or false' })
  refresh?: 'true' | 'false';
}
