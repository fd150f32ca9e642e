CREATE INDEX idx_manual_tenant ON manual_entry (tenant_id, task_id, deleted_at);
DROP INDEX idx_manual_tenant_assignee ON manual_entry;
DROP INDEX idx_customer_admin_phone ON customer;
