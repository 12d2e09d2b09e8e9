import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access } from '../access/access.decorator.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { TaxpayerParamsDto, TaxpayerQueryDto } from './taxpayers.dto.js';
import { TaxpayersService } from './taxpayers.service.js';

@ApiTags('taxpayers')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: "`cuit` is not one of the key's CUITs" })
@Access('pos', 'auditor')
@Controller('v1/taxpayers')
export class TaxpayersController {
  constructor(private readonly taxpayers: TaxpayersService) {}

  @Get(':idPersona')
  @ApiOperation({
    summary:
      "A person in ARCA's taxpayer registry (ws_sr_constancia_inscripcion): name, address, IVA condition",
    description:
      "Asks ARCA's registry (padrón A5) with the ticket of `cuit`, the represented taxpayer (one of the key's " +
      "CUITs). The IVA condition comes as WSFEv1's CondicionIVAReceptorId, derived only from the taxes ARCA " +
      'lists: when ARCA sends an error block instead of data, the condition is not guessed and the error blocks ' +
      'are passed on in `registryErrors`. Answers are cached for TAXPAYER_CACHE_HOURS (24 by default); ' +
      '`refresh=true` asks ARCA now.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        idPersona: '30712345671',
        environment: 'sandbox',
        name: 'DISTRIBUIDORA DEL CENTRO S.A.',
        personType: 'JURIDICA',
        keyType: 'CUIT',
        keyStatus: 'ACTIVO',
        fiscalAddress: {
          street: 'BV SAN JUAN 450',
          locality: 'CORDOBA',
          province: 'CORDOBA',
          provinceId: 3,
          postalCode: '5000',
        },
        ivaCondition: {
          condicionIvaReceptorId: 1,
          description: 'IVA Responsable Inscripto',
          basis: 'registered for IVA (tax 30)',
        },
        monotributo: null,
        activities: [
          {
            id: 463199,
            description: 'VENTA AL POR MAYOR DE PRODUCTOS ALIMENTICIOS N.C.P.',
            order: 1,
            period: 201505,
          },
        ],
        registryErrors: {},
        fetchedAt: '2026-11-30T16:00:00.000Z',
        cached: false,
      },
    },
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'ARCA has no such person' })
  @ApiResponse({ status: 502, type: ErrorBodyDto, description: "ARCA refused the gateway's registry ticket" })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: "ARCA's registry unreachable; Retry-After" })
  lookup(@Param() params: TaxpayerParamsDto, @Query() query: TaxpayerQueryDto) {
    return this.taxpayers.lookup(query.cuit, params.idPersona, query.refresh === 'true');
  }
}
