-- CreateTable
CREATE TABLE "numbering_lane" (
    "environment" VARCHAR(20) NOT NULL,
    "cuit" BIGINT NOT NULL,
    "pto_vta" INTEGER NOT NULL,
    "cbte_tipo" INTEGER NOT NULL,
    "last_number" BIGINT NOT NULL,
    "last_fch" CHAR(8),
    "synced" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "numbering_lane_pkey" PRIMARY KEY ("environment","cuit","pto_vta","cbte_tipo")
);
