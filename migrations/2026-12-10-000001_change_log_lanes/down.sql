DROP TRIGGER IF EXISTS customer_change_lane;
DROP TABLE IF EXISTS customer_change_lane;
ALTER TABLE customer_change DROP KEY idx_customer_change_lane, DROP COLUMN lane;
