-- Back to the triggers of 2026-12-06-000002_customer_change_log (every writer logs).
CREATE OR REPLACE TRIGGER customer_change_on_insert AFTER INSERT ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id) VALUES (NEW.tenant_id, NEW.id);

CREATE OR REPLACE TRIGGER customer_change_on_update AFTER UPDATE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL
    WHERE OLD.tenant_id <> NEW.tenant_id OR OLD.id <> NEW.id;

CREATE OR REPLACE TRIGGER customer_change_on_delete AFTER DELETE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id) VALUES (OLD.tenant_id, OLD.id);

CREATE OR REPLACE TRIGGER customer_change_on_contact_update AFTER UPDATE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE OLD.tenant_id <> NEW.tenant_id;

CREATE OR REPLACE TRIGGER customer_change_on_contact_delete AFTER DELETE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (OLD.tenant_id, OLD.id);

CREATE OR REPLACE TRIGGER customer_change_on_tag_insert AFTER INSERT ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (NEW.tenant_id, NEW.contact_id);

CREATE OR REPLACE TRIGGER customer_change_on_tag_update AFTER UPDATE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.contact_id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.contact_id FROM DUAL
    WHERE OLD.tenant_id <> NEW.tenant_id OR OLD.contact_id <> NEW.contact_id;

CREATE OR REPLACE TRIGGER customer_change_on_tag_delete AFTER DELETE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (OLD.tenant_id, OLD.contact_id);
