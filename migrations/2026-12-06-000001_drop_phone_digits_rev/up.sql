-- `customer.phone_digits_rev` (the phone digits reversed, for a "phone ends with" search that
-- no query makes: a phone "contains" uses `customer_phone_gram`) was written on every save,
-- import and seed and read by no query. Dropped with its index.
ALTER TABLE customer
  DROP INDEX idx_customer_tenant_phone_rev,
  DROP COLUMN phone_digits_rev;
