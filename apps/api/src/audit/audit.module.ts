import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AuditEntryRepository } from './audit-entry.repository.js';
import { AuditInvoicesRepository } from './audit-invoices.repository.js';
import { ChainVerifier } from './chain-verifier.service.js';

/** The hash-chained audit trail: its writer (for the other modules) and the auditor API. */
@Module({
  controllers: [AuditController],
  providers: [AuditEntryRepository, AuditChainRepository, AuditInvoicesRepository, ChainVerifier],
  exports: [AuditEntryRepository],
})
export class AuditModule {}
