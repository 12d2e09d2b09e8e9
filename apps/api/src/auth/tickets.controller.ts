import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { TicketStatusDto } from './ticket-status.dto.js';
import { TicketService } from './ticket.service.js';
import { TicketsParamsDto } from './tickets-params.dto.js';

@ApiTags('tickets')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@Controller('v1/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketService) {}

  @Get()
  @ApiOperation({
    summary:
      'WSAA access tickets of the cluster per (CUIT, service, environment): expiry and origin, never token or sign',
  })
  @ApiOkResponse({ type: [TicketStatusDto] })
  async list(): Promise<TicketStatusDto[]> {
    const now = Date.now();
    return (await this.tickets.status()).map((ticket) => ({
      cuit: ticket.cuit,
      service: ticket.service,
      environment: ticket.environment,
      generationTime: ticket.generationTime.toISOString(),
      expirationTime: ticket.expirationTime.toISOString(),
      state: ticket.expirationTime.getTime() > now ? 'valid' : 'expired',
      obtainedBy: ticket.obtainedBy,
    }));
  }

  @Post(':cuit/:service')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Make sure a valid ticket exists (logs in to WSAA only if the cluster has none), e.g. to check a new certificate',
  })
  @ApiOkResponse({ type: TicketStatusDto })
  async ensure(@Param() params: TicketsParamsDto): Promise<TicketStatusDto> {
    await this.tickets.get(params.cuit, params.service);
    const ticket = (await this.tickets.status()).find(
      (candidate) => candidate.cuit === params.cuit && candidate.service === params.service,
    );
    if (!ticket) throw new Error('ticket stored but not found');
    return {
      cuit: ticket.cuit,
      service: ticket.service,
      environment: ticket.environment,
      generationTime: ticket.generationTime.toISOString(),
      expirationTime: ticket.expirationTime.toISOString(),
      state: 'valid',
      obtainedBy: ticket.obtainedBy,
    };
  }
}
