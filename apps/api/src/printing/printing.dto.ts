import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class PdfQueryDto {
  @ApiPropertyOptional({
    enum: ['a4', 'ticket'],
    default: 'a4',
    description: 'A4 page, or an 80 mm thermal ticket',
  })
  @IsOptional()
  @IsIn(['a4', 'ticket'], { message: 'format must be a4 or ticket' })
  format?: 'a4' | 'ticket';
}
