-- Every record made from ARCA's answers carries the environment it came from (sandbox, homologation,
-- production): homologation and production vouchers no longer share one number space, one listing, one lane.

-- Journal rows from before the write-ahead journal named no environment. Nothing tells which it was, so they say
-- so ('unknown') rather than guess; auditors list them with environment=unknown.
UPDATE "invoice_request" SET "environment" = 'unknown' WHERE "environment" IS NULL;
ALTER TABLE "invoice_request" ALTER COLUMN "environment" SET NOT NULL;

-- A voucher's environment is its journal row's.
ALTER TABLE "invoice" ADD COLUMN "environment" VARCHAR(20);
UPDATE "invoice" AS i SET "environment" = r."environment" FROM "invoice_request" AS r WHERE r."id" = i."request_id";
ALTER TABLE "invoice" ALTER COLUMN "environment" SET NOT NULL;

-- A voucher ARCA no longer holds (its environment was reset, and an admin resynced the lane; or ARCA authorized
-- the same number again) is kept, never deleted, and shown to auditors as superseded.
ALTER TABLE "invoice" ADD COLUMN "superseded_at" TIMESTAMPTZ(3);
ALTER TABLE "invoice" ADD COLUMN "superseded_reason" VARCHAR(200);

-- A lane whose ARCA numbering is behind the gateway's records stops numbering until an admin resyncs it.
ALTER TABLE "numbering_lane" ADD COLUMN "arca_last_number" BIGINT;
ALTER TABLE "numbering_lane" ADD COLUMN "diverged_at" TIMESTAMPTZ(3);

-- The listing's indexes lead with the environment, which every listing filters on.
DROP INDEX "invoice_cuit_pto_vta_cbte_tipo_cbte_nro_id_idx";
CREATE INDEX "invoice_environment_cuit_pto_vta_cbte_tipo_cbte_nro_id_idx" ON "invoice"("environment", "cuit", "pto_vta", "cbte_tipo", "cbte_nro", "id");
DROP INDEX "invoice_cuit_pto_vta_cbte_tipo_cbte_fch_cbte_nro_id_idx";
CREATE INDEX "invoice_environment_cuit_pto_vta_cbte_tipo_cbte_fch_cbte_nro_id_idx" ON "invoice"("environment", "cuit", "pto_vta", "cbte_tipo", "cbte_fch", "cbte_nro", "id");

-- Written by hand (partial indexes); the drift test knows them by name.

-- An authorized number is unique per environment and lane among the vouchers ARCA still holds.
DROP INDEX "invoice_authorized_number_key";
CREATE UNIQUE INDEX "invoice_authorized_number_key" ON "invoice"("environment", "cuit", "pto_vta", "cbte_tipo", "cbte_nro") WHERE "resultado" = 'A' AND "superseded_at" IS NULL;

DROP INDEX "invoice_rejected_order_idx";
CREATE INDEX "invoice_rejected_order_idx" ON "invoice"("environment", "cuit", "pto_vta", "cbte_tipo", "cbte_nro", "id") WHERE "resultado" = 'R';
