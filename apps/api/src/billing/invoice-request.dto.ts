import { ApiProperty } from '@nestjs/swagger';
import { IsIntIn, Nested, OneOrMany, Required } from './arca-validators.js';
import { InvoiceDetailDto } from './invoice-detail.dto.js';
import { ScopeField } from '../access/scope-field.decorator.js';
import type { SlicedArray } from '../common/validation.js';

/** The most vouchers a request's body may carry (ARCA's FECompTotXRequest is lower: checked before validation). */
const MAX_DETAILS = 1000;

export class InvoiceAuthDto {
  @ApiProperty({ example: 20123456789, description: "The issuer's CUIT (the gateway holds its certificate)" })
  @ScopeField('cuit')
  @Required()
  @IsIntIn(20_000_000_000, 34_999_999_999)
  Cuit: number;
}

export class InvoiceHeaderDto {
  @ApiProperty({ example: 1, description: 'Number of details in FeDetReq' })
  @Required()
  @IsIntIn(1, 9998)
  CantReg: number;

  @ApiProperty({ example: 1, description: 'Point of sale (enabled for web services in ARCA)' })
  @ScopeField('ptoVta')
  @Required()
  @IsIntIn(1, 99_998)
  PtoVta: number;

  @ApiProperty({
    example: 6,
    description: 'Voucher type (FEParamGetTiposCbte): 1 Factura A, 6 Factura B, 11 Factura C ...',
  })
  @Required()
  @IsIntIn(1, 999)
  CbteTipo: number;
}

export class InvoiceDetailsDto {
  @ApiProperty({
    type: [InvoiceDetailDto],
    description: 'One voucher, or an array of them (as many as CantReg)',
  })
  @OneOrMany(() => InvoiceDetailDto, MAX_DETAILS)
  FECAEDetRequest: InvoiceDetailDto[];
}

export class FeCAEReqDto {
  @ApiProperty({ type: InvoiceHeaderDto })
  @Required()
  @Nested(() => InvoiceHeaderDto)
  FeCabReq: InvoiceHeaderDto;

  @ApiProperty({ type: InvoiceDetailsDto })
  @Required()
  @Nested(() => InvoiceDetailsDto)
  FeDetReq: InvoiceDetailsDto;
}

/** POST /v1/invoices: FECAESolicitar's request in ARCA's own names, with Token and Sign left to the gateway. */
export class CreateInvoiceDto {
  @ApiProperty({ type: InvoiceAuthDto })
  @Required()
  @Nested(() => InvoiceAuthDto)
  Auth: InvoiceAuthDto;

  @ApiProperty({ type: FeCAEReqDto })
  @Required()
  @Nested(() => FeCAEReqDto)
  FeCAEReq: FeCAEReqDto;
}

/** The example: a Factura B to a final consumer, numbered and dated by the gateway when left out. */
/** A request's vouchers are validated ten at a time, other requests served between (common/validation.ts). */
export const SLICED_DETAILS: SlicedArray = {
  metatype: CreateInvoiceDto,
  path: ['FeCAEReq', 'FeDetReq', 'FECAEDetRequest'],
  item: InvoiceDetailDto,
  max: MAX_DETAILS,
};

export const INVOICE_EXAMPLE = {
  Auth: { Cuit: 20123456789 },
  FeCAEReq: {
    FeCabReq: { CantReg: 1, PtoVta: 1, CbteTipo: 6 },
    FeDetReq: {
      FECAEDetRequest: {
        Concepto: 1,
        DocTipo: 96,
        DocNro: 12345678,
        CbteDesde: 1,
        CbteHasta: 1,
        CbteFch: '20250705',
        ImpTotal: 1210.0,
        ImpTotConc: 0.0,
        ImpNeto: 1000.0,
        ImpOpEx: 0.0,
        ImpTrib: 0.0,
        ImpIVA: 210.0,
        MonId: 'PES',
        MonCotiz: 1.0,
        CondicionIVAReceptorId: 5,
        Iva: { AlicIva: { Id: 5, BaseImp: 1000.0, Importe: 210.0 } },
      },
    },
  },
};

const {
  CbteDesde: _desde,
  CbteHasta: _hasta,
  CbteFch: _fch,
  ...UNNUMBERED_DETAIL
} = INVOICE_EXAMPLE.FeCAEReq.FeDetReq.FECAEDetRequest;

/** The example as most POS send it: numbered and dated by the gateway. */
export const UNNUMBERED_INVOICE_EXAMPLE = {
  ...INVOICE_EXAMPLE,
  FeCAEReq: { ...INVOICE_EXAMPLE.FeCAEReq, FeDetReq: { FECAEDetRequest: UNNUMBERED_DETAIL } },
};
