-- findcontactbytagAll's selection comes from the customer index too (crates/scrm-index/src/
-- contacts.rs, docs/architecture.md "The customer index"): a loaded tenant keeps every
-- contact, with a customer or not, so `tagMode=none` and an empty tag list (every contact of
-- the scope) must know a new contact at once. The triggers of
-- 2026-12-06-000002_customer_change_log log a contact's updates, its deletion and its tags;
-- a new contact mattered to no customer list, so its insert was not logged. It is now, in
-- the transaction of the write, by every writer (imports, another instance, hand-typed SQL)
-- but the bulk loader's sessions (`@scrm_bulk_load`), which log each loaded contact once
-- after the load (`bulk::after_load`), as 2026-12-07-000002 does for customers.
CREATE TRIGGER customer_change_on_contact_insert AFTER INSERT ON wechat_contact FOR EACH ROW
  INSERT INTO customer_change (tenant_id, contact_id)
  SELECT NEW.tenant_id, NEW.id FROM DUAL WHERE @scrm_bulk_load IS NULL;
