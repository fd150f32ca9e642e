DROP TRIGGER IF EXISTS customer_change_on_contact_insert;
