-- The write-ahead journal: what a request was numbered and sent as is committed before FECAESolicitar leaves, so
-- a voucher whose answer was lost (or whose gateway died) can be looked up and settled by any replica.
ALTER TABLE "invoice_request" ADD COLUMN "environment" VARCHAR(20);
ALTER TABLE "invoice_request" ADD COLUMN "sent_request" JSONB;
ALTER TABLE "invoice_request" ADD COLUMN "attempt_token" UUID;

-- Vouchers in doubt (SENT, UNKNOWN) are looked up at every entry into their lane.
CREATE INDEX "invoice_request_cuit_pto_vta_cbte_tipo_state_idx" ON "invoice_request"("cuit", "pto_vta", "cbte_tipo", "state");
