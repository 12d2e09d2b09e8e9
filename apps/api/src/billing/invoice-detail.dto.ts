import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsArcaAmount, IsIntIn, Required, IsYyyymmdd, Nested, OneOrMany } from './arca-validators.js';
import { InvoiceItemDto, MAX_ITEM_LINES } from './invoice-items.dto.js';
import {
  ActividadesDto,
  CbtesAsocDto,
  CompradoresDto,
  IsSN,
  IvaDto,
  OpcionalesDto,
  PeriodoAsocDto,
  TributosDto,
} from './invoice-detail-lists.dto.js';

/** FECAEDetRequest: one voucher (or, for class B to final consumers, a range of them). */
export class InvoiceDetailDto {
  @ApiProperty({ example: 1, description: 'Concept: 1 products, 2 services, 3 products and services' })
  @Required()
  @IsIntIn(1, 3)
  Concepto: number;

  @ApiProperty({
    example: 96,
    description: "Receiver's document type (FEParamGetTiposDoc): 80 CUIT, 96 DNI, 99 none",
  })
  @Required()
  @IsIntIn(0, 99)
  DocTipo: number;

  @ApiProperty({ example: 12345678, description: "Receiver's document number (0 with DocTipo 99)" })
  @Required()
  @IsIntIn(0, 99_999_999_999)
  DocNro: number;

  @ApiPropertyOptional({
    example: 1,
    description:
      'First voucher number. Leave CbteDesde and CbteHasta out and the gateway numbers the voucher',
  })
  @IsOptional()
  @IsIntIn(1, 99_999_999)
  CbteDesde?: number;

  @ApiPropertyOptional({
    example: 1,
    description: 'Last voucher number (equal to CbteDesde except B ranges)',
  })
  @IsOptional()
  @IsIntIn(1, 99_999_999)
  CbteHasta?: number;

  @ApiPropertyOptional({
    example: '20250705',
    description: 'Voucher date, yyyymmdd; default today in Argentina',
  })
  @IsOptional()
  @IsYyyymmdd()
  CbteFch?: string;

  @ApiProperty({ example: 1210, description: 'Total: ImpTotConc + ImpNeto + ImpOpEx + ImpTrib + ImpIVA' })
  @IsArcaAmount()
  ImpTotal: number;

  @ApiProperty({ example: 0, description: 'Amount not subject to VAT (0 for class C)' })
  @IsArcaAmount()
  ImpTotConc: number;

  @ApiProperty({ example: 1000, description: 'Net taxed amount (for class C, the subtotal)' })
  @IsArcaAmount()
  ImpNeto: number;

  @ApiProperty({ example: 0, description: 'Exempt amount (0 for class C)' })
  @IsArcaAmount()
  ImpOpEx: number;

  @ApiProperty({ example: 0, description: 'Sum of the Tributos' })
  @IsArcaAmount()
  ImpTrib: number;

  @ApiProperty({ example: 210, description: 'Sum of the Iva aliquots (0 for class C)' })
  @IsArcaAmount()
  ImpIVA: number;

  @ApiPropertyOptional({ example: '20250701', description: 'Service start, yyyymmdd (Concepto 2 and 3)' })
  @IsOptional()
  @IsYyyymmdd()
  FchServDesde?: string;

  @ApiPropertyOptional({ example: '20250731', description: 'Service end, yyyymmdd (Concepto 2 and 3)' })
  @IsOptional()
  @IsYyyymmdd()
  FchServHasta?: string;

  @ApiPropertyOptional({ example: '20250810', description: 'Payment due date, yyyymmdd (Concepto 2 and 3)' })
  @IsOptional()
  @IsYyyymmdd()
  FchVtoPago?: string;

  @ApiProperty({ example: 'PES', description: 'Currency (FEParamGetTiposMonedas): PES, DOL, 060 ...' })
  @Required()
  @IsString()
  @Matches(/^[A-Z0-9]{3}$/, { message: ({ property }) => `${property} must be a 3-character currency id` })
  MonId: string;

  @ApiProperty({ example: 1, description: 'Exchange rate to pesos (1 for PES), up to 6 decimals' })
  @Required()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  @Max(9_999_999_999_999)
  MonCotiz: number;

  @ApiPropertyOptional({ example: 'N', description: 'Paid in the same foreign currency: S or N' })
  @IsOptional()
  @IsString()
  @Length(1, 1)
  @IsSN()
  CanMisMonExt?: string;

  @ApiPropertyOptional({
    example: 5,
    description:
      "Receiver's VAT condition (FEParamGetCondicionIvaReceptor): 1 RI, 4 exempt, 5 final consumer, 6 monotributo ... Mandatory from 2026-12-01",
  })
  @IsOptional()
  @IsIntIn(1, 99)
  CondicionIVAReceptorId?: number;

  @ApiPropertyOptional({ type: CbtesAsocDto, description: 'Associated vouchers (credit and debit notes)' })
  @IsOptional()
  @Nested(() => CbtesAsocDto)
  CbtesAsoc?: CbtesAsocDto;

  @ApiPropertyOptional({ type: TributosDto, description: 'Other tributes' })
  @IsOptional()
  @Nested(() => TributosDto)
  Tributos?: TributosDto;

  @ApiPropertyOptional({ type: IvaDto, description: 'VAT aliquots (not for class C)' })
  @IsOptional()
  @Nested(() => IvaDto)
  Iva?: IvaDto;

  @ApiPropertyOptional({ type: OpcionalesDto, description: 'Optional data (CBU, FCE alias, ...)' })
  @IsOptional()
  @Nested(() => OpcionalesDto)
  Opcionales?: OpcionalesDto;

  @ApiPropertyOptional({ type: CompradoresDto, description: 'Several buyers and their shares' })
  @IsOptional()
  @Nested(() => CompradoresDto)
  Compradores?: CompradoresDto;

  @ApiPropertyOptional({ type: PeriodoAsocDto, description: 'Associated period (credit and debit notes)' })
  @IsOptional()
  @Nested(() => PeriodoAsocDto)
  PeriodoAsoc?: PeriodoAsocDto;

  @ApiPropertyOptional({
    type: ActividadesDto,
    description: "The issuer's activities this voucher belongs to",
  })
  @IsOptional()
  @Nested(() => ActividadesDto)
  Actividades?: ActividadesDto;

  @ApiPropertyOptional({
    type: [InvoiceItemDto],
    description:
      `The lines sold (up to ${MAX_ITEM_LINES}), for the printed invoice; not sent to ARCA. Per IVA rate, their ` +
      "net must add up to that AlicIva's BaseImp and their IVA to its Importe (ARCA's tolerance); lines without " +
      'AlicIvaId add up to ImpOpEx + ImpTotConc; on class C all lines add up to ImpNeto',
  })
  @IsOptional()
  @OneOrMany(() => InvoiceItemDto, MAX_ITEM_LINES)
  Items?: InvoiceItemDto[];
}
