import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../access/access.decorator.js';
import { type Principal, readableCuits } from '../access/principal.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { ContingencyQueryDto } from './contingency.dto.js';
import { ContingencyJobs } from './contingency.jobs.js';
import { ContingencyService } from './contingency.service.js';

@ApiTags('contingency')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'Not an admin (or, to read, an auditor of the CUIT)',
})
@Controller('v1/contingency')
export class ContingencyController {
  constructor(
    private readonly contingency: ContingencyService,
    private readonly jobs: ContingencyJobs,
  ) {}

  @Get()
  @Access('auditor')
  @ApiOperation({
    summary:
      'CAEA contingency: CAEAs per CUIT and fortnight, contingency points of sale, vouchers by report state',
    description:
      'For each CUIT (an auditor sees its own): the contingency points of sale and which CAE point of sale switches ' +
      "to each; the CAEAs obtained, with ARCA's reporting deadline (`fchTopeInf`) and the vouchers issued under each " +
      'by state (PENDING: not reported yet, REPORTED, OBSERVED, REJECTED); the points of sale declared without ' +
      'movement; and the alarms: vouchers ARCA rejected or observed when reported, which a person has to look at.',
  })
  @ApiOkResponse({ description: 'The contingency overview' })
  overview(@Query() query: ContingencyQueryDto, @CurrentPrincipal() principal: Principal) {
    // `cuit` is checked against the key's scope by the scope pipe (ScopeField); without it, the key's own CUITs.
    const readable = readableCuits(principal)?.map(Number);
    return this.contingency.overview(query.cuit !== undefined ? [query.cuit] : readable);
  }

  @Post('report')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Report contingency vouchers to ARCA now (FECAEARegInformativo), and declare idle points of sale',
    description:
      'Admin only. The same pass runs every CAEA_REPORT_INTERVAL_MS; this runs it at once and waits for it.',
  })
  @ApiOkResponse({
    schema: {
      example: { reported: 12, observed: 0, rejected: 0, pending: 0, withoutMovement: 1, failures: [] },
    },
  })
  report() {
    return this.jobs.report();
  }
}
