-- CAEA contingency (RG 5782): CAEAs obtained in advance per fortnight, the points of sale ARCA lists (kept, so a
-- replica that starts while ARCA is down still knows its contingency points of sale), the contingency points of
-- sale declared without movement, and on each voucher its emission type and the state of its report to ARCA.
-- Existing vouchers are CAE vouchers: the default says so; nothing else is rewritten.

-- AlterTable
ALTER TABLE "invoice" ADD COLUMN "emision_tipo" VARCHAR(4) NOT NULL DEFAULT 'CAE',
ADD COLUMN "cbte_fch_hs_gen" CHAR(14),
ADD COLUMN "report_state" VARCHAR(10),
ADD COLUMN "report_detail" JSONB,
ADD COLUMN "report_answer" JSONB,
ADD COLUMN "reported_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "invoice_environment_report_state_idx" ON "invoice"("environment", "report_state");

-- CreateTable
CREATE TABLE "caea" (
    "environment" VARCHAR(20) NOT NULL,
    "cuit" BIGINT NOT NULL,
    "periodo" INTEGER NOT NULL,
    "orden" INTEGER NOT NULL,
    "caea" CHAR(14) NOT NULL,
    "fch_vig_desde" CHAR(8) NOT NULL,
    "fch_vig_hasta" CHAR(8) NOT NULL,
    "fch_tope_inf" VARCHAR(8) NOT NULL,
    "fch_proceso" VARCHAR(14) NOT NULL,
    "observaciones" JSONB NOT NULL DEFAULT '[]',
    "obtained_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "caea_pkey" PRIMARY KEY ("environment","cuit","periodo","orden")
);

-- CreateTable
CREATE TABLE "point_of_sale" (
    "environment" VARCHAR(20) NOT NULL,
    "cuit" BIGINT NOT NULL,
    "pto_vta" INTEGER NOT NULL,
    "emision_tipo" VARCHAR(100) NOT NULL,
    "blocked" BOOLEAN NOT NULL,
    "fch_baja" VARCHAR(8),
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "point_of_sale_pkey" PRIMARY KEY ("environment","cuit","pto_vta")
);

-- CreateTable
CREATE TABLE "caea_without_movement" (
    "environment" VARCHAR(20) NOT NULL,
    "cuit" BIGINT NOT NULL,
    "periodo" INTEGER NOT NULL,
    "orden" INTEGER NOT NULL,
    "pto_vta" INTEGER NOT NULL,
    "resultado" CHAR(1) NOT NULL,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "informed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "caea_without_movement_pkey" PRIMARY KEY ("environment","cuit","periodo","orden","pto_vta")
);
