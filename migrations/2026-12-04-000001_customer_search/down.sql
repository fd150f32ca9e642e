DROP INDEX idx_customer_tenant_live_phone ON customer;
DROP TABLE customer_name_gram;
