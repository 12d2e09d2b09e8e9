import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsArcaAmount, Required } from './arca-validators.js';

/** The most lines one voucher takes: a long supermarket ticket, still a cheap check. */
export const MAX_ITEM_LINES = 500;

/**
 * One line of the sale (`Items`), kept with the invoice and printed on it; never sent to ARCA. UnitPrice is net of
 * IVA; the lines must agree with the voucher's totals per IVA rate.
 */
export class InvoiceItemDto {
  @ApiProperty({ example: 'Café 500 g', description: 'What was sold, as printed (1-200 characters)' })
  @Required()
  @IsString({ message: ({ property }) => `${property} must be a string` })
  @Length(1, 200)
  Description: string;

  @ApiProperty({ example: 2, description: 'Quantity, up to 6 decimals (greater than 0)' })
  @Required()
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 },
    { message: ({ property }) => `${property} must be a number with at most 6 decimals` },
  )
  @Min(0.000001)
  @Max(999_999_999)
  Quantity: number;

  @ApiProperty({ example: 500, description: 'Unit price net of IVA, up to 6 decimals' })
  @Required()
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 },
    { message: ({ property }) => `${property} must be a number with at most 6 decimals` },
  )
  @Min(0)
  @Max(9_999_999_999_999)
  UnitPrice: number;

  @ApiPropertyOptional({
    example: 5,
    description:
      'IVA rate of the line (AlicIva Id: 3 = 0%, 4 = 10.5%, 5 = 21%, 6 = 27%, 8 = 5%, 9 = 2.5%); leave it out for ' +
      'exempt or untaxed lines and on class C',
  })
  @IsOptional()
  @IsIn([3, 4, 5, 6, 8, 9], { message: ({ property }) => `${property} must be one of 3, 4, 5, 6, 8, 9` })
  AlicIvaId?: number;

  @ApiPropertyOptional({ example: 0, description: 'Amount off the line, net of IVA' })
  @IsOptional()
  @IsArcaAmount()
  Discount?: number;

  @ApiPropertyOptional({ example: 'kg', description: 'Unit of measure, as printed (up to 20 characters)' })
  @IsOptional()
  @IsString({ message: ({ property }) => `${property} must be a string` })
  @Length(1, 20)
  Unit?: string;
}
