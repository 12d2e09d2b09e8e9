import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsArcaAmount, IsIntIn, Required, IsYyyymmdd, OneOrMany } from './arca-validators.js';

// The lists inside FECAEDetRequest, in ARCA's names (WSFEv1 manual, FECAESolicitar). Each list element comes as
// one object or an array, e.g. `"Iva": {"AlicIva": {...}}` or `"Iva": {"AlicIva": [{...}, {...}]}`.

export class AlicIvaDto {
  @ApiProperty({
    example: 5,
    description: 'Aliquot id (FEParamGetTiposIva): 3 = 0%, 4 = 10.5%, 5 = 21%, 6 = 27% ...',
  })
  @Required()
  @IsIntIn(1, 99)
  Id: number;

  @ApiProperty({ example: 1000, description: 'Taxable base of this aliquot' })
  @IsArcaAmount()
  BaseImp: number;

  @ApiProperty({ example: 210, description: 'VAT amount of this aliquot (BaseImp x rate)' })
  @IsArcaAmount()
  Importe: number;
}

export class IvaDto {
  @ApiProperty({ type: [AlicIvaDto], description: 'One aliquot or an array of them' })
  @OneOrMany(() => AlicIvaDto, 20)
  AlicIva: AlicIvaDto[];
}

export class TributoDto {
  @ApiProperty({ example: 99, description: 'Tribute id (FEParamGetTiposTributos); 99 = other, needs Desc' })
  @Required()
  @IsIntIn(1, 32767)
  Id: number;

  @ApiPropertyOptional({ example: 'Impuesto municipal', description: 'Description (required for Id 99)' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  Desc?: string;

  @ApiProperty({ example: 1000, description: 'Taxable base' })
  @IsArcaAmount()
  BaseImp: number;

  @ApiProperty({ example: 3, description: 'Rate, percent' })
  @IsArcaAmount()
  Alic: number;

  @ApiProperty({ example: 30, description: 'Amount of the tribute' })
  @IsArcaAmount()
  Importe: number;
}

export class TributosDto {
  @ApiProperty({ type: [TributoDto], description: 'One tribute or an array of them' })
  @OneOrMany(() => TributoDto, 50)
  Tributo: TributoDto[];
}

export class CbteAsocDto {
  @ApiProperty({ example: 6, description: 'Type of the associated voucher (FEParamGetTiposCbte)' })
  @Required()
  @IsIntIn(1, 999)
  Tipo: number;

  @ApiProperty({ example: 1, description: 'Point of sale of the associated voucher' })
  @Required()
  @IsIntIn(1, 99_998)
  PtoVta: number;

  @ApiProperty({ example: 1520, description: 'Number of the associated voucher' })
  @Required()
  @IsIntIn(1, 99_999_999)
  Nro: number;

  @ApiPropertyOptional({ example: '20123456789', description: "Issuer's CUIT of the associated voucher" })
  @IsOptional()
  @Matches(/^\d{11}$/, { message: 'Cuit must be 11 digits' })
  Cuit?: string;

  @ApiPropertyOptional({ example: '20250701', description: 'Date of the associated voucher, yyyymmdd' })
  @IsOptional()
  @IsYyyymmdd()
  CbteFch?: string;
}

export class CbtesAsocDto {
  @ApiProperty({ type: [CbteAsocDto], description: 'One associated voucher or an array of them' })
  @OneOrMany(() => CbteAsocDto, 50)
  CbteAsoc: CbteAsocDto[];
}

export class OpcionalDto {
  @ApiProperty({
    example: '2101',
    description: 'Optional datum id (FEParamGetTiposOpcional), e.g. 2101 = CBU',
  })
  @IsString()
  @Length(1, 4)
  Id: string;

  @ApiProperty({ example: '0140999803200012345678', description: 'Its value' })
  @IsString()
  @Length(1, 250)
  Valor: string;
}

export class OpcionalesDto {
  @ApiProperty({ type: [OpcionalDto], description: 'One optional datum or an array of them' })
  @OneOrMany(() => OpcionalDto, 50)
  Opcional: OpcionalDto[];
}

export class CompradorDto {
  @ApiProperty({ example: 80, description: 'Document type of the buyer (FEParamGetTiposDoc)' })
  @Required()
  @IsIntIn(0, 99)
  DocTipo: number;

  @ApiProperty({ example: 20111111112, description: 'Document number of the buyer' })
  @Required()
  @IsIntIn(0, 99_999_999_999)
  DocNro: number;

  @ApiProperty({ example: 50, description: "The buyer's share, percent" })
  @Required()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  Porcentaje: number;
}

export class CompradoresDto {
  @ApiProperty({ type: [CompradorDto], description: 'One buyer or an array of them' })
  @OneOrMany(() => CompradorDto, 50)
  Comprador: CompradorDto[];
}

export class PeriodoAsocDto {
  @ApiProperty({ example: '20250601', description: 'Start of the associated period, yyyymmdd' })
  @IsYyyymmdd()
  FchDesde: string;

  @ApiProperty({ example: '20250630', description: 'End of the associated period, yyyymmdd' })
  @IsYyyymmdd()
  FchHasta: string;
}

export class ActividadDto {
  @ApiProperty({ example: 620100, description: "Activity id (FEParamGetActividades): one of the issuer's" })
  @Required()
  @IsIntIn(1, 999_999_999)
  Id: number;
}

export class ActividadesDto {
  @ApiProperty({ type: [ActividadDto], description: 'One activity or an array of them' })
  @OneOrMany(() => ActividadDto, 20)
  Actividad: ActividadDto[];
}

export const CAN_MIS_MON_EXT = ['S', 'N'] as const;
export const IsSN = () => IsIn(CAN_MIS_MON_EXT, { message: ({ property }) => `${property} must be S or N` });
