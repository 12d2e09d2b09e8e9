import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { projectPath } from '#libs/paths';

const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('arca-gateway')
      .setDescription(
        "REST/JSON gateway to ARCA's (ex AFIP) electronic invoicing: WSAA access tickets, WSFEv1 authorization " +
          '(CAE), numbering and an audit log. Errors always answer `{statusCode, code, message, details?, requestId}`.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
