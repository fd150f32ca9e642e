-- The change log of the customer index also names hand-entered manual entries
-- (crates/scrm-index/src/manual.rs, docs/architecture.md "The customer index"):
-- getManualTaskList's totals and getManualTaskDetail's count come from the index, so every
-- write of a hand-entered entry (`task_id = -1`: add, dial, delete, restore, an import, a
-- hand-typed UPDATE) records the entry in the transaction of the write, as the customer
-- triggers of 2026-12-06-000002_customer_change_log do. Pool entries (`task_id > 0`) are
-- not indexed and not logged, unless a write turns one into a hand-entered entry or back.
-- Like the customer triggers since 2026-12-07-000002, they log nothing for the bulk loader's
-- sessions (`@scrm_bulk_load`), which log each loaded entry once after the load.
ALTER TABLE customer_change ADD COLUMN manual_entry_id BIGINT NULL;

CREATE TRIGGER manual_change_on_insert AFTER INSERT ON manual_entry FOR EACH ROW
  INSERT INTO customer_change (tenant_id, manual_entry_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL WHERE @scrm_bulk_load IS NULL AND NEW.task_id = -1;

-- Every update (statuses, the searched texts, the assignee, the tenant, the bin); one that
-- moves the entry to another tenant is a change in both.
CREATE TRIGGER manual_change_on_update AFTER UPDATE ON manual_entry FOR EACH ROW
  INSERT INTO customer_change (tenant_id, manual_entry_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL
    WHERE @scrm_bulk_load IS NULL AND (NEW.task_id = -1 OR OLD.task_id = -1)
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL
    WHERE @scrm_bulk_load IS NULL AND OLD.task_id = -1
      AND (OLD.tenant_id <> NEW.tenant_id OR OLD.id <> NEW.id);

CREATE TRIGGER manual_change_on_delete AFTER DELETE ON manual_entry FOR EACH ROW
  INSERT INTO customer_change (tenant_id, manual_entry_id)
  SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE @scrm_bulk_load IS NULL AND OLD.task_id = -1;
