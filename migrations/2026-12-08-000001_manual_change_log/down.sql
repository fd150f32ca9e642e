DROP TRIGGER IF EXISTS manual_change_on_delete;
DROP TRIGGER IF EXISTS manual_change_on_update;
DROP TRIGGER IF EXISTS manual_change_on_insert;
-- The manual entries' rows name no customer or contact: the reader of the older schema
-- could not read them.
DELETE FROM customer_change WHERE manual_entry_id IS NOT NULL;
ALTER TABLE customer_change DROP COLUMN manual_entry_id;
