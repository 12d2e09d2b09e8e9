-- ARCA's registry (ws_sr_constancia_inscripcion) answers, cached per environment and person: a POS fleet asks ARCA
-- about each buyer once per TAXPAYER_CACHE_HOURS. `persona` is ARCA's answer as decoded, NULL when ARCA has no
-- such person (so an unknown CUIT is not asked again at every sale either).

-- CreateTable
CREATE TABLE "taxpayer" (
    "environment" VARCHAR(20) NOT NULL,
    "id_persona" BIGINT NOT NULL,
    "persona" JSONB,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "taxpayer_pkey" PRIMARY KEY ("environment","id_persona")
);
