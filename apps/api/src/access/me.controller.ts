import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { Access, CurrentPrincipal } from './access.decorator.js';
import { PrincipalDto } from './api-key.dto.js';
import type { Principal } from './principal.js';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@Controller('v1/me')
export class MeController {
  @Get()
  @Access('pos', 'auditor')
  @ApiOperation({
    summary: "The calling key's name, role and scope (any role): what the console shows and offers",
  })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return {
      id: principal.keyId,
      name: principal.name,
      role: principal.role,
      cuits: principal.cuits,
      ptoVtas: principal.ptoVtas,
    };
  }
}
