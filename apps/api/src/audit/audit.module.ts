import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AuditEntryRepository } from './audit-entry.repository.js';
import { AuditInvoicesRepository } from './audit-invoices.repository.js';
import { AuditVerificationRepository } from './audit-verification.repository.js';
import { ChainVerifier } from './chain-verifier.service.js';
import { VerificationJobs } from './verification-jobs.service.js';

/** The hash-chained audit trail: its writer (for the other modules) and the auditor API. */
@Module({
  controllers: [AuditController],
  providers: [
    AuditEntryRepository,
    AuditChainRepository,
    AuditInvoicesRepository,
    AuditVerificationRepository,
    ChainVerifier,
    VerificationJobs,
  ],
  exports: [AuditEntryRepository],
})
export class AuditModule {}
