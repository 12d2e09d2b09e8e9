import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ScopeField } from '../access/scope-field.decorator.js';

export class TicketsParamsDto {
  @ApiProperty({ example: '20123456789', description: 'CUIT, 11 digits' })
  @ScopeField('cuit')
  @Matches(/^\d{11}$/, { message: 'cuit must be 11 digits' })
  cuit: string;

  @ApiProperty({ example: 'wsfe', description: 'WSAA service name' })
  @Matches(/^[a-zA-Z][a-zA-Z\-_0-9]{2,31}$/, {
    message: 'service must be a WSAA service name (3-32 letters, digits, - or _)',
  })
  service: string;
}
