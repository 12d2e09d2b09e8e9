-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('admin', 'pos', 'auditor');

-- CreateEnum
CREATE TYPE "InvoiceRequestState" AS ENUM ('PENDING', 'SENT', 'AUTHORIZED', 'REJECTED', 'UNKNOWN', 'FAILED');

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "key_prefix" VARCHAR(16) NOT NULL,
    "role" "ApiKeyRole" NOT NULL,
    "cuits" BIGINT[],
    "pto_vtas" INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_ticket" (
    "id" UUID NOT NULL,
    "cuit" BIGINT NOT NULL,
    "service" VARCHAR(50) NOT NULL,
    "environment" VARCHAR(20) NOT NULL,
    "token_enc" BYTEA NOT NULL,
    "sign_enc" BYTEA NOT NULL,
    "unique_id" BIGINT NOT NULL,
    "generation_time" TIMESTAMPTZ(3) NOT NULL,
    "expiration_time" TIMESTAMPTZ(3) NOT NULL,
    "obtained_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "access_ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_request" (
    "id" UUID NOT NULL,
    "api_key_id" UUID,
    "idempotency_key" VARCHAR(255),
    "request_hash" CHAR(64) NOT NULL,
    "state" "InvoiceRequestState" NOT NULL DEFAULT 'PENDING',
    "cuit" BIGINT NOT NULL,
    "pto_vta" INTEGER NOT NULL,
    "cbte_tipo" INTEGER NOT NULL,
    "cbte_desde" BIGINT,
    "cbte_hasta" BIGINT,
    "request" JSONB NOT NULL,
    "afip_response" JSONB,
    "http_status" INTEGER,
    "response_body" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoice_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "cuit" BIGINT NOT NULL,
    "pto_vta" INTEGER NOT NULL,
    "cbte_tipo" INTEGER NOT NULL,
    "cbte_nro" BIGINT NOT NULL,
    "cbte_fch" CHAR(8) NOT NULL,
    "concepto" INTEGER NOT NULL,
    "doc_tipo" INTEGER NOT NULL,
    "doc_nro" BIGINT NOT NULL,
    "imp_total" DECIMAL(15,2) NOT NULL,
    "imp_neto" DECIMAL(15,2) NOT NULL,
    "imp_iva" DECIMAL(15,2) NOT NULL,
    "mon_id" VARCHAR(3) NOT NULL,
    "mon_cotiz" DECIMAL(19,6) NOT NULL,
    "resultado" CHAR(1) NOT NULL,
    "cae" CHAR(14),
    "cae_fch_vto" CHAR(8),
    "observaciones" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "seq" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" VARCHAR(50) NOT NULL,
    "actor" VARCHAR(100) NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "cuit" BIGINT,
    "payload" JSONB NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE UNIQUE INDEX "access_ticket_cuit_service_environment_key" ON "access_ticket"("cuit", "service", "environment");

-- CreateIndex
CREATE INDEX "invoice_request_state_updated_at_idx" ON "invoice_request"("state", "updated_at");

-- CreateIndex
CREATE INDEX "invoice_request_cuit_pto_vta_cbte_tipo_created_at_idx" ON "invoice_request"("cuit", "pto_vta", "cbte_tipo", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_request_api_key_id_idempotency_key_key" ON "invoice_request"("api_key_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "invoice_cuit_pto_vta_cbte_tipo_cbte_nro_idx" ON "invoice"("cuit", "pto_vta", "cbte_tipo", "cbte_nro");

-- CreateIndex
CREATE INDEX "invoice_cuit_cbte_fch_idx" ON "invoice"("cuit", "cbte_fch");

-- CreateIndex
CREATE INDEX "invoice_cae_idx" ON "invoice"("cae");

-- CreateIndex
CREATE INDEX "invoice_doc_tipo_doc_nro_idx" ON "invoice"("doc_tipo", "doc_nro");

-- CreateIndex
CREATE INDEX "invoice_request_id_idx" ON "invoice"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_hash_key" ON "audit_entry"("hash");

-- CreateIndex
CREATE INDEX "audit_entry_cuit_occurred_at_idx" ON "audit_entry"("cuit", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_entry_subject_idx" ON "audit_entry"("subject");

-- AddForeignKey
ALTER TABLE "invoice_request" ADD CONSTRAINT "invoice_request_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "invoice_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Written by hand (Prisma's schema cannot express these); the drift test knows them by name.

-- An authorized number is unique per (cuit, ptoVta, cbteTipo); rejected attempts may repeat it.
CREATE UNIQUE INDEX "invoice_authorized_number_key" ON "invoice"("cuit", "pto_vta", "cbte_tipo", "cbte_nro") WHERE "resultado" = 'A';

-- The audit trail is append-only: refuse UPDATE and DELETE (and TRUNCATE) for every role but a superuser
-- who disables the trigger on purpose.
CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_entry_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_entry"
  FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only"();

CREATE TRIGGER "audit_entry_no_truncate" BEFORE TRUNCATE ON "audit_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_entry_append_only"();
