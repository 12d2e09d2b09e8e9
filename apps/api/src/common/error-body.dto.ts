import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error the gateway answers. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description: "The gateway's error code, or ARCA's where ARCA decided",
  })
  code: string;

  @ApiProperty({ example: 'FeCAEReq.FeCabReq.PtoVta must be an integer from 1 to 99998' })
  message: string;

  @ApiPropertyOptional({
    description: 'Per-field problems (`field`, `rule`, `message`) or other structured detail',
    example: [
      { field: 'FeCAEReq.FeCabReq.PtoVta', rule: 'max', message: 'PtoVta must not be greater than 99998' },
    ],
  })
  details?: unknown;

  @ApiProperty({
    example: '5b8f1c3e-8d0e-4c4b-9a57-1f0e3c2d4b6a',
    description: 'Also sent as the X-Request-Id header',
  })
  requestId: string;
}
