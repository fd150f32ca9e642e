-- The bulk loader of `scrm seed --customers` (crates/scrm-mysql/src/bulk) loads every table at
-- once over one connection per table. Through the change-log triggers of
-- 2026-12-06-000002_customer_change_log each of those loads also wrote one `customer_change`
-- row per customer and per contact tag: millions of rows nobody reads (an instance starts
-- reading the log at its head), and concurrent writes into that one table from the parallel
-- loads (a 1M seed failed with a lock wait timeout while loading `contact_tag`). The loader's
-- sessions set `@scrm_bulk_load = 1`, the triggers log nothing for them, and the loader logs
-- every loaded customer once, in one statement, after the load (`bulk::after_load`), so an
-- instance that was running during the seed still re-reads them. Every other writer (which
-- never sets the variable) logs as before. CREATE OR REPLACE swaps each trigger atomically:
-- no write goes unlogged while this runs.
CREATE OR REPLACE TRIGGER customer_change_on_insert AFTER INSERT ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL WHERE @scrm_bulk_load IS NULL;

CREATE OR REPLACE TRIGGER customer_change_on_update AFTER UPDATE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL WHERE @scrm_bulk_load IS NULL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL
    WHERE @scrm_bulk_load IS NULL AND (OLD.tenant_id <> NEW.tenant_id OR OLD.id <> NEW.id);

CREATE OR REPLACE TRIGGER customer_change_on_delete AFTER DELETE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id)
  SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE @scrm_bulk_load IS NULL;

CREATE OR REPLACE TRIGGER customer_change_on_contact_update AFTER UPDATE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL WHERE @scrm_bulk_load IS NULL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE @scrm_bulk_load IS NULL AND (OLD.tenant_id <> NEW.tenant_id);

CREATE OR REPLACE TRIGGER customer_change_on_contact_delete AFTER DELETE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE @scrm_bulk_load IS NULL;

CREATE OR REPLACE TRIGGER customer_change_on_tag_insert AFTER INSERT ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.contact_id FROM DUAL WHERE @scrm_bulk_load IS NULL;

CREATE OR REPLACE TRIGGER customer_change_on_tag_update AFTER UPDATE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.contact_id FROM DUAL WHERE @scrm_bulk_load IS NULL
  UNION ALL SELECT OLD.tenant_id, OLD.contact_id FROM DUAL
    WHERE @scrm_bulk_load IS NULL AND (OLD.tenant_id <> NEW.tenant_id OR OLD.contact_id <> NEW.contact_id);

CREATE OR REPLACE TRIGGER customer_change_on_tag_delete AFTER DELETE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT OLD.tenant_id, OLD.contact_id FROM DUAL WHERE @scrm_bulk_load IS NULL;
