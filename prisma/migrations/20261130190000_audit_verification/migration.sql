-- Audit verification off the request path. Whole-chain verification is a background job (one row per run, its
-- progress written as it goes) that stores checkpoints: the hash after a verified entry, from which the next run
-- resumes. An auditor verifies its own CUITs' entries, read in chain order through (cuit, seq). Nothing old is
-- rewritten: existing entries verify as before.

-- CreateTable
CREATE TABLE "audit_verification" (
    "id" UUID NOT NULL,
    "state" VARCHAR(20) NOT NULL,
    "started_by" VARCHAR(100) NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "to_seq" BIGINT NOT NULL,
    "next_seq" BIGINT NOT NULL,
    "checked" BIGINT NOT NULL DEFAULT 0,
    "last_hash" CHAR(64) NOT NULL,
    "ok" BOOLEAN,
    "first_broken" JSONB,
    "error" VARCHAR(500),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoint" (
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "verification_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "audit_entry_cuit_seq_idx" ON "audit_entry"("cuit", "seq");
