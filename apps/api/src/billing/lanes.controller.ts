import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../access/access.decorator.js';
import { type Principal, readableCuits } from '../access/principal.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { LaneParamsDto } from './invoice-query.dto.js';
import { LanesQueryDto, ResyncBodyDto } from './lanes.dto.js';
import { LanesService } from './lanes.service.js';

@ApiTags('lanes')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'Not an admin (or, to read, an auditor of the CUIT)',
})
@Controller('v1/lanes')
export class LanesController {
  constructor(private readonly lanes: LanesService) {}

  @Get()
  @Access('auditor')
  @ApiOperation({
    summary:
      'Numbering lanes and their state: synced, unsynced (ARCA is asked first), diverged, blocked (a doubt)',
    description:
      "`lastCbteFch` is the date of the lane's last voucher: ARCA refuses any voucher of the lane dated before it. " +
      '`datesBlockedUntil` repeats it when it is after today (a post-dated voucher): until that day, every voucher ' +
      'of the lane must be dated on it or later. `emisionTipo` is CAEA for a contingency point of sale (the gateway ' +
      "numbers it while ARCA is down); a CAE lane's `contingencyPtoVta` is where its sales go then (null: none).",
  })
  @ApiOkResponse({
    schema: {
      example: [
        {
          environment: 'sandbox',
          cuit: '20123456789',
          ptoVta: 1,
          cbteTipo: 6,
          lastNumber: 3,
          lastCbteFch: '20261130',
          datesBlockedUntil: null,
          state: 'diverged',
          inDoubt: 0,
          divergence: { arcaLast: 0, gatewayLast: 3, since: '2026-11-30T12:00:00.000Z' },
          emisionTipo: 'CAE',
          contingencyPtoVta: 900,
        },
      ],
    },
  })
  list(@Query() query: LanesQueryDto, @CurrentPrincipal() principal: Principal) {
    const readable = readableCuits(principal);
    const cuits = query.cuit === undefined ? readable : [String(query.cuit)];
    return this.lanes.list(query.environment, cuits);
  }

  @Post(':cuit/:ptoVta/:cbteTipo/resync')
  @HttpCode(200)
  @ApiOperation({
    summary: "Accept ARCA's numbering for a lane after a confirmed reset of ARCA's data (admin)",
    description:
      "Settles the lane's vouchers in doubt, asks ARCA its last number, marks the gateway's vouchers above it as " +
      'superseded (kept, never deleted, shown to auditors) and numbers from there again. In production the body ' +
      'must be `{"confirm": "<cuit>/<ptoVta>/<cbteTipo>"}`.',
  })
  @ApiBody({ type: ResyncBodyDto, required: false })
  resync(
    @Param() params: LaneParamsDto,
    @Body() body: ResyncBodyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.lanes.resync(params, body?.confirm, principal);
  }
}
