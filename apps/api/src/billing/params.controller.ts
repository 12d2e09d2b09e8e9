import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { WsfeClient } from '#libs/afip-wsfe';
import { Access } from '../access/access.decorator.js';
import { AppError } from '../common/app-error.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { CotizacionQueryDto, CuitQueryDto } from './invoice-query.dto.js';
import { PARAM_TABLES, type ParamTableName, ParamTablesService } from './param-tables.service.js';
import { WsfeCalls } from './wsfe-calls.service.js';

const TABLE_NAMES = Object.keys(PARAM_TABLES) as ParamTableName[];

@ApiTags('params')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@Access('pos')
@Controller('v1/params')
export class ParamsController {
  constructor(
    private readonly tables: ParamTablesService,
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
  ) {}

  @Get('cotizacion')
  @ApiOperation({ summary: "ARCA's exchange rate for a currency (FEParamGetCotizacion), not cached" })
  @ApiOkResponse({ schema: { example: { MonId: 'DOL', MonCotiz: 1050, FchCotiz: '20261123' } } })
  cotizacion(@Query() query: CotizacionQueryDto) {
    return this.calls.run(query.cuit, (auth) => this.wsfe.cotizacion(auth, query.monId, query.fecha));
  }

  @Get(':table')
  @ApiOperation({ summary: "One of ARCA's FEParamGet* tables, cached by the gateway (TTL 1 h by default)" })
  @ApiParam({ name: 'table', enum: TABLE_NAMES })
  @ApiOkResponse({ schema: { example: [{ Id: 5, Desc: '21%', FchDesde: '20090220', FchHasta: 'NULL' }] } })
  table(@Param('table') table: string, @Query() query: CuitQueryDto) {
    if (!Object.hasOwn(PARAM_TABLES, table))
      throw new AppError('NOT_FOUND', `unknown table ${table}; known tables: ${TABLE_NAMES.join(', ')}`);
    return this.tables.table(query.cuit, PARAM_TABLES[table as ParamTableName]);
  }
}
