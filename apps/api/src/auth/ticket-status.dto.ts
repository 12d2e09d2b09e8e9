import { ApiProperty } from '@nestjs/swagger';

/** What an admin may know of a ticket: never its token or sign. */
export class TicketStatusDto {
  @ApiProperty({ example: '20123456789' })
  cuit: string;

  @ApiProperty({ example: 'wsfe', description: 'WSAA service (WSN)' })
  service: string;

  @ApiProperty({ example: 'sandbox', enum: ['sandbox', 'homologation', 'production'] })
  environment: string;

  @ApiProperty({ example: '2026-11-23T20:00:00.000Z' })
  generationTime: string;

  @ApiProperty({ example: '2026-11-24T08:00:00.000Z' })
  expirationTime: string;

  @ApiProperty({ enum: ['valid', 'expired'], description: 'expired once expirationTime has passed' })
  state: 'valid' | 'expired';

  @ApiProperty({ example: 'gateway-1:4242', description: 'The gateway instance that logged in to get it' })
  obtainedBy: string;
}
