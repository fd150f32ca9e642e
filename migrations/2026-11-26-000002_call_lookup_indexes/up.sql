-- Indexes of the call pop-up and the call lists (V4.2.0/V4.3.0).

-- getCustomerInfoByCall of a sub-account looks its customers up by phone digits while a
-- salesperson is on the phone: an index ref instead of a scan of the account's customers.
CREATE INDEX idx_customer_admin_phone ON customer (admin_user_id, phone_digits);

-- getManualTaskList of a main account groups the tenant's live hand-entered entries by
-- assignee and counts their statuses: covering and in group order, so the grouped page needs
-- neither the rows nor a temporary table. It makes its prefix idx_manual_tenant redundant.
CREATE INDEX idx_manual_tenant_assignee
  ON manual_entry (tenant_id, task_id, deleted_at, admin_user_id, dial_status, add_status);
DROP INDEX idx_manual_tenant ON manual_entry;
