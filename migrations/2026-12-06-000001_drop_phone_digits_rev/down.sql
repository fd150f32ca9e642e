-- The column and index as `2026-11-26-000001_create_schema` made them, refilled from the
-- phone digits.
ALTER TABLE customer
  ADD COLUMN phone_digits_rev VARCHAR(32) NULL AFTER phone_digits,
  ADD KEY idx_customer_tenant_phone_rev (tenant_id, phone_digits_rev);

UPDATE customer SET phone_digits_rev = REVERSE(phone_digits) WHERE phone_digits IS NOT NULL;
