import { Injectable, Logger } from '@nestjs/common';
import { AppError, type ErrorDetail } from '../common/app-error.js';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret.js';
import type { CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto.js';
import { ApiKeyRepository, type ApiKeyView } from './api-key.repository.js';
import type { Principal } from './principal.js';

/** Creating, listing and revoking keys (admin). The key itself exists only in the answer to its creation. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('Access');

  constructor(private readonly keys: ApiKeyRepository) {}

  async create(dto: CreateApiKeyDto, by: Principal): Promise<CreatedApiKeyDto> {
    const cuits = [...new Set(dto.cuits ?? [])].map(String);
    const ptoVtas = [...new Set(dto.ptoVtas ?? [])];
    const problems = scopeProblems(dto.role, cuits, ptoVtas);
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems[0]!.message, problems);
    const key = generateApiKey();
    const view = await this.keys.create(
      {
        name: dto.name,
        role: dto.role,
        keyHash: hashApiKey(key),
        keyPrefix: displayPrefix(key),
        cuits,
        ptoVtas,
      },
      by.keyId,
    );
    this.logger.log(`API key ${view.keyPrefix}… (${view.role}, "${view.name}") created by ${by.name}`);
    return { ...view, key };
  }

  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  async revoke(id: string, by: Principal): Promise<ApiKeyView> {
    const view = await this.keys.revoke(id, by.keyId);
    if (!view) throw new AppError('NOT_FOUND', `no API key with id ${id}`);
    this.logger.log(`API key ${view.keyPrefix}… (${view.role}, "${view.name}") revoked by ${by.name}`);
    return view;
  }
}

/** Which scope each role needs: admin none (every CUIT), auditor its CUITs, pos its CUITs and points of sale. */
export function scopeProblems(role: string, cuits: string[], ptoVtas: number[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (role === 'admin' && cuits.length > 0)
    problems.push({
      field: 'cuits',
      rule: 'scope',
      message: 'cuits must be empty for admin: it acts for every CUIT',
    });
  if (role !== 'admin' && cuits.length === 0)
    problems.push({
      field: 'cuits',
      rule: 'scope',
      message: `cuits must list at least one CUIT for ${role}`,
    });
  if (role === 'pos' && ptoVtas.length === 0)
    problems.push({
      field: 'ptoVtas',
      rule: 'scope',
      message: 'ptoVtas must list at least one point of sale for pos',
    });
  if (role !== 'pos' && ptoVtas.length > 0)
    problems.push({
      field: 'ptoVtas',
      rule: 'scope',
      message: `ptoVtas must be empty for ${role}: only pos keys have them`,
    });
  return problems;
}
