-- The change log of the customer index (crates/scrm-index, docs/architecture.md "The
-- customer index"): one row per customer whose indexed fields may have changed, written by
-- triggers in the transaction of the write, so every writer (the adapter, imports, the seed,
-- another instance, a hand-typed UPDATE) is covered. The row says only which customer of
-- which tenant to re-read (or, for a contact's names and tags, the contact whose customer to
-- re-read: the trigger does not read `customer`, so it takes no lock a writer would not take
-- anyway); the index reads its current state. `seq` is allocated when the
-- row is inserted, not when it commits: readers track the numbers they have not seen yet
-- (docs/architecture.md says how). Rows older than an hour are trimmed by the instances.
CREATE TABLE customer_change (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NULL,
  contact_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
  KEY idx_customer_change_time (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- A customer added, changed (every update: names, phone, owner, tenant, bin) or removed; an
-- update that moves it to another tenant is a change in both.
CREATE TRIGGER customer_change_on_insert AFTER INSERT ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id) VALUES (NEW.tenant_id, NEW.id);

CREATE TRIGGER customer_change_on_update AFTER UPDATE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL
    WHERE OLD.tenant_id <> NEW.tenant_id OR OLD.id <> NEW.id;

CREATE TRIGGER customer_change_on_delete AFTER DELETE ON customer FOR EACH ROW
  INSERT INTO customer_change (tenant_id, customer_id) VALUES (OLD.tenant_id, OLD.id);

-- A contact's names (WeChat nick name, remark name) are searched as its customer's.
CREATE TRIGGER customer_change_on_contact_update AFTER UPDATE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.id FROM DUAL WHERE OLD.tenant_id <> NEW.tenant_id;

CREATE TRIGGER customer_change_on_contact_delete AFTER DELETE ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (OLD.tenant_id, OLD.id);

-- A contact's tags are its customer's.
CREATE TRIGGER customer_change_on_tag_insert AFTER INSERT ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (NEW.tenant_id, NEW.contact_id);

CREATE TRIGGER customer_change_on_tag_update AFTER UPDATE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.contact_id FROM DUAL
  UNION ALL SELECT OLD.tenant_id, OLD.contact_id FROM DUAL
    WHERE OLD.tenant_id <> NEW.tenant_id OR OLD.contact_id <> NEW.contact_id;

CREATE TRIGGER customer_change_on_tag_delete AFTER DELETE ON contact_tag FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id) VALUES (OLD.tenant_id, OLD.contact_id);
