import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsIntIn, Required } from '../billing/arca-validators.js';
import { API_KEY_ROLES, type ApiKeyRole } from './principal.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Sucursal Centro - caja 1', description: 'Who will use the key, for people' })
  @Required()
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({
    enum: API_KEY_ROLES,
    example: 'pos',
    description:
      'admin: everything, every CUIT; pos: issue and read for its points of sale; auditor: read only',
  })
  @Required()
  @IsIn(API_KEY_ROLES, { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role: ApiKeyRole;

  @ApiPropertyOptional({
    type: [Number],
    example: [20123456789],
    description: 'CUITs the key may act for: required for pos and auditor, none for admin',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIntIn(20_000_000_000, 34_999_999_999, { each: true })
  cuits?: number[];

  @ApiPropertyOptional({
    type: [Number],
    example: [1],
    description: 'Points of sale a pos key may use: required for pos, none for the other roles',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsIntIn(1, 99_998, { each: true })
  ptoVtas?: number[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role: ApiKeyRole;
  @ApiProperty({ example: 'arca_Xy12Ab', description: 'The first characters of the key, to tell keys apart' })
  keyPrefix: string;
  @ApiProperty({ type: [String], example: ['20123456789'] }) cuits: string[];
  @ApiProperty({ type: [Number], example: [1] }) ptoVtas: number[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'arca_2m0Qe1f3bYH0tq8o5r4uVv3pKxJ0cN7sQyL9dW6aZgE',
    description: 'The key itself: shown only in this answer, stored only as its SHA-256',
  })
  key: string;
}

/** The calling key as GET /v1/me answers it. */
export class PrincipalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role: ApiKeyRole;
  @ApiProperty({ type: [String], example: ['20123456789'], description: 'Empty for admin: every CUIT' })
  cuits: string[];
  @ApiProperty({ type: [Number], example: [1], description: 'Points of sale of a pos key; empty otherwise' })
  ptoVtas: number[];
}
