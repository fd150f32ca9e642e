DROP TRIGGER IF EXISTS customer_change_on_tag_delete;
DROP TRIGGER IF EXISTS customer_change_on_tag_update;
DROP TRIGGER IF EXISTS customer_change_on_tag_insert;
DROP TRIGGER IF EXISTS customer_change_on_contact_delete;
DROP TRIGGER IF EXISTS customer_change_on_contact_update;
DROP TRIGGER IF EXISTS customer_change_on_delete;
DROP TRIGGER IF EXISTS customer_change_on_update;
DROP TRIGGER IF EXISTS customer_change_on_insert;
DROP TABLE customer_change;
