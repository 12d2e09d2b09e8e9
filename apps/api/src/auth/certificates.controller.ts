import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { type CertificateStatus, CredentialService } from './credential.service.js';

@ApiTags('tickets')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'Not an admin key' })
@Controller('v1/certificates')
export class CertificatesController {
  constructor(private readonly credentials: CredentialService) {}

  @Get()
  @ApiOperation({
    summary: 'Each CUIT certificate of AFIP_CERTS_DIR: subject, expiry and days left, or why it is unusable',
  })
  @ApiOkResponse({
    schema: {
      example: [
        {
          cuit: '20123456789',
          subject: 'CN=arca-gateway, serialNumber=CUIT 20123456789',
          notAfter: '2028-11-30T12:00:00.000Z',
          daysLeft: 730,
          problem: null,
        },
      ],
    },
  })
  list(): Promise<CertificateStatus[]> {
    return this.credentials.status();
  }
}
