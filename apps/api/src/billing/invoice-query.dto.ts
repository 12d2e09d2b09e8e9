import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { IsIntIn, IsYyyymmdd } from './arca-validators.js';
import { ScopeField } from '../access/scope-field.decorator.js';

export class CuitQueryDto {
  @ApiProperty({ example: 20123456789, description: "The issuer's CUIT whose access ticket is used" })
  @ScopeField('cuit')
  @Type(() => Number)
  @IsIntIn(20_000_000_000, 34_999_999_999)
  cuit: number;
}

export class LaneQueryDto extends CuitQueryDto {
  @ApiProperty({ example: 1, description: 'Point of sale' })
  @ScopeField('ptoVta')
  @Type(() => Number)
  @IsIntIn(1, 99_998)
  ptoVta: number;

  @ApiProperty({ example: 6, description: 'Voucher type (FEParamGetTiposCbte)' })
  @Type(() => Number)
  @IsIntIn(1, 999)
  cbteTipo: number;
}

/** A lane named in the path: `:cuit/:ptoVta/:cbteTipo`. */
export class LaneParamsDto extends LaneQueryDto {}

export class VoucherParamsDto extends LaneQueryDto {
  @ApiProperty({ example: 1523, description: 'Voucher number' })
  @Type(() => Number)
  @IsIntIn(1, 99_999_999)
  cbteNro: number;
}

export class CotizacionQueryDto extends CuitQueryDto {
  @ApiProperty({ example: 'DOL', description: 'Currency (FEParamGetTiposMonedas)' })
  @Matches(/^[A-Z0-9]{3}$/, { message: 'monId must be a 3-character currency id' })
  monId: string;

  @ApiPropertyOptional({
    example: '20261120',
    description: 'Date of the rate, yyyymmdd (default: ARCA decides)',
  })
  @IsOptional()
  @IsYyyymmdd()
  fecha?: string;
}
