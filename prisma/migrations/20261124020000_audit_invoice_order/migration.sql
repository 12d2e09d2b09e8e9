-- The auditor's listing pages through invoices in voucher order with a keyset cursor
-- (cuit, pto_vta, cbte_tipo, cbte_nro, id): the id breaks ties between a rejected and an authorized voucher of
-- one number, so the whole key is in the index and a page is one index range scan.
DROP INDEX "invoice_cuit_pto_vta_cbte_tipo_cbte_nro_idx";

-- CreateIndex
CREATE INDEX "invoice_cuit_pto_vta_cbte_tipo_cbte_nro_id_idx" ON "invoice"("cuit", "pto_vta", "cbte_tipo", "cbte_nro", "id");
